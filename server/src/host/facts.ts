/**
 * Typed facts about one libvirt host, read from libvirt's own XML and text (virsh). Pure data: no I/O here.
 * PCI addresses are always canonical (`0000:3b:02.0`, lower-case hex, as formatPci writes them), so they can be
 * compared as strings.
 */

/** What a parser could read, and what it could not (never an exception). */
export interface Parsed<T> {
  value?: T;
  problems: string[];
}

/** A node device as `virsh nodedev-dumpxml` shows it (only the parts the host features use). */
export interface NodeDevice {
  /** `pci_0000_3b_02_0`, `net_enp59s0f0_b8_ce_f6_00_00_01`, … */
  name: string;
  parent?: string;
  /** Bound kernel driver (`<driver><name>`); only reported by the real (udev) node device driver. */
  driver?: string;
  /** Capability types of the device (`pci`, `net`, `usb_device`, …). */
  capabilities: string[];
  pci?: PciDevice;
  net?: NetCapability;
}

export interface NetCapability {
  interface: string;
  mac?: string;
  linkState?: string;
}

export interface PciDevice {
  /** Node device name, e.g. `pci_0000_3b_02_0`. */
  name: string;
  /** Canonical PCI address, e.g. `0000:3b:02.0`. */
  address: string;
  /** `0x15b3` (lower case, 4 digits, as libvirt writes it). */
  vendorId: string;
  productId: string;
  vendorName?: string;
  productName?: string;
  /** `0x020000` (Ethernet controller). */
  classCode?: string;
  /** `vfio-pci`, `mlx5_core`, `mlx5_vfio_pci`, …: absent when the node device driver does not report one. */
  driver?: string;
  parent?: string;
  /** The PF's address when this device is a VF. */
  physFunction?: string;
  /** VF addresses when this device is a PF (empty otherwise, or when no VF is enabled). */
  virtFunctions: string[];
  /** `maxCount` of the PF's `virt_functions` capability: how many VFs the device could have. */
  maxVfs?: number;
  /** Whether the device has a `virt_functions` capability at all (an SR-IOV PF, even with 0 VFs enabled). */
  sriovCapable: boolean;
  /** Host network interface of this device, from a child `net` node device (when the listing has it). */
  netInterface?: string;
  /** That interface's MAC (a VF bound to its network driver; a VF bound to vfio-pci has no interface). */
  mac?: string;
  iommuGroup?: number;
  numaNode?: number;
}

export type ForwardMode = 'nat' | 'route' | 'open' | 'bridge' | 'private' | 'vepa' | 'passthrough' | 'hostdev' | string;

export interface Network {
  name: string;
  uuid?: string;
  /** From the listing (`net-list`); unknown when only the XML was read. */
  active?: boolean;
  persistent?: boolean;
  forwardMode?: ForwardMode;
  /** `<forward managed='yes'>` of a hostdev pool. */
  managed?: boolean;
  bridge?: string;
  /** `<forward><pf dev>` names (libvirt formats at most one). */
  pfDevs: string[];
  /** `<forward><interface dev>` names (macvtap/passthrough pools, or a PF's VFs by netdev name). */
  interfaceDevs: string[];
  /**
   * PCI addresses of a hostdev pool's VFs: the `<forward><address type='pci'>` list. libvirt writes the list itself
   * for a pool defined by `<pf dev>` only in an active network's live XML; see poolAddresses() for the expansion.
   */
  poolAddresses: string[];
  /** `<network connections='N'>` (live XML: how many guest interfaces use the network). */
  connections?: number;
}

export type DomainState = 'running' | 'paused' | 'shut off' | 'other';

/** A domain as a listing shows it. */
export interface DomainListEntry {
  name: string;
  uuid?: string;
  state?: DomainState;
  persistent?: boolean;
}

export interface DomainUsage {
  name: string;
  uuid?: string;
  state?: DomainState;
  persistent?: boolean;
  /** Every host PCI address of a PCI `<hostdev>` and of an `<interface type='hostdev'>` (config and live XML). */
  hostPciAddresses: string[];
  /** `<interface type='network'><source network>` names. */
  networks: string[];
  /** Host network devices of `<interface type='direct'>` (macvtap, e.g. on a VF: `<source dev='ens1f0v1'>`). */
  directDevs: string[];
  /** Host bridges: `<source bridge>` of bridge interfaces, and the bridge a network interface is on (live XML). */
  bridges: string[];
  /** `<disk><source file|dev|dir>`. */
  diskPaths: string[];
}

export interface DomainCapabilities {
  path?: string;
  /** `kvm`, `qemu`, `test`, … */
  domainType?: string;
  arch?: string;
  /** The machine type the capabilities are for (canonical, e.g. `pc-q35-7.2`). */
  machine?: string;
  /** Machine names usable with this emulator, with alias names (`q35`, `pc`): from `virsh capabilities`. */
  machines: string[];
  maxVcpus?: number;
  /** `<hostdev supported='yes'>` with `pci` among its subsysType values. */
  hostdevPci: boolean;
  /** `pciBackend` enum values (`default`, `vfio`, …). */
  pciBackends: string[];
  /**
   * Whether this libvirt can use a VFIO variant driver (mlx5_vfio_pci, …) for a PCI hostdev: not in the domain
   * capabilities XML (9.0 and 11.3 do not report it), derived from the libvirt version by vfioVariantSupport().
   */
  vfioVariant?: VfioVariantSupport;
  /** A guest vIOMMU device (`<devices><iommu supported>`), reported by newer libvirt only; absent otherwise. */
  iommu?: boolean;
  /** `host-passthrough` CPU mode supported. */
  hostPassthrough?: boolean;
}

export type VfioVariantSupport = 'none' | 'unmanaged' | 'managed';

export interface GuestMachine {
  name: string;
  /** For an alias (`q35`), the machine it stands for (`pc-q35-7.2`). */
  canonical?: string;
}

export interface GuestCapability {
  osType: string;
  arch: string;
  emulator?: string;
  machines: GuestMachine[];
  domainTypes: string[];
}

/** `virsh capabilities`: the host part the features use. */
export interface HostCapabilities {
  hostUuid?: string;
  arch?: string;
  /** `<host><iommu support='yes'/>`: the host has an IOMMU enabled (VFIO passthrough needs it). */
  iommu?: boolean;
  guests: GuestCapability[];
}

export interface Versions {
  /** The daemon's libvirt (`Running against daemon`), else the library's (a driver without a daemon). */
  libvirt?: string;
  /** `Running hypervisor: QEMU 10.0.2`. */
  qemu?: string;
  hypervisor?: { name: string; version: string };
  /** The libvirt virsh was built against (`Compiled against library`). */
  virshClient?: string;
  /** The libvirt library virsh runs with (`Using library`). */
  library?: string;
}

export interface StoragePool {
  name: string;
  uuid?: string;
  type: string;
  targetPath?: string;
  active?: boolean;
  persistent?: boolean;
}

export interface HostFacts {
  /** The connection URI, secrets removed (safe to show). */
  uri: string;
  versions: Versions;
  capabilities?: HostCapabilities;
  domcaps?: DomainCapabilities;
  pcis: PciDevice[];
  /** Names of the host's network interfaces (bridges included), from its `net` node devices. */
  netInterfaces?: string[];
  networks: Network[];
  domains: DomainUsage[];
  pools: StoragePool[];
  /** Parts that could not be read, each `what: libvirt's message`. */
  errors: string[];
}

/**
 * A libvirt test-driver node file (`virsh -c test:///ABS/node.xml`) describing an SR-IOV host: two ConnectX-6 Dx
 * PFs (15b3:101d) with 64 VFs each (15b3:101e), their net devices, a few other PCI devices, hostdev pool networks,
 * domains that use VFs, and a storage pool. libvirt 11.3's test driver lists node devices from such a file (9.0's
 * refuses nodedev-list on the test driver). The test driver does not read `<driver>` from node device XML (only the
 * udev backend reports a bound driver), so none is written here.
 */
export interface SriovHost {
  xml: string;
  pfs: string[];
  /** VF addresses by PF address. */
  vfs: Map<string, string[]>;
  /** The interface name of each PF. */
  pfIfaces: Map<string, string>;
  /** VFs that have a net device (bound to a host driver in this picture). */
  vfIfaces: Map<string, string>;
  /** Domains and the VF addresses they use (as hostdevs, or as macvtap on the VF's netdev). */
  uses: Map<string, string[]>;
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
const pciName = (bus: number, slot: number, fn: number) => `pci_0000_${hex(bus, 2)}_${hex(slot, 2)}_${fn}`;
const addr = (bus: number, slot: number, fn: number) => `0000:${hex(bus, 2)}:${hex(slot, 2)}.${fn}`;
const addrEl = (bus: number, slot: number, fn: number, type = '') =>
  `<address${type ? ` type='${type}'` : ''} domain='0x0000' bus='0x${hex(bus, 2)}' slot='0x${hex(slot, 2)}' function='0x${fn}'/>`;

function pciDevice(o: {
  bus: number;
  slot: number;
  fn: number;
  parent: string;
  product: string;
  productName: string;
  klass: string;
  inner?: string;
  group: number;
}) {
  return `  <device>
    <name>${pciName(o.bus, o.slot, o.fn)}</name>
    <parent>${o.parent}</parent>
    <capability type='pci'>
      <class>${o.klass}</class>
      <domain>0</domain>
      <bus>${o.bus}</bus>
      <slot>${o.slot}</slot>
      <function>${o.fn}</function>
      <product id='${o.product}'>${o.productName}</product>
      <vendor id='0x15b3'>Mellanox Technologies</vendor>
${o.inner ?? ''}      <iommuGroup number='${o.group}'>
        ${addrEl(o.bus, o.slot, o.fn)}
      </iommuGroup>
      <numa node='0'/>
    </capability>
  </device>`;
}

function netDevice(name: string, parent: string, iface: string, mac: string) {
  return `  <device>
    <name>${name}</name>
    <parent>${parent}</parent>
    <capability type='net'>
      <interface>${iface}</interface>
      <address>${mac}</address>
      <link speed='25000' state='up'/>
      <capability type='80203'/>
    </capability>
  </device>`;
}

export function sriovHost(vfsPerPf = 64): SriovHost {
  const bus = 0x3b;
  const devices: string[] = [];
  const pfs: string[] = [];
  const vfs = new Map<string, string[]>();
  const pfIfaces = new Map<string, string>();
  const vfIfaces = new Map<string, string>();
  let group = 40;
  for (let pf = 0; pf < 2; pf++) {
    // VF routing IDs follow the PFs (devfn 2 … ), as on a ConnectX with two ports
    const vfDevfn = Array.from({ length: vfsPerPf }, (_, i) => 2 + pf * vfsPerPf + i);
    const pfAddr = addr(bus, 0, pf);
    pfs.push(pfAddr);
    vfs.set(
      pfAddr,
      vfDevfn.map((d) => addr(bus, d >> 3, d & 7)),
    );
    devices.push(
      pciDevice({
        bus,
        slot: 0,
        fn: pf,
        parent: 'computer',
        product: '0x101d',
        productName: 'MT2892 Family [ConnectX-6 Dx]',
        klass: '0x020000',
        group: group++,
        inner: `      <capability type='virt_functions' maxCount='${vfsPerPf}'>\n${vfDevfn.map((d) => `        ${addrEl(bus, d >> 3, d & 7)}\n`).join('')}      </capability>\n`,
      }),
    );
    const iface = `enp59s0f${pf}np${pf}`;
    pfIfaces.set(pfAddr, iface);
    devices.push(netDevice(`net_${iface}_b8_ce_f6_00_00_0${pf}`, pciName(bus, 0, pf), iface, `b8:ce:f6:00:00:0${pf}`));
    vfDevfn.forEach((d, i) => {
      devices.push(
        pciDevice({
          bus,
          slot: d >> 3,
          fn: d & 7,
          parent: pciName(bus, 0, pf),
          product: '0x101e',
          productName: 'ConnectX Family mlx5Gen Virtual Function',
          klass: '0x020000',
          group: group++,
          inner: `      <capability type='phys_function'>\n        ${addrEl(bus, 0, pf)}\n      </capability>\n`,
        }),
      );
      if (i < 4) {
        // the first VFs of each PF have a host netdev (mlx5_core), as VFs used by the host do
        const vfIface = `enp59s0f${pf}v${i}`;
        vfIfaces.set(addr(bus, d >> 3, d & 7), vfIface);
        devices.push(
          netDevice(
            `net_${vfIface}_02_00_00_00_0${pf}_${hex(i, 2)}`,
            pciName(bus, d >> 3, d & 7),
            vfIface,
            `02:00:00:00:0${pf}:${hex(i, 2)}`,
          ),
        );
      }
    });
  }
  // another device of the host, with a network interface whose name a virsh command string could not carry
  // (Linux allows quotes and ';' in interface names): it must be read by a virsh call of its own
  devices.push(netDevice(`net_we'ird;x_02_00_00_00_09_09`, 'pci_0000_00_01_0', `we'ird;x`, '02:00:00:00:09:09'));
  devices.push(`  <device>
    <name>pci_0000_00_01_0</name>
    <parent>computer</parent>
    <capability type='pci'>
      <class>0x060400</class>
      <domain>0</domain><bus>0</bus><slot>1</slot><function>0</function>
      <product id='0x09ab'>Root Port</product>
      <vendor id='0x8086'>Intel Corporation</vendor>
    </capability>
  </device>`);

  const pf0Vfs = vfs.get(pfs[0])!;
  const pf1Vfs = vfs.get(pfs[1])!;
  const at = (a: string) => {
    const [, b, s] = /^0000:([0-9a-f]{2}):([0-9a-f]{2})\.(\d)$/.exec(a)!;
    return { bus: parseInt(b, 16), slot: parseInt(s, 16), fn: Number(a.slice(-1)) };
  };
  const el = (a: string, type = '') => {
    const p = at(a);
    return addrEl(p.bus, p.slot, p.fn, type);
  };
  const uses = new Map<string, string[]>([
    ['vm-teaming', [pf0Vfs[10]]],
    ['vm hostdev', [pf1Vfs[3]]],
    ['vm-pool', [pf1Vfs[0]]],
  ]);
  const ns = "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'";
  const domains = `  <domain type='test'>
    <name>vm-teaming</name>
    <uuid>7a0c0e4e-0000-4000-8000-000000000001</uuid>
    <memory>1048576</memory>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <devices>
      <disk type='file' device='disk'><source file='/var/lib/libvirt/images/vm-teaming.qcow2'/><target dev='vda' bus='virtio'/></disk>
      <interface type='bridge'><mac address='52:54:00:6d:90:02'/><source bridge='br0'/><model type='virtio'/><teaming type='persistent'/><alias name='ua-backup0'/></interface>
      <interface type='hostdev' managed='yes'><mac address='52:54:00:6d:90:02'/><source>${el(pf0Vfs[10], 'pci')}</source><teaming type='transient' persistent='ua-backup0'/></interface>
    </devices>
  </domain>
  <domain type='test' ${ns}>
    <name>vm hostdev</name>
    <uuid>7a0c0e4e-0000-4000-8000-000000000002</uuid>
    <memory>1048576</memory>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <devices>
      <hostdev mode='subsystem' type='pci' managed='yes'><source>${el(pf1Vfs[3])}</source></hostdev>
    </devices>
    <test:runstate>5</test:runstate>
  </domain>
  <domain type='test'>
    <name>vm-pool</name>
    <uuid>7a0c0e4e-0000-4000-8000-000000000003</uuid>
    <memory>1048576</memory>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <devices>
      <interface type='network'><mac address='52:54:00:6d:90:03'/><source network='sriov-pool'/></interface>
      <interface type='network'><mac address='52:54:00:6d:90:04'/><source network='default'/></interface>
      <interface type='direct'><mac address='52:54:00:6d:90:05'/><source dev='${vfIfaces.get(pf1Vfs[0])}' mode='passthrough'/></interface>
    </devices>
  </domain>
  <domain type='test' ${ns}>
    <name>--help</name>
    <uuid>7a0c0e4e-0000-4000-8000-000000000004</uuid>
    <memory>1048576</memory>
    <os><type arch='x86_64' machine='q35'>hvm</type></os>
    <test:runstate>5</test:runstate>
  </domain>`;
  const networks = `  <network>
    <name>sriov-pool</name>
    <uuid>f1b7a0a2-7a3c-4d5c-9e2f-8f0c1b2d3e01</uuid>
    <forward mode='hostdev' managed='yes'><pf dev='${pfIfaces.get(pfs[0])}'/></forward>
  </network>
  <network>
    <name>sriov-pool-b</name>
    <uuid>f1b7a0a2-7a3c-4d5c-9e2f-8f0c1b2d3e02</uuid>
    <forward mode='hostdev' managed='yes'>
${pf1Vfs
  .slice(0, 8)
  .map((a) => `      ${el(a, 'pci')}\n`)
  .join('')}    </forward>
  </network>
  <network>
    <name>default</name>
    <uuid>f1b7a0a2-7a3c-4d5c-9e2f-8f0c1b2d3e03</uuid>
    <forward mode='nat'/>
    <bridge name='virbr0'/>
    <ip address='192.168.122.1' netmask='255.255.255.0'/>
  </network>`;
  const pool = `  <pool type='dir'>
    <name>images</name>
    <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e5301</uuid>
    <capacity>0</capacity><allocation>0</allocation><available>0</available>
    <source/>
    <target><path>/var/lib/libvirt/images</path></target>
  </pool>`;
  const xml = `<node>\n${domains}\n${networks}\n${pool}\n${devices.join('\n')}\n</node>\n`;
  return { xml, pfs, vfs, pfIfaces, vfIfaces, uses };
}

import { formatPci, parsePciText } from '../model/pci';
import type { HostFacts, Network, PciDevice } from './facts';

/** A PCI address in any spelling users write (`3b:02.0`, `0000:3B:02.0`, `pci_0000_3b_02_0`) made canonical. */
export function canonicalPci(text: string): string | undefined {
  const a = parsePciText(text.trim());
  return a ? formatPci(a) : undefined;
}

function normId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const m = /^(?:0x)?([0-9a-f]{1,4})$/i.exec(id.trim());
  return m ? '0x' + m[1].toLowerCase().padStart(4, '0') : id;
}

export function pciAt(facts: HostFacts, address: string): PciDevice | undefined {
  const a = canonicalPci(address);
  return a ? facts.pcis.find((p) => p.address === a) : undefined;
}

/** The VFs of a PF: devices naming it as their phys_function, or listed in its virt_functions; by address. */
export function vfsOf(facts: HostFacts, pfAddress: string): PciDevice[] {
  const pf = canonicalPci(pfAddress);
  if (!pf) return [];
  const listed = new Set(facts.pcis.find((p) => p.address === pf)?.virtFunctions ?? []);
  return facts.pcis.filter((p) => p.physFunction === pf || listed.has(p.address));
}

/**
 * Names of the domains whose config or live XML uses the host PCI device at `pciAddress`: as a hostdev, or through
 * its network interface as a macvtap (`<interface type='direct'>`) device.
 */
export function whoUses(facts: HostFacts, pciAddress: string): string[] {
  const a = canonicalPci(pciAddress);
  if (!a) return [];
  const iface = facts.pcis.find((p) => p.address === a)?.netInterface;
  return facts.domains
    .filter((d) => d.hostPciAddresses.includes(a) || (iface !== undefined && d.directDevs.includes(iface)))
    .map((d) => d.name);
}

/**
 * The VF addresses a hostdev network may hand out: its `<forward><address>` list when libvirt wrote one (an active
 * pool's live XML, or a pool defined by addresses), else the VFs of its `<pf dev>` and the devices of its
 * `<interface dev>` entries, found by network interface name among the host's PCI devices.
 */
export function poolAddresses(facts: HostFacts, network: Network | string): string[] {
  const net = typeof network === 'string' ? facts.networks.find((n) => n.name === network) : network;
  if (!net) return [];
  if (net.poolAddresses.length) return [...net.poolAddresses];
  const byIface = (dev: string) => facts.pcis.find((p) => p.netInterface === dev);
  const out: string[] = [];
  for (const dev of net.pfDevs) {
    const pf = byIface(dev);
    if (pf) out.push(...vfsOf(facts, pf.address).map((v) => v.address));
  }
  for (const dev of net.interfaceDevs) {
    const p = byIface(dev);
    if (p) out.push(p.address);
  }
  return [...new Set(out)];
}

/** Names of the hostdev networks whose pool holds the device at `pciAddress`. */
export function poolsWith(facts: HostFacts, pciAddress: string): string[] {
  const a = canonicalPci(pciAddress);
  if (!a) return [];
  return facts.networks.filter((n) => n.forwardMode === 'hostdev' && poolAddresses(facts, n).includes(a)).map((n) => n.name);
}

export interface VfFilter {
  /** `0x15b3` or `15b3`. */
  vendorId?: string;
  /** The VF's own product id (e.g. `0x101e` for a ConnectX VF), not the PF's. */
  productId?: string;
  /** Only VFs of this PF. */
  pf?: string;
  /** Only VFs bound to one of these drivers (e.g. `['vfio-pci', 'mlx5_vfio_pci']`). */
  drivers?: readonly string[];
}

/** VFs (devices with a phys_function) matching the filter that no domain uses, by address. */
export function freeVfs(facts: HostFacts, filter: VfFilter = {}): PciDevice[] {
  const vendor = normId(filter.vendorId);
  const product = normId(filter.productId);
  const pf = filter.pf === undefined ? undefined : (canonicalPci(filter.pf) ?? '');
  const used = new Set(facts.domains.flatMap((d) => d.hostPciAddresses));
  const usedDevs = new Set(facts.domains.flatMap((d) => d.directDevs));
  return facts.pcis.filter(
    (p) =>
      p.physFunction !== undefined &&
      (vendor === undefined || p.vendorId === vendor) &&
      (product === undefined || p.productId === product) &&
      (pf === undefined || p.physFunction === pf) &&
      (filter.drivers === undefined || (p.driver !== undefined && filter.drivers.includes(p.driver))) &&
      !used.has(p.address) &&
      !(p.netInterface !== undefined && usedDevs.has(p.netInterface)),
  );
}

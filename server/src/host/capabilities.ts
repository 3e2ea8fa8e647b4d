import type { DomainCapabilities, GuestCapability, HostCapabilities, Parsed, VfioVariantSupport } from './facts';
import { compareVersion } from './version';
import { attr, child, childText, childrenOf, parseXml, yesNo, type El } from './xml';

const enumValues = (el: El | undefined, name: string): string[] =>
  childrenOf(el, 'enum')
    .filter((e) => attr(e, 'name') === name)
    .flatMap((e) =>
      childrenOf(e, 'value')
        .map((v) => v.text.trim())
        .filter(Boolean),
    );

/** `virsh domcapabilities` (libvirt's domainCapabilities format; 9.0 and 11.3 alike for what is read here). */
export function parseDomainCapabilities(xml: string): Parsed<DomainCapabilities> {
  const { root, problems } = parseXml(xml, 'domainCapabilities');
  if (!root) return { problems };
  const caps: DomainCapabilities = { machines: [], hostdevPci: false, pciBackends: [] };
  const path = childText(root, 'path');
  if (path) caps.path = path;
  const domainType = childText(root, 'domain');
  if (domainType) caps.domainType = domainType;
  const arch = childText(root, 'arch');
  if (arch) caps.arch = arch;
  const machine = childText(root, 'machine');
  if (machine) {
    caps.machine = machine;
    caps.machines.push(machine);
  }
  const max = attr(child(root, 'vcpu'), 'max');
  if (max && /^\d+$/.test(max)) caps.maxVcpus = parseInt(max, 10);
  const devices = child(root, 'devices');
  const hostdev = child(devices, 'hostdev');
  if (hostdev) {
    caps.hostdevPci = yesNo(attr(hostdev, 'supported')) === true && enumValues(hostdev, 'subsysType').includes('pci');
    caps.pciBackends = enumValues(hostdev, 'pciBackend');
  }
  const iommu = child(devices, 'iommu');
  if (iommu) {
    const supported = yesNo(attr(iommu, 'supported'));
    if (supported !== undefined) caps.iommu = supported;
  }
  const passthrough = childrenOf(child(root, 'cpu'), 'mode').find((m) => attr(m, 'name') === 'host-passthrough');
  const hp = yesNo(attr(passthrough, 'supported'));
  if (hp !== undefined) caps.hostPassthrough = hp;
  return { value: caps, problems };
}

/** `virsh capabilities`: the host's IOMMU, UUID and the machine types (with aliases) of every guest emulator. */
export function parseCapabilities(xml: string): Parsed<HostCapabilities> {
  const { root, problems } = parseXml(xml, 'capabilities');
  if (!root) return { problems };
  const host = child(root, 'host');
  const caps: HostCapabilities = { guests: [] };
  const uuid = childText(host, 'uuid');
  if (uuid) caps.hostUuid = uuid.toLowerCase();
  const arch = childText(child(host, 'cpu'), 'arch');
  if (arch) caps.arch = arch;
  const iommu = yesNo(attr(child(host, 'iommu'), 'support'));
  if (iommu !== undefined) caps.iommu = iommu;
  for (const g of childrenOf(root, 'guest')) {
    const archEl = child(g, 'arch');
    const guest: GuestCapability = {
      osType: childText(g, 'os_type') ?? '',
      arch: attr(archEl, 'name') ?? '',
      machines: [],
      domainTypes: childrenOf(archEl, 'domain')
        .map((d) => attr(d, 'type'))
        .filter((t): t is string => !!t),
    };
    const emulator = childText(archEl, 'emulator');
    if (emulator) guest.emulator = emulator;
    // machines are listed for the arch, and again under a <domain type='kvm'> when KVM has its own list
    for (const m of [
      ...childrenOf(archEl, 'machine'),
      ...childrenOf(archEl, 'domain').flatMap((d) => childrenOf(d, 'machine')),
    ]) {
      const name = m.text.trim();
      if (!name || guest.machines.some((x) => x.name === name)) continue;
      const canonical = attr(m, 'canonical');
      guest.machines.push(canonical ? { name, canonical } : { name });
    }
    caps.guests.push(guest);
  }
  return { value: caps, problems };
}

/**
 * Machine names (canonical and alias) of the guest the domain capabilities describe (same emulator, else same arch),
 * so a domain's `machine='q35'` can be checked against a host.
 */
export function machinesFor(caps: HostCapabilities, domcaps: DomainCapabilities): string[] {
  const guests = caps.guests.filter((g) => (domcaps.path ? g.emulator === domcaps.path : g.arch === domcaps.arch));
  const names = new Set<string>(domcaps.machines);
  for (const g of guests) for (const m of g.machines) names.add(m.name);
  return [...names];
}

/**
 * Whether libvirt can put a VFIO variant driver (mlx5_vfio_pci, …) on a PCI hostdev: libvirt 9.0 cannot; 9.7 can
 * for unmanaged devices; 10.0 also for managed='yes' (`<driver model=…>`). Read from libvirt's release notes and
 * checked against 9.0 and 11.3; libvirt's XML does not report it.
 */
export function vfioVariantSupport(libvirtVersion: string | undefined): VfioVariantSupport | undefined {
  if (!libvirtVersion) return undefined;
  if (compareVersion(libvirtVersion, '10.0.0') >= 0) return 'managed';
  if (compareVersion(libvirtVersion, '9.7.0') >= 0) return 'unmanaged';
  return 'none';
}

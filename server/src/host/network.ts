import type { Network, Parsed } from './facts';
import { addressOf, attr, child, childText, childrenOf, parseXml, yesNo } from './xml';

/** `virsh net-dumpxml NETWORK` (live or `--inactive`). Active/persistent come from the listing, not from here. */
export function parseNetwork(xml: string): Parsed<Network> {
  const { root, problems } = parseXml(xml, 'network');
  if (!root) return { problems };
  const name = childText(root, 'name');
  if (!name) return { problems: [...problems, 'network without a name'] };
  const net: Network = { name, pfDevs: [], interfaceDevs: [], poolAddresses: [] };
  const uuid = childText(root, 'uuid');
  if (uuid) net.uuid = uuid.toLowerCase();
  const connections = attr(root, 'connections');
  if (connections && /^\d+$/.test(connections)) net.connections = parseInt(connections, 10);
  const bridge = attr(child(root, 'bridge'), 'name');
  if (bridge) net.bridge = bridge;
  const forward = child(root, 'forward');
  if (forward) {
    // <forward/> without mode is NAT (libvirt's default for a forward element)
    net.forwardMode = attr(forward, 'mode') ?? 'nat';
    const managed = yesNo(attr(forward, 'managed'));
    if (managed !== undefined) net.managed = managed;
    for (const pf of childrenOf(forward, 'pf')) {
      const dev = attr(pf, 'dev');
      if (dev) net.pfDevs.push(dev);
    }
    for (const i of childrenOf(forward, 'interface')) {
      const dev = attr(i, 'dev');
      if (dev) net.interfaceDevs.push(dev);
    }
    for (const a of childrenOf(forward, 'address')) {
      const type = attr(a, 'type') ?? 'pci';
      if (type !== 'pci') continue;
      const pci = addressOf(a);
      if (pci) net.poolAddresses.push(pci);
      else problems.push(`network ${name}: a forward address is unreadable`);
    }
  }
  return { value: net, problems };
}

import type { DomainUsage, Parsed } from './facts';
import { addressOf, attr, child, childText, parseXml, type El } from './xml';

const push = (list: string[], v: string | undefined) => {
  if (v && !list.includes(v)) list.push(v);
};

/** A PCI address inside `<source>`: `<address type='pci' …>` (interface) or a typeless `<address …>` (hostdev). */
function sourcePci(source: El | undefined): string | undefined {
  const a = child(source, 'address');
  if (!a) return undefined;
  const type = attr(a, 'type');
  return type === undefined || type === 'pci' ? addressOf(a) : undefined;
}

/**
 * `virsh dumpxml DOMAIN` (live or `--inactive`): which host resources the domain uses. A running domain's live XML
 * shows an `<interface type='network'>` on a hostdev pool as `<interface type='hostdev'>` with the VF it got, so
 * the pool VF in use is only visible there; the network name only in the inactive XML (mergeUsage joins both).
 */
export function parseDomainUsage(xml: string): Parsed<DomainUsage> {
  const { root, problems } = parseXml(xml, 'domain');
  if (!root) return { problems };
  const name = childText(root, 'name');
  if (!name) return { problems: [...problems, 'domain without a name'] };
  const usage: DomainUsage = { name, hostPciAddresses: [], networks: [], directDevs: [], bridges: [], diskPaths: [] };
  const uuid = childText(root, 'uuid');
  if (uuid) usage.uuid = uuid.toLowerCase();
  // in document order, so the lists read like the XML
  for (const dev of child(root, 'devices')?.children ?? []) {
    if (dev.name === 'hostdev') {
      if (attr(dev, 'mode') === 'capabilities' || attr(dev, 'type') !== 'pci') continue;
      const pci = sourcePci(child(dev, 'source'));
      if (pci) push(usage.hostPciAddresses, pci);
      else problems.push(`domain ${name}: a PCI hostdev without a readable source address`);
    } else if (dev.name === 'interface') {
      const type = attr(dev, 'type');
      const source = child(dev, 'source');
      if (type === 'hostdev') {
        const pci = sourcePci(source);
        if (pci) push(usage.hostPciAddresses, pci);
        else if (child(source, 'address')) problems.push(`domain ${name}: a hostdev interface without a readable PCI address`);
      }
      if (type === 'network') push(usage.networks, attr(source, 'network'));
      if (type === 'direct') push(usage.directDevs, attr(source, 'dev'));
      // bridge interfaces name their bridge; a running network interface shows its network's bridge too
      push(usage.bridges, attr(source, 'bridge'));
    } else if (dev.name === 'disk') {
      const s = child(dev, 'source');
      push(usage.diskPaths, attr(s, 'file') ?? attr(s, 'dev') ?? attr(s, 'dir'));
    }
  }
  return { value: usage, problems };
}

/** One domain's usage from its live and its inactive XML (either may be missing). */
export function mergeUsage(live: DomainUsage | undefined, inactive: DomainUsage | undefined): DomainUsage | undefined {
  if (!live || !inactive) return live ?? inactive;
  const out: DomainUsage = { ...live, hostPciAddresses: [], networks: [], directDevs: [], bridges: [], diskPaths: [] };
  for (const k of ['hostPciAddresses', 'networks', 'directDevs', 'bridges', 'diskPaths'] as const) {
    for (const v of [...live[k], ...inactive[k]]) push(out[k], v);
  }
  return out;
}

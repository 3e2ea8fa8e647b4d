import { dict } from '../util/dict';
import { poolAddresses, poolsWith, whoUses, type HostContext, type HostFacts, type PciDevice } from '../host';
import { isPciPassthrough, type AnyDevice } from '../model/domain';
import type { Parsed } from '../model/parsed';
import { hostPciAddress } from '../model/pci';
import { attrValue, child, childElements, textContent } from '../parser/query';
import type { ProfileFromHostResult } from '../protocol/hosts';
import { ADDRESS_PLACEHOLDER } from './profileTemplate';

/** A value the user must choose: never a guess. The rewrite refuses to use it (it is no valid name or path). */
export const choose = (what: string) => `<choose ${what}>`;

export interface ProfileInput {
  domain: Parsed;
  /** The host the domain runs on now: its VFs' vendor and product. Without it, no VF can be matched safely. */
  source?: HostContext;
  dest: HostContext;
  /** The destination's connection URI (the profile's "uri", for `virsh migrate`). */
  destUri: string;
}

const id = (v: string) => v.replace(/^0x/i, '').toLowerCase();
const model = (p: PciDevice) => `${id(p.vendorId)}:${id(p.productId)}`;

/**
 * A destination profile proposed from the hosts' facts: for each VF the domain uses, a free VF of the same
 * vendor:product on the destination (the VFs of one source PF on one destination PF where it can), never one another
 * domain uses or a hostdev pool may hand out; networks and bridges that exist there; disk folders onto the
 * destination's storage pools; the graphics listen address. Where no choice is safe it leaves a placeholder and says
 * why.
 */
export function profileFromHost(input: ProfileInput): ProfileFromHostResult {
  const { dest } = input;
  const domainModel = input.domain.model;
  const problems: string[] = [];
  const notes: string[] = [];
  const profile: Record<string, unknown> = { name: dest.name, uri: input.destUri };
  if (!domainModel) return { text: JSON.stringify(profile, null, 2) + '\n', problems: ['not a libvirt domain'], notes };
  const domainName = textContent(input.domain.xml.text, child(domainModel.domain, 'name')) || undefined;

  const hostdevs = proposeVfs(input, domainModel.devices.filter(isPciPassthrough), domainName, problems, notes);
  if (Object.keys(hostdevs).length) profile.hostdevs = hostdevs;

  const networks: Record<string, string> = dict();
  const bridges: Record<string, string> = dict();
  for (const iface of domainModel.interfaces) {
    const source = child(iface.el, 'source');
    const type = iface.type?.value;
    const network = attrValue(source, 'network');
    const bridge = attrValue(source, 'bridge');
    if (type === 'network' && network && !(network in networks))
      networks[network] = proposeNetwork(dest.facts, network, dest.name, iface, problems);
    if (type === 'bridge' && bridge && !(bridge in bridges))
      bridges[bridge] = proposeBridge(dest.facts, bridge, dest.name, problems);
  }
  if (Object.keys(networks).length) profile.networks = networks;
  if (Object.keys(bridges).length) profile.bridges = bridges;

  const disks = proposeDisks(input, domainModel.devicesEl, problems);
  if (Object.keys(disks).length) profile.disks = disks;

  for (const g of childElements(domainModel.devicesEl, 'graphics')) {
    const listen = attrValue(g, 'listen') ?? attrValue(child(g, 'listen'), 'address');
    if (!listen || /^(0\.0\.0\.0|::|127\.0\.0\.1|::1|localhost)$/.test(listen)) continue;
    const hostname = /^[a-z][a-z0-9+.-]*:\/\/(?:[^/@?#]*@)?([^/:?#]+)/i.exec(input.destUri)?.[1];
    if (hostname) {
      profile.graphicsListen = hostname;
      notes.push(`graphics listen ${listen} → ${hostname} (the destination's name in its URI)`);
    } else {
      profile.graphicsListen = choose(`an address of ${dest.name} to listen on`);
      problems.push(`graphicsListen: the domain listens on ${listen}; choose an address of ${dest.name}`);
    }
    break;
  }
  return { text: JSON.stringify(profile, null, 2) + '\n', problems, notes };
}

function proposeVfs(
  input: ProfileInput,
  devices: AnyDevice[],
  domainName: string | undefined,
  problems: string[],
  notes: string[],
): Record<string, string> {
  const { dest, source } = input;
  const out: Record<string, string> = dict();
  const taken = new Set<string>();
  /** Free on the destination: a VF of a PF, used by no domain (this one excepted, if it is defined there), in no pool. */
  const isFree = (p: PciDevice) =>
    !!p.physFunction &&
    !taken.has(p.address) &&
    whoUses(dest.facts, p.address).every((d) => d === domainName) &&
    poolsWith(dest.facts, p.address).length === 0;
  const wanted = devices.flatMap((d) => {
    const address = hostPciAddress(d);
    return address ? [{ address, src: source?.facts.pcis.find((p) => p.address === address) }] : [];
  });
  // the VFs of one source PF go to one destination PF where one has room for them all
  const groups = new Map<string, typeof wanted>();
  for (const w of wanted) {
    const key = w.src?.physFunction ?? w.address;
    groups.set(key, [...(groups.get(key) ?? []), w]);
  }
  for (const group of groups.values()) {
    const known = group.filter((w) => w.src);
    for (const w of group.filter((x) => !x.src)) {
      out[w.address] = ADDRESS_PLACEHOLDER;
      problems.push(
        source
          ? `hostdevs ${w.address}: there is no such PCI device on ${source.name}, so its vendor and product are unknown: choose a VF of ${dest.name}`
          : `hostdevs ${w.address}: without the source host its vendor and product are unknown: choose a VF of ${dest.name} (or create the profile from the domain on its host)`,
      );
    }
    if (!known.length) continue;
    const want = model(known[0].src!);
    const candidates = dest.facts.pcis.filter((p) => model(p) === want && isFree(p));
    const byPf = new Map<string, PciDevice[]>();
    for (const c of candidates) byPf.set(c.physFunction!, [...(byPf.get(c.physFunction!) ?? []), c]);
    const pfs = [...byPf.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    const pool = [...(pfs.find(([, vfs]) => vfs.length >= known.length)?.[1] ?? []), ...candidates];
    for (const w of known) {
      const pick = pool.find((p) => isFree(p));
      if (!pick) {
        out[w.address] = ADDRESS_PLACEHOLDER;
        problems.push(`hostdevs ${w.address}: no free VF ${want} on ${dest.name}${describeUse(dest.facts, want)}`);
        continue;
      }
      taken.add(pick.address);
      out[w.address] = pick.address;
      notes.push(
        `VF ${w.address} (${want}${w.src!.driver ? `, ${w.src!.driver}` : ''}) → ${pick.address} on ${dest.name} (PF ${pick.physFunction}` +
          `${pick.driver ? `, driver ${pick.driver}` : ''})`,
      );
    }
    const use = describeUse(dest.facts, want);
    if (use) notes.push(`on ${dest.name}${use.replace(/^ \(|\)$/g, ': ')}`);
  }
  return out;
}

/** ` (web2 uses 0000:5e:10.2; pool sriov-pool holds 0000:5e:10.3)`: who holds the VFs of a model on a host. */
function describeUse(facts: HostFacts, want: string): string {
  const parts: string[] = [];
  for (const p of facts.pcis) {
    if (!p.physFunction || model(p) !== want) continue;
    for (const d of whoUses(facts, p.address)) parts.push(`${d} uses ${p.address}`);
    for (const n of poolsWith(facts, p.address)) parts.push(`pool ${n} holds ${p.address}`);
  }
  return parts.length ? ` (${parts.slice(0, 12).join('; ')}${parts.length > 12 ? '; …' : ''})` : '';
}

function proposeNetwork(
  facts: HostFacts,
  network: string,
  host: string,
  iface: { teaming?: { type?: { value: string } } },
  problems: string[],
): string {
  const same = facts.networks.find((n) => n.name === network);
  const vfPool = iface.teaming?.type?.value === 'transient';
  if (same && (!vfPool || same.forwardMode === 'hostdev')) {
    if (vfPool) {
      const free = poolAddresses(facts, same).filter((a) => whoUses(facts, a).length === 0).length;
      if (free === 0) problems.push(`networks ${network}: the VF pool on ${host} has no free VF`);
    }
    return network;
  }
  const kinds = vfPool ? facts.networks.filter((n) => n.forwardMode === 'hostdev') : facts.networks;
  problems.push(
    `networks ${network}: ${host} has no ${vfPool ? 'VF pool (hostdev) network' : 'network'} named so; ` +
      (kinds.length
        ? `choose one of: ${kinds.map((n) => n.name).join(', ')}`
        : `it has no ${vfPool ? 'VF pool ' : ''}network at all`),
  );
  return choose(`a ${vfPool ? 'VF pool ' : ''}network of ${host}`);
}

function proposeBridge(facts: HostFacts, bridge: string, host: string, problems: string[]): string {
  const exists = facts.netInterfaces?.includes(bridge) || facts.networks.some((n) => n.bridge === bridge);
  if (exists) return bridge;
  problems.push(
    `bridges ${bridge}: ${host} has no interface named so${facts.netInterfaces ? '' : ' (its interfaces could not be read)'}`,
  );
  return choose(`a bridge of ${host}`);
}

/** Disk folders onto the destination's storage: the same folder where a pool holds it, the pool of the same name. */
function proposeDisks(
  input: ProfileInput,
  devicesEl: Parameters<typeof childElements>[0],
  problems: string[],
): Record<string, string> {
  const { dest, source } = input;
  const out: Record<string, string> = dict();
  const within = (path: string, dir?: string) => !!dir && (path === dir || path.startsWith(dir.endsWith('/') ? dir : dir + '/'));
  for (const disk of childElements(devicesEl, 'disk')) {
    const file = attrValue(child(disk, 'source'), 'file');
    const folder = file?.slice(0, file.lastIndexOf('/') + 1);
    if (!file || !folder || folder in out) continue;
    const destPool = dest.facts.pools.find((p) => within(file, p.targetPath));
    if (destPool) {
      out[folder] = folder;
      continue;
    }
    const srcPool = source?.facts.pools.find((p) => within(file, p.targetPath));
    const sameName = srcPool && dest.facts.pools.find((p) => p.name === srcPool.name && p.targetPath);
    if (sameName?.targetPath && srcPool?.targetPath) {
      const from = srcPool.targetPath.endsWith('/') ? srcPool.targetPath : srcPool.targetPath + '/';
      const to = sameName.targetPath.endsWith('/') ? sameName.targetPath : sameName.targetPath + '/';
      out[from] = to;
      continue;
    }
    out[folder] = choose(`a folder of ${dest.name}`);
    problems.push(
      `disks ${folder}: no storage pool on ${dest.name} holds it` +
        (dest.facts.pools.length
          ? ` (pools there: ${dest.facts.pools.map((p) => `${p.name} ${p.targetPath ?? ''}`.trim()).join(', ')})`
          : '') +
        ': shared storage not defined as a pool, or a copy (virsh migrate --copy-storage-all)?',
    );
  }
  return out;
}

import {
  mergeUsage,
  parseDomainList,
  parseDomainUsage,
  parseNameList,
  parseNetwork,
  parseNodeDevice,
  parseStoragePool,
  parseUuidList,
  statesByUuid,
  type DomainListEntry,
  type DomainState,
  type DomainUsage,
  type Network,
  type NodeDevice,
  type Parsed,
  type StoragePool,
} from '../host';
import { isScriptSafe, type Command, type Part } from './script';

/**
 * What VirshHost asks virsh, in two stages: the listings (fixed commands), then every XML they name (by UUID, or by
 * a node device name libvirt listed). Each plan* function adds its XML commands to a Stage and returns the result
 * the readers fill once the stage has run. Failures go to `errors` as `what: libvirt's message`.
 */
export interface Stage {
  commands: Command[];
  readers: ((p: Part) => void)[];
  /** Reads a command string cannot carry (a listed name with a quote or `;`): one argv call each. */
  single: { args: string[]; read: (p: Part) => void }[];
}

export const newStage = (): Stage => ({ commands: [], readers: [], single: [] });

const STATES: [DomainState, string][] = [
  ['running', '--state-running'],
  ['paused', '--state-paused'],
  ['shut off', '--state-shutoff'],
  ['other', '--state-other'],
];

/** Names only in `--uuid --name` form; state and persistence as UUID lists (unambiguous whatever the names). */
export const LIST_DOMAINS: Command[] = [
  ['list', '--all', '--uuid', '--name'],
  ...STATES.map(([, flag]): Command => ['list', '--all', '--uuid', flag]),
  ['list', '--all', '--uuid', '--persistent'],
];
/** All, active (no --all), persistent. net-list refuses --uuid with --name; pool-list has no --active. */
export const LIST_NETWORKS: Command[] = [
  ['net-list', '--all', '--uuid'],
  ['net-list', '--uuid'],
  ['net-list', '--all', '--uuid', '--persistent'],
];
export const LIST_POOLS: Command[] = [
  ['pool-list', '--all', '--uuid'],
  ['pool-list', '--uuid'],
  ['pool-list', '--all', '--uuid', '--persistent'],
];
export const LIST_NODEDEVS: Command[] = [
  ['nodedev-list', '--cap', 'pci'],
  ['nodedev-list', '--cap', 'net'],
];

export function note<T>(p: Parsed<T>, what: string, errors: string[]): T | undefined {
  for (const problem of p.problems) errors.push(`${what}: ${problem}`);
  return p.value;
}

/** The domains of the LIST_DOMAINS parts, with state and persistence. */
export function domainList(parts: Part[], errors: string[]): DomainListEntry[] {
  const [names, ...rest] = parts;
  if (!names.ok) {
    errors.push(`domains: ${names.error}`);
    return [];
  }
  const list = note(parseDomainList(names.stdout), 'domains', errors) ?? [];
  const lists: Partial<Record<DomainState, string[]>> = {};
  STATES.forEach(([state], i) => {
    if (rest[i].ok) lists[state] = parseUuidList(rest[i].stdout).value ?? [];
  });
  const states = statesByUuid(lists);
  const persistentPart = rest[STATES.length];
  const persistent = persistentPart.ok ? new Set(parseUuidList(persistentPart.stdout).value) : undefined;
  return list.map((d) => {
    const out: DomainListEntry = { ...d };
    const s = d.uuid ? states.get(d.uuid) : undefined;
    if (s) out.state = s;
    if (persistent && d.uuid) out.persistent = persistent.has(d.uuid);
    return out;
  });
}

/** Every domain's XML; a running (or paused) domain's inactive XML too. */
export function planDomains(listed: DomainListEntry[], stage: Stage, errors: string[]): () => DomainUsage[] {
  const live = new Map<string, DomainUsage>();
  const inactive = new Map<string, DomainUsage>();
  for (const d of listed) {
    const uuid = d.uuid;
    if (!uuid) continue;
    const read = (into: Map<string, DomainUsage>, what: string) => (p: Part) => {
      if (!p.ok) return void errors.push(`domain ${d.name} (${what}): ${p.error}`);
      const u = note(parseDomainUsage(p.stdout), `domain ${d.name}`, errors);
      if (u) into.set(uuid, u);
    };
    // by UUID: virsh would look a name up as an ID first
    stage.commands.push(['dumpxml', uuid]);
    stage.readers.push(read(live, 'XML'));
    // a running domain's live XML has the pool VF it got; its inactive XML the network it asked for
    if (d.state && d.state !== 'shut off') {
      stage.commands.push(['dumpxml', '--inactive', uuid]);
      stage.readers.push(read(inactive, 'inactive XML'));
    }
  }
  return () =>
    listed.flatMap((d) => {
      const u = d.uuid ? mergeUsage(live.get(d.uuid), inactive.get(d.uuid)) : undefined;
      if (!u) return [];
      const out: DomainUsage = { ...u, name: d.name };
      if (d.state) out.state = d.state;
      if (d.persistent !== undefined) out.persistent = d.persistent;
      return [out];
    });
}

/** Networks or storage pools from their [all, active, persistent] UUID listings; undefined when not listed. */
function planListed<T extends { active?: boolean; persistent?: boolean }>(
  parts: Part[],
  stage: Stage,
  errors: string[],
  what: string,
  dump: string,
  parse: (xml: string) => Parsed<T>,
): T[] | undefined {
  const [all, active, persistent] = parts;
  if (!all.ok) {
    errors.push(`${what}s: ${all.error}`);
    return undefined;
  }
  const uuids = note(parseUuidList(all.stdout), `${what}s`, errors) ?? [];
  const activeSet = new Set(active.ok ? parseUuidList(active.stdout).value : []);
  const persistentSet = new Set(persistent.ok ? parseUuidList(persistent.stdout).value : []);
  const list: T[] = [];
  for (const uuid of uuids) {
    stage.commands.push([dump, uuid]);
    stage.readers.push((p) => {
      if (!p.ok) return void errors.push(`${what} ${uuid}: ${p.error}`);
      const item = note(parse(p.stdout), `${what} ${uuid}`, errors);
      if (!item) return;
      if (active.ok) item.active = activeSet.has(uuid);
      if (persistent.ok) item.persistent = persistentSet.has(uuid);
      list.push(item);
    });
  }
  return list;
}

export const planNetworks = (parts: Part[], stage: Stage, errors: string[]): Network[] | undefined =>
  planListed(parts, stage, errors, 'network', 'net-dumpxml', parseNetwork);

export const planPools = (parts: Part[], stage: Stage, errors: string[]): StoragePool[] | undefined =>
  planListed(parts, stage, errors, 'storage pool', 'pool-dumpxml', parseStoragePool);

/** PCI and net node devices (net ones only name the interfaces of PCI devices: losing them costs netInterface). */
export function planNodeDevices(parts: Part[], stage: Stage, errors: string[]): NodeDevice[] {
  const list: NodeDevice[] = [];
  const [pci, net] = parts;
  if (!pci.ok) errors.push(`node devices: ${pci.error}`);
  if (pci.ok && !net.ok) errors.push(`network node devices: ${net.error}`);
  const names = [...(pci.ok ? parseNameList(pci.stdout) : []), ...(pci.ok && net.ok ? parseNameList(net.stdout) : [])];
  for (const name of names) {
    const read = (p: Part) => {
      if (!p.ok) return void errors.push(`node device ${name}: ${p.error}`);
      const d = note(parseNodeDevice(p.stdout), `node device ${name}`, errors);
      if (d) list.push(d);
    };
    if (isScriptSafe(name)) {
      stage.commands.push(['nodedev-dumpxml', name]);
      stage.readers.push(read);
    } else {
      stage.single.push({ args: ['nodedev-dumpxml', '--', name], read });
    }
  }
  return list;
}

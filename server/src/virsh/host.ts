import {
  machinesFor, mergeUsage, parseCapabilities, parseDomainCapabilities, parseDomainUsage, parseNameList, parseNetwork,
  parseNodeDevice, parseStoragePool, parseUuidList, parseVersion, parseDomainList, pciDevices, statesByUuid,
  vfioVariantSupport,
  type DomainCapabilities, type DomainListEntry, type DomainState, type DomainUsage, type HostCapabilities,
  type HostFacts, type Network, type NodeDevice, type Parsed, type PciDevice, type StoragePool, type Versions,
} from '../host';
import { VirshError, redactUri } from './errors';
import { execVirsh, failure, runVirsh, type VirshTarget } from './run';
import { isScriptSafe, isScriptSyntaxError, runScript, type Command, type Part } from './script';

export interface CallOptions {
  signal?: AbortSignal;
  /** Deadline for the whole call (all the virsh processes it runs). */
  timeoutMs?: number;
}

export interface HostDefaults {
  timeoutMs: number;
  /**
   * Reads use a read-only connection (`virsh -r`; the world-readable socket on most distributions) unless false.
   * domcapabilities, define and qemu-monitor-command are refused read-only by libvirt and always use read-write.
   */
  readonly?: boolean;
  maxOutputBytes?: number;
}

export interface DomcapsOptions extends CallOptions {
  virttype?: string;
  arch?: string;
  machine?: string;
  emulator?: string;
}

const STATES: [DomainState, string][] = [
  ['running', '--state-running'], ['paused', '--state-paused'], ['shut off', '--state-shutoff'], ['other', '--state-other'],
];

const LIST_DOMAINS: Command[] = [
  ['list', '--all', '--uuid', '--name'],
  ...STATES.map(([, flag]): Command => ['list', '--all', '--uuid', flag]),
  ['list', '--all', '--uuid', '--persistent'],
];
const LIST_NETWORKS: Command[] = [['net-list', '--all', '--uuid'], ['net-list', '--uuid'], ['net-list', '--all', '--uuid', '--persistent']];
const LIST_POOLS: Command[] = [['pool-list', '--all', '--uuid'], ['pool-list', '--uuid'], ['pool-list', '--all', '--uuid', '--persistent']];
const LIST_NODEDEVS: Command[] = [['nodedev-list', '--cap', 'pci'], ['nodedev-list', '--cap', 'net']];

/**
 * One libvirt host seen through virsh. Every method is a few virsh processes at most: reads are batched into one
 * command string per stage (see script.ts), so host facts cost two processes (+ one read-write for domcapabilities,
 * in parallel) whatever the number of devices.
 */
export class VirshHost {
  constructor(readonly target: VirshTarget, readonly defaults: HostDefaults) {}

  /** The URI without secrets, for messages. */
  get displayUri(): string {
    return redactUri(this.target.uri);
  }

  async version(o: CallOptions = {}): Promise<Versions> {
    const r = await runVirsh(this.target, ['version', '--daemon'], this.runOpts(o, Date.now()));
    return this.must(parseVersion(r.stdout), 'version');
  }

  /** Every domain with its UUID, state and persistence (one virsh process). */
  async domains(o: CallOptions = {}): Promise<DomainListEntry[]> {
    const parts = await this.script(LIST_DOMAINS, o, Date.now(), 'list');
    const errors: string[] = [];
    const list = domainList(parts, errors);
    if (errors.length) throw this.partError('list', parts);
    return list;
  }

  /** `virsh dumpxml` (never --security-info); the live XML unless inactive. */
  async domainXml(name: string, o: CallOptions & { inactive?: boolean } = {}): Promise<string> {
    const start = Date.now();
    const args = ['dumpxml', ...(o.inactive ? ['--inactive'] : []), '--', name];
    const r = await runVirsh(this.target, args, this.runOpts(o, start));
    // virsh looks a name up as a domain ID first, then as a UUID: a domain named '7' could be shown for ID 7
    if (parseDomainUsage(r.stdout).value?.name === name) return r.stdout;
    const entry = (await this.domains({ ...o, timeoutMs: this.remaining(o, start) })).find((d) => d.name === name);
    if (!entry?.uuid) throw new VirshError('not-found', `${this.displayUri}: dumpxml: no domain named '${name}'`);
    const byUuid = await runVirsh(this.target, ['dumpxml', ...(o.inactive ? ['--inactive'] : []), '--', entry.uuid], this.runOpts(o, start));
    return byUuid.stdout;
  }

  /**
   * `virsh define /dev/stdin`, the XML on stdin (a file already removed when virsh starts: see run.ts stdinFile),
   * so no readable copy of the XML is left anywhere. Read-write.
   */
  async defineXml(xml: string, o: CallOptions = {}): Promise<{ name?: string; message: string }> {
    const r = await runVirsh(this.target, ['define', '/dev/stdin'], { ...this.runOpts(o, Date.now()), readonly: false, input: xml });
    const m = /^Domain '?(.*?)'? defined from/m.exec(r.stdout);
    return { ...(m ? { name: m[1] } : {}), message: r.stdout.trim() };
  }

  async networks(o: CallOptions = {}): Promise<Network[]> {
    const start = Date.now();
    const errors: string[] = [];
    const lists = await this.script(LIST_NETWORKS, o, start, 'net-list');
    const nets = await this.readNetworks(lists, errors, o, start);
    if (!nets) throw this.partError('net-list', lists);
    if (errors.length) throw new VirshError('failed', `${this.displayUri}: ${errors[0]}`);
    return nets;
  }

  async pools(o: CallOptions = {}): Promise<StoragePool[]> {
    const start = Date.now();
    const errors: string[] = [];
    const lists = await this.script(LIST_POOLS, o, start, 'pool-list');
    const pools = await this.readPools(lists, errors, o, start);
    if (!pools) throw this.partError('pool-list', lists);
    if (errors.length) throw new VirshError('failed', `${this.displayUri}: ${errors[0]}`);
    return pools;
  }

  /** PCI devices, VFs included, each with its PF/VFs and the network interface of its net child. */
  async nodeDevices(o: CallOptions = {}): Promise<PciDevice[]> {
    const start = Date.now();
    const errors: string[] = [];
    const lists = await this.script(LIST_NODEDEVS, o, start, 'nodedev-list');
    if (!lists[0].ok) throw this.partError('nodedev-list', lists);
    const devs = await this.readNodeDevices(lists, errors, o, start);
    if (errors.length) throw new VirshError('failed', `${this.displayUri}: ${errors[0]}`);
    return pciDevices(devs);
  }

  /** `virsh domcapabilities` (read-write: libvirt refuses it on a read-only connection). */
  async domcapabilities(o: DomcapsOptions = {}): Promise<DomainCapabilities> {
    const args = ['domcapabilities'];
    for (const k of ['virttype', 'arch', 'machine', 'emulator'] as const) {
      const v = o[k];
      if (v !== undefined) args.push(`--${k}`, v);
    }
    const r = await runVirsh(this.target, args, { ...this.runOpts(o, Date.now()), readonly: false });
    return this.must(parseDomainCapabilities(r.stdout), 'domcapabilities');
  }

  async capabilities(o: CallOptions = {}): Promise<HostCapabilities> {
    const r = await runVirsh(this.target, ['capabilities'], this.runOpts(o, Date.now()));
    return this.must(parseCapabilities(r.stdout), 'capabilities');
  }

  /**
   * Everything the host features need, in two read-only virsh processes (lists, then every XML) and one read-write
   * domcapabilities beside them. Throws a VirshError only when the host cannot be read at all (no connection,
   * timeout, cancelled); a part that fails (no storage driver, domcapabilities refused) is listed in `errors`.
   */
  async facts(o: CallOptions = {}): Promise<HostFacts> {
    const start = Date.now();
    const errors: string[] = [];
    // domcapabilities runs beside the reads; stopped when facts() fails or is cancelled
    const side = new AbortController();
    const onAbort = () => side.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.readFacts(o, start, errors, side.signal);
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
      side.abort();
    }
  }

  private async readFacts(o: CallOptions, start: number, errors: string[], sideSignal: AbortSignal): Promise<HostFacts> {
    const domcapsP = this.domcapabilities({ signal: sideSignal, timeoutMs: this.remaining(o, start) }).then(
      (v) => v,
      (e: unknown) => {
        // a slow domcapabilities (a fresh daemon probes QEMU for seconds) costs the domcaps, not the facts
        if (o.signal?.aborted) throw e;
        errors.push(`domain capabilities: ${detail(e)}`);
        return undefined;
      },
    );
    // the rejection, if any, is awaited below: keep Node from reporting it as unhandled meanwhile
    domcapsP.catch(() => undefined);
    const first: Command[] = [['version', '--daemon'], ['capabilities'], ...LIST_DOMAINS, ...LIST_NETWORKS, ...LIST_POOLS, ...LIST_NODEDEVS];
    const parts = await this.script(first, o, start, 'read host');
    const [versionPart, capsPart] = parts;
    let at = 2;
    const take = (n: number) => parts.slice(at, (at += n));
    const domainParts = take(LIST_DOMAINS.length);
    const networkParts = take(LIST_NETWORKS.length);
    const poolParts = take(LIST_POOLS.length);
    const nodedevParts = take(LIST_NODEDEVS.length);

    const versions = versionPart.ok ? note(parseVersion(versionPart.stdout), 'version', errors) ?? {} : (errors.push(`version: ${versionPart.error}`), {});
    const capabilities = capsPart.ok ? note(parseCapabilities(capsPart.stdout), 'capabilities', errors) : (errors.push(`capabilities: ${capsPart.error}`), undefined);
    const listed = domainList(domainParts, errors);

    // second stage: every XML, one process
    const stage: Stage = { commands: [], readers: [] };
    const usage = this.planDomains(listed, stage, errors);
    const nets = this.planNetworks(networkParts, stage, errors);
    const pools = this.planPools(poolParts, stage, errors);
    const devs = this.planNodeDevices(nodedevParts, stage, errors);
    await this.runStage(stage, o, start, errors);

    const domcaps = await domcapsP;
    if (domcaps) {
      if (capabilities) domcaps.machines = machinesFor(capabilities, domcaps);
      const variant = vfioVariantSupport(versions.libvirt);
      if (variant) domcaps.vfioVariant = variant;
    }
    const facts: HostFacts = {
      uri: this.displayUri,
      versions,
      pcis: pciDevices(devs.list),
      networks: nets?.list ?? [],
      domains: usage.list(),
      pools: pools?.list ?? [],
      errors,
    };
    if (capabilities) facts.capabilities = capabilities;
    if (domcaps) facts.domcaps = domcaps;
    return facts;
  }

  // --- stages -------------------------------------------------------------------------------------------------

  private planDomains(listed: DomainListEntry[], stage: Stage, errors: string[]) {
    const live = new Map<string, DomainUsage>();
    const inactive = new Map<string, DomainUsage>();
    for (const d of listed) {
      if (!d.uuid) continue;
      const uuid = d.uuid;
      const read = (into: Map<string, DomainUsage>, what: string) => (p: Part) => {
        if (!p.ok) return void errors.push(`domain ${d.name} (${what}): ${p.error}`);
        const u = note(parseDomainUsage(p.stdout), `domain ${d.name}`, errors);
        if (u) into.set(uuid, u);
      };
      stage.commands.push(['dumpxml', uuid]);
      stage.readers.push(read(live, 'XML'));
      // a running domain's live XML has the pool VF it got; its inactive XML the network it asked for
      if (d.state && d.state !== 'shut off') {
        stage.commands.push(['dumpxml', '--inactive', uuid]);
        stage.readers.push(read(inactive, 'inactive XML'));
      }
    }
    return {
      list: (): DomainUsage[] => listed.flatMap((d) => {
        const u = d.uuid ? mergeUsage(live.get(d.uuid), inactive.get(d.uuid)) : undefined;
        if (!u) return [];
        const out: DomainUsage = { ...u, name: d.name };
        if (d.state) out.state = d.state;
        if (d.persistent !== undefined) out.persistent = d.persistent;
        return [out];
      }),
    };
  }

  private planNetworks(parts: Part[], stage: Stage, errors: string[]) {
    const [all, active, persistent] = parts;
    if (!all.ok) {
      errors.push(`networks: ${all.error}`);
      return undefined;
    }
    const uuids = note(parseUuidList(all.stdout), 'networks', errors) ?? [];
    const activeSet = new Set(active.ok ? parseUuidList(active.stdout).value : []);
    const persistentSet = new Set(persistent.ok ? parseUuidList(persistent.stdout).value : []);
    const list: Network[] = [];
    for (const uuid of uuids) {
      stage.commands.push(['net-dumpxml', uuid]);
      stage.readers.push((p) => {
        if (!p.ok) return void errors.push(`network ${uuid}: ${p.error}`);
        const n = note(parseNetwork(p.stdout), `network ${uuid}`, errors);
        if (!n) return;
        if (active.ok) n.active = activeSet.has(uuid);
        if (persistent.ok) n.persistent = persistentSet.has(uuid);
        list.push(n);
      });
    }
    return { list };
  }

  private planPools(parts: Part[], stage: Stage, errors: string[]) {
    const [all, active, persistent] = parts;
    if (!all.ok) {
      errors.push(`storage pools: ${all.error}`);
      return undefined;
    }
    const uuids = note(parseUuidList(all.stdout), 'storage pools', errors) ?? [];
    const activeSet = new Set(active.ok ? parseUuidList(active.stdout).value : []);
    const persistentSet = new Set(persistent.ok ? parseUuidList(persistent.stdout).value : []);
    const list: StoragePool[] = [];
    for (const uuid of uuids) {
      stage.commands.push(['pool-dumpxml', uuid]);
      stage.readers.push((p) => {
        if (!p.ok) return void errors.push(`storage pool ${uuid}: ${p.error}`);
        const pool = note(parseStoragePool(p.stdout), `storage pool ${uuid}`, errors);
        if (!pool) return;
        if (active.ok) pool.active = activeSet.has(uuid);
        if (persistent.ok) pool.persistent = persistentSet.has(uuid);
        list.push(pool);
      });
    }
    return { list };
  }

  private planNodeDevices(parts: Part[], stage: Stage, errors: string[]) {
    const list: NodeDevice[] = [];
    const [pci, net] = parts;
    if (!pci.ok) errors.push(`node devices: ${pci.error}`);
    // net devices only name the interfaces of PCI devices: a failure there costs netInterface, nothing else
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
        (stage.single ??= []).push({ args: ['nodedev-dumpxml', '--', name], read });
      }
    }
    return { list };
  }

  private async runStage(stage: Stage, o: CallOptions, start: number, errors: string[]): Promise<void> {
    if (stage.commands.length) {
      const parts = await this.script(stage.commands, o, start, 'read host XML').catch((e: unknown) => {
        if (e instanceof VirshError && (e.kind === 'timeout' || e.kind === 'cancelled')) throw e;
        errors.push(`host XML: ${detail(e)}`);
        return undefined;
      });
      parts?.forEach((p, i) => stage.readers[i](p));
    }
    // names a command string cannot carry safely (seen only with odd interface names): one process each
    for (const s of stage.single ?? []) {
      const r = await execVirsh(this.target, s.args, this.runOpts(o, start));
      s.read(r.exitCode === 0 ? { ok: true, stdout: r.stdout, stderr: r.stderr }
        : { ok: false, stdout: r.stdout, stderr: r.stderr, error: failure(this.target, s.args[0], r.stderr).message });
    }
  }

  private async readNetworks(lists: Part[], errors: string[], o: CallOptions, start: number) {
    const stage: Stage = { commands: [], readers: [] };
    const nets = this.planNetworks(lists, stage, errors);
    if (!nets) return undefined;
    await this.runStage(stage, o, start, errors);
    return nets.list;
  }

  private async readPools(lists: Part[], errors: string[], o: CallOptions, start: number) {
    const stage: Stage = { commands: [], readers: [] };
    const pools = this.planPools(lists, stage, errors);
    if (!pools) return undefined;
    await this.runStage(stage, o, start, errors);
    return pools.list;
  }

  private async readNodeDevices(lists: Part[], errors: string[], o: CallOptions, start: number) {
    const stage: Stage = { commands: [], readers: [] };
    const devs = this.planNodeDevices(lists, stage, errors);
    await this.runStage(stage, o, start, errors);
    return devs.list;
  }

  // --- plumbing -----------------------------------------------------------------------------------------------

  /**
   * Runs commands as one script; a virsh that cannot parse it (an older client without a command or option used
   * here) gets one process per command instead, so the failing command reports alone.
   */
  private async script(commands: Command[], o: CallOptions, start: number, label: string): Promise<Part[]> {
    try {
      return await runScript(this.target, commands, this.runOpts(o, start), label);
    } catch (e) {
      if (!isScriptSyntaxError(e)) throw e;
      const parts: Part[] = [];
      for (const c of commands) {
        const r = await execVirsh(this.target, c, this.runOpts(o, start));
        parts.push(r.exitCode === 0 ? { ok: true, stdout: r.stdout, stderr: r.stderr }
          : { ok: false, stdout: r.stdout, stderr: r.stderr, error: failure(this.target, c[0], r.stderr).message });
      }
      return parts;
    }
  }

  private remaining(o: CallOptions, start: number): number {
    return Math.max(1, (o.timeoutMs ?? this.defaults.timeoutMs) - (Date.now() - start));
  }

  private runOpts(o: CallOptions, start: number) {
    return {
      timeoutMs: this.remaining(o, start),
      readonly: this.defaults.readonly ?? true,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(this.defaults.maxOutputBytes !== undefined ? { maxOutputBytes: this.defaults.maxOutputBytes } : {}),
    };
  }

  private must<T>(p: Parsed<T>, what: string): T {
    if (p.value === undefined) throw new VirshError('failed', `${this.displayUri}: ${what}: unreadable output (${p.problems.join('; ')})`);
    return p.value;
  }

  private partError(what: string, parts: Part[]): VirshError {
    const bad = parts.find((p) => !p.ok);
    return bad ? failure(this.target, what, bad.stderr || (bad.error ?? '')) : new VirshError('failed', `${this.displayUri}: ${what}: failed`);
  }
}

interface Stage {
  commands: Command[];
  readers: ((p: Part) => void)[];
  single?: { args: string[]; read: (p: Part) => void }[];
}

function domainList(parts: Part[], errors: string[]): DomainListEntry[] {
  const [names, ...rest] = parts;
  if (!names.ok) {
    errors.push(`domains: ${names.error}`);
    return [];
  }
  const list = note(parseDomainList(names.stdout), 'domains', errors) ?? [];
  const stateParts = rest.slice(0, STATES.length);
  const persistentPart = rest[STATES.length];
  const lists: Partial<Record<DomainState, string[]>> = {};
  STATES.forEach(([state], i) => {
    if (stateParts[i].ok) lists[state] = parseUuidList(stateParts[i].stdout).value ?? [];
  });
  const states = statesByUuid(lists);
  const persistent = persistentPart.ok ? new Set(parseUuidList(persistentPart.stdout).value) : undefined;
  return list.map((d) => {
    const out: DomainListEntry = { ...d };
    const s = d.uuid ? states.get(d.uuid) : undefined;
    if (s) out.state = s;
    if (persistent && d.uuid) out.persistent = persistent.has(d.uuid);
    return out;
  });
}

function note<T>(p: Parsed<T>, what: string, errors: string[]): T | undefined {
  for (const problem of p.problems) errors.push(`${what}: ${problem}`);
  return p.value;
}

function detail(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

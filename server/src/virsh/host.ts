import {
  machinesFor,
  parseCapabilities,
  parseDomainCapabilities,
  parseDomainUsage,
  parseVersion,
  pciDevices,
  vfioVariantSupport,
  type DomainCapabilities,
  type DomainListEntry,
  type HostCapabilities,
  type HostFacts,
  type Network,
  type Parsed,
  type PciDevice,
  type StoragePool,
  type Versions,
} from '../host';
import { VirshError, libvirtMessage, redactUri } from './errors';
import {
  LIST_DOMAINS,
  LIST_NETWORKS,
  LIST_NODEDEVS,
  LIST_POOLS,
  domainList,
  newStage,
  note,
  planDomains,
  planNetworks,
  planNodeDevices,
  planPools,
  type Stage,
} from './plan';
import { execVirsh, failure, runVirsh, type VirshTarget } from './run';
import { isScriptSyntaxError, runScript, type Command, type Part } from './script';

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

export interface FactsOptions extends CallOptions {
  /**
   * false: no domcapabilities (it needs a read-write connection, and a fresh daemon probes QEMU for seconds);
   * otherwise what to ask it for (default: libvirt's default virt type, arch and machine).
   */
  domcaps?: false | Pick<DomcapsOptions, 'virttype' | 'arch' | 'machine' | 'emulator'>;
}

/**
 * One libvirt host seen through virsh. Every method is a few virsh processes at most: reads are batched into one
 * command string per stage (see script.ts), so host facts cost two processes (+ one read-write for domcapabilities,
 * in parallel) whatever the number of devices.
 */
export class VirshHost {
  constructor(
    readonly target: VirshTarget,
    readonly defaults: HostDefaults,
  ) {}

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
    const byUuid = await runVirsh(
      this.target,
      ['dumpxml', ...(o.inactive ? ['--inactive'] : []), '--', entry.uuid],
      this.runOpts(o, start),
    );
    return byUuid.stdout;
  }

  /**
   * `virsh define /dev/stdin`, the XML on stdin (a file already removed when virsh starts: see run.ts stdinFile),
   * so no readable copy of the XML is left anywhere. Read-write.
   */
  async defineXml(xml: string, o: CallOptions = {}): Promise<{ name?: string; message: string }> {
    const r = await runVirsh(this.target, ['define', '/dev/stdin'], {
      ...this.runOpts(o, Date.now()),
      readonly: false,
      input: xml,
    });
    const m = /^Domain '?(.*?)'? defined from/m.exec(r.stdout);
    return { ...(m ? { name: m[1] } : {}), message: r.stdout.trim() };
  }

  async networks(o: CallOptions = {}): Promise<Network[]> {
    return this.listed(o, LIST_NETWORKS, 'net-list', planNetworks);
  }

  async pools(o: CallOptions = {}): Promise<StoragePool[]> {
    return this.listed(o, LIST_POOLS, 'pool-list', planPools);
  }

  /** PCI devices, VFs included, each with its PF/VFs and the network interface of its net child. */
  async nodeDevices(o: CallOptions = {}): Promise<PciDevice[]> {
    const start = Date.now();
    const errors: string[] = [];
    const lists = await this.script(LIST_NODEDEVS, o, start, 'nodedev-list');
    if (!lists[0].ok) throw this.partError('nodedev-list', lists);
    const stage = newStage();
    const devs = planNodeDevices(lists, stage, errors);
    await this.runStage(stage, o, start, errors);
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
  async facts(o: FactsOptions = {}): Promise<HostFacts> {
    const start = Date.now();
    const errors: string[] = [];
    // domcapabilities runs beside the reads (read-write, its own process); stopped when facts() fails or is
    // cancelled, and waited for, so that nothing facts() started outlives it
    const side = new AbortController();
    const onAbort = () => side.abort();
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const domcaps: Promise<DomainCapabilities | undefined> =
      o.domcaps === false
        ? Promise.resolve(undefined)
        : this.domcapabilities({ ...o.domcaps, signal: side.signal, timeoutMs: this.remaining(o, start) }).catch((e: unknown) => {
            // a slow domcapabilities (a fresh daemon probes QEMU for seconds) costs the domcaps, not the facts
            if (o.signal?.aborted || side.signal.aborted) throw e;
            errors.push(`domain capabilities: ${detail(e)}`);
            return undefined;
          });
    try {
      return await this.readFacts(o, start, errors, domcaps);
    } catch (e) {
      side.abort();
      await domcaps.catch(() => undefined);
      throw e;
    } finally {
      o.signal?.removeEventListener('abort', onAbort);
    }
  }

  private async readFacts(
    o: FactsOptions,
    start: number,
    errors: string[],
    domcapsP: Promise<DomainCapabilities | undefined>,
  ): Promise<HostFacts> {
    // its rejection, if any, is awaited later: keep Node from reporting it as unhandled meanwhile
    domcapsP.catch(() => undefined);
    const first: Command[] = [
      ['version', '--daemon'],
      ['capabilities'],
      ...LIST_DOMAINS,
      ...LIST_NETWORKS,
      ...LIST_POOLS,
      ...LIST_NODEDEVS,
    ];
    const parts = await this.script(first, o, start, 'read host');
    const [versionPart, capsPart] = parts;
    let at = 2;
    const take = (n: number) => parts.slice(at, (at += n));
    const domainParts = take(LIST_DOMAINS.length);
    const networkParts = take(LIST_NETWORKS.length);
    const poolParts = take(LIST_POOLS.length);
    const nodedevParts = take(LIST_NODEDEVS.length);

    const versions = versionPart.ok
      ? (note(parseVersion(versionPart.stdout), 'version', errors) ?? {})
      : (errors.push(`version: ${versionPart.error}`), {});
    const capabilities = capsPart.ok
      ? note(parseCapabilities(capsPart.stdout), 'capabilities', errors)
      : (errors.push(`capabilities: ${capsPart.error}`), undefined);
    const listed = domainList(domainParts, errors);

    // second stage: every XML, one process
    const stage = newStage();
    const usage = planDomains(listed, stage, errors);
    const nets = planNetworks(networkParts, stage, errors);
    const pools = planPools(poolParts, stage, errors);
    const devs = planNodeDevices(nodedevParts, stage, errors);
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
      pcis: pciDevices(devs),
      netInterfaces: devs.flatMap((d) => (d.net ? [d.net.interface] : [])).sort(),
      networks: nets ?? [],
      domains: usage(),
      pools: pools ?? [],
      errors,
    };
    if (capabilities) facts.capabilities = capabilities;
    if (domcaps) facts.domcaps = domcaps;
    return facts;
  }

  /** Several read commands of libvirt's own names (UUIDs, node device names) in one virsh process, one Part each. */
  async readMany(commands: Command[], o: CallOptions = {}, label = 'read'): Promise<Part[]> {
    return this.script(commands, o, Date.now(), label);
  }

  // --- stages and plumbing -------------------------------------------------------------------------------------

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
    for (const s of stage.single) {
      s.read(await this.single(s.args, o, start));
    }
  }

  /** A listing, then every XML it names; throws when the listing itself fails or any XML cannot be read. */
  private async listed<T>(
    o: CallOptions,
    lists: Command[],
    what: string,
    plan: (p: Part[], s: Stage, e: string[]) => T[] | undefined,
  ): Promise<T[]> {
    const start = Date.now();
    const errors: string[] = [];
    const parts = await this.script(lists, o, start, what);
    const stage = newStage();
    const items = plan(parts, stage, errors);
    if (!items) throw this.partError(what, parts);
    await this.runStage(stage, o, start, errors);
    if (errors.length) throw new VirshError('failed', `${this.displayUri}: ${errors[0]}`);
    return items;
  }

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
      for (const c of commands) parts.push(await this.single(c, o, start));
      return parts;
    }
  }

  /** One command in its own virsh process (argv: any name is safe), as a script Part. */
  private async single(args: readonly string[], o: CallOptions, start: number): Promise<Part> {
    const r = await execVirsh(this.target, args, this.runOpts(o, start));
    return r.exitCode === 0
      ? { ok: true, stdout: r.stdout, stderr: r.stderr }
      : {
          ok: false,
          stdout: r.stdout,
          stderr: r.stderr,
          error: libvirtMessage(r.stderr) || failure(this.target, args[0], r.stderr).message,
        };
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
    if (p.value === undefined)
      throw new VirshError('failed', `${this.displayUri}: ${what}: unreadable output (${p.problems.join('; ')})`);
    return p.value;
  }

  private partError(what: string, parts: Part[]): VirshError {
    const bad = parts.find((p) => !p.ok);
    return bad
      ? failure(this.target, what, bad.stderr || (bad.error ?? ''))
      : new VirshError('failed', `${this.displayUri}: ${what}: failed`);
  }
}

function detail(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

import type { HostContext, HostFacts } from '../host';
import { VirshError } from './errors';
import { VirshHost, type CallOptions } from './host';

export interface HostConfig {
  /** The name users see (`host-a`). */
  name: string;
  /** libvirt connection URI (`qemu+ssh://root@host-a/system`). */
  uri: string;
  /** Where the host takes migration data, when not at its URI's hostname (`virsh migrate --migrateuri`). */
  migrateUri?: string;
}

export interface HostsConfig {
  hosts: HostConfig[];
  /** The virsh program (machine setting `migratable.virshPath`). */
  virsh: string;
  /** Deadline of one host call. */
  timeoutMs: number;
}

/** How long read facts stay good for verdicts before they are read again (the view's Refresh reads at once). */
const FACTS_TTL_MS = 60_000;

interface Entry {
  /** As configured; entries are found case-insensitively (VS Code lower-cases the host of a `libvirt-domain:` URI). */
  name: string;
  host: VirshHost;
  migrateUri?: string;
  /** As configured (secrets included): `virsh migrate` connects to it; never shown. */
  uri: string;
  facts?: { value: HostFacts; at: number };
  /** The read under way: callers share it; `unbounded` once one waits without a signal (verdicts' refresh). */
  reading?: { promise: Promise<HostFacts>; stop: AbortController; waiting: number; unbounded: boolean };
  error?: VirshError;
  /** When `error` came: a host that failed is read again by verdicts only after FACTS_TTL_MS (else every failed read
   * would re-judge the documents, whose verdicts would start the next read at once). */
  errorAt?: number;
}

/**
 * The hosts the user configured (machine settings only: a workspace never chooses a URI or a program), each a
 * VirshHost with its facts cached. Disabled until configured: in an untrusted workspace it stays empty and nothing
 * runs. Also keeps the locks that stop a second migration of one domain from starting while one runs.
 */
export class HostRegistry {
  private config: HostsConfig | undefined;
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new Set<string>();
  private readonly listeners: ((name: string) => void)[] = [];

  /** `undefined` disables every host feature (untrusted workspace, or the client sent no configuration). */
  configure(config: HostsConfig | undefined): void {
    this.config = config;
    this.entries.clear();
    for (const h of config?.hosts ?? []) {
      if (!h || typeof h.name !== 'string' || typeof h.uri !== 'string' || !h.name || !h.uri) continue;
      this.entries.set(h.name.toLowerCase(), {
        name: h.name,
        uri: h.uri,
        ...(typeof h.migrateUri === 'string' && h.migrateUri ? { migrateUri: h.migrateUri } : {}),
        host: new VirshHost({ uri: h.uri, virsh: config!.virsh || 'virsh' }, { timeoutMs: config!.timeoutMs }),
      });
    }
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  get timeoutMs(): number {
    return this.config?.timeoutMs ?? 20_000;
  }

  names(): string[] {
    return [...this.entries.values()].map((e) => e.name);
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  host(name: string): VirshHost {
    const e = this.entries.get(name.toLowerCase());
    if (!e) {
      throw new VirshError(
        'not-found',
        this.enabled
          ? `no host named '${name}' in migratable.hosts`
          : 'host features are off (untrusted workspace, or no hosts configured)',
      );
    }
    return e.host;
  }

  /** `virsh migrate --migrateuri` for migrations to this host, when configured. */
  migrateUri(name: string): string | undefined {
    this.host(name);
    return this.entries.get(name.toLowerCase())!.migrateUri;
  }

  /** The URI as configured, for `virsh migrate DEST_URI`. */
  uri(name: string): string {
    this.host(name);
    return this.entries.get(name.toLowerCase())!.uri;
  }

  /** The host's facts, read at most once per TTL (concurrent callers share one read). */
  async facts(name: string, o: CallOptions & { refresh?: boolean } = {}): Promise<HostFacts> {
    this.host(name); // throws for an unknown host
    const e = this.entries.get(name.toLowerCase())!;
    if (!o.refresh && e.facts && Date.now() - e.facts.at < FACTS_TTL_MS) return e.facts.value;
    if (!e.reading) {
      const stop = new AbortController();
      const promise = e.host
        .facts({ signal: stop.signal, ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) })
        .then((value) => {
          e.facts = { value, at: Date.now() };
          e.error = undefined;
          for (const l of this.listeners) l(e.name);
          return value;
        })
        .catch((err: unknown) => {
          // a read everyone stopped waiting for is no failure of the host
          if (!stop.signal.aborted) {
            e.error = err instanceof VirshError ? err : new VirshError('failed', String(err));
            e.errorAt = Date.now();
            for (const l of this.listeners) l(e.name);
          }
          throw err;
        })
        .finally(() => {
          if (e.reading?.promise === promise) e.reading = undefined;
        });
      promise.catch(() => undefined);
      e.reading = { promise, stop, waiting: 0, unbounded: false };
    }
    const reading = e.reading;
    if (!o.signal) {
      reading.unbounded = true;
      return reading.promise;
    }
    // the read is shared: it is stopped (virsh killed) only when every caller waiting for it has cancelled
    reading.waiting++;
    try {
      return await raceAbort(reading.promise, o.signal);
    } finally {
      reading.waiting--;
      if (o.signal.aborted && reading.waiting === 0 && !reading.unbounded) reading.stop.abort();
    }
  }

  /**
   * Starts a read of the host unless one runs, it was read (or failed) already and `again` is not set; nobody waits
   * for it (listeners hear when it ends). Returns whether a read is under way.
   */
  readInBackground(name: string, again = false): boolean {
    const e = this.entries.get(name.toLowerCase());
    if (!e) return false;
    if (!e.reading && (again || (!e.facts && !e.error))) this.facts(name, { refresh: again }).catch(() => undefined);
    return !!e.reading;
  }

  /** The facts read last, if any (verdicts use them without waiting for a host). */
  cached(name: string): HostFacts | undefined {
    return this.entries.get(name.toLowerCase())?.facts?.value;
  }

  /** The last failure reading this host, for its node in the view. */
  lastError(name: string): VirshError | undefined {
    return this.entries.get(name.toLowerCase())?.error;
  }

  /**
   * A host context for verdicts from cached facts; starts a read (and calls listeners when it lands) when stale,
   * unless the last read failed within the TTL.
   */
  context(name: string): HostContext | undefined {
    const e = this.entries.get(name.toLowerCase());
    if (!e) return undefined;
    const stale = !e.facts || Date.now() - e.facts.at >= FACTS_TTL_MS;
    const failedLately = e.error !== undefined && Date.now() - (e.errorAt ?? 0) < FACTS_TTL_MS;
    if (stale && !failedLately) this.facts(name).catch(() => undefined);
    return e.facts ? { name, facts: e.facts.value } : undefined;
  }

  /** Called with a host's name whenever a read of it ends: new facts, or an error (not when it was cancelled). */
  onFacts(listener: (name: string) => void): void {
    this.listeners.push(listener);
  }

  /** Takes a named lock (`host/uuid`); undefined when it is taken. The returned function releases it. */
  tryLock(key: string): (() => void) | undefined {
    if (this.locks.has(key)) return undefined;
    this.locks.add(key);
    return () => this.locks.delete(key);
  }
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new VirshError('cancelled', 'cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new VirshError('cancelled', 'cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

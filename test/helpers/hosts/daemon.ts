import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../paths';
import { assertPrerequisites, type LibvirtVersion } from './prereq';
import { C_ENV, run, type RunResult, stopProcess, watch, type Watcher } from './proc';
import { instancePids, runDir } from './rundir';

export interface Daemon {
  readonly name: string;
  /** Unique among the run's daemons (name and version): file names in the run dir use it. */
  readonly id: string;
  readonly libvirt: LibvirtVersion;
  /** qemu:///system?socket=… for the system's virsh (9.0; it drives the 11.3 daemons too). */
  readonly uri: string;
  readonly hostUuid: string;
  readonly hostname: string;
  /** The instance's state directory (etc/, run/, var-upper/ = its /var). */
  readonly dir: string;
  /** The run's state directory, shared by all daemons of this test process (guests/ holds kernels and serial logs). */
  readonly runDir: string;
  /** ms: the start script, and the first virsh call (QEMU capabilities probe, unless they came from the cache). */
  readonly timings: { startMs: number; firstCallMs: number; capsFromCache: boolean; setupMs: number };
  /** `virsh -c URI ...args` (60 s deadline unless given); never rejects on a non-zero exit. */
  virsh(args: string[], opts?: { timeoutMs?: number }): Promise<RunResult>;
  /**
   * Collects `virsh event --all --loop --timestamp` (libvirt's events: lifecycle, migration-iteration, device-removed…)
   * or `virsh qemu-monitor-event --loop --timestamp` (QMP: FAILOVER_NEGOTIATED, UNPLUG_PRIMARY, MIGRATION…) of all
   * domains, or of one; stopped by stop() or at exit if not before.
   */
  watch(kind: 'events' | 'qmp', domain?: string): Watcher;
  /** The QEMU log of a domain on this daemon (command line, QEMU's warnings and errors). */
  qemuLog(domain: string): string;
  /** Kills the guests, the networks' dnsmasq and the daemon, then removes the instance dir; never throws. */
  stop(): Promise<void>;
}

export interface DaemonOptions {
  libvirt: LibvirtVersion;
  name?: string;
  hostUuid?: string;
  hostname?: string;
}

const SANDBOX = join(ROOT, 'scripts', 'libvirtd-sandbox');
const LV11 = join(ROOT, 'scripts', 'lv11');
const CAPS_CACHE = join(ROOT, '.cache', 'libvirt-caps');
const used = new Set<string>();
let lv11Setup: Promise<number> | undefined;

/** Starts a sandboxed libvirtd (9.0: the system's, scripts/libvirtd-sandbox; 11.3: scripts/lv11's chroot). */
export async function startDaemon(opts: DaemonOptions): Promise<Daemon> {
  assertPrerequisites([opts.libvirt]);
  const dirOfRun = await runDir();
  // instance names are unique per libvirt version in a run (9.0's live in inst/, 11.3's in inst11/)
  let name = opts.name ?? 'lv1';
  for (let i = 2; used.has(`${opts.libvirt}/${name}`); i++) name = `${opts.name ?? 'lv'}${opts.name ? '-' : ''}${i}`;
  used.add(`${opts.libvirt}/${name}`);
  const hostUuid = opts.hostUuid ?? randomUUID();
  const hostname = opts.hostname ?? `lv-${name}`;
  const is11 = opts.libvirt === '11.3';
  const dir = join(dirOfRun, is11 ? 'inst11' : 'inst', name);
  const env = { ...C_ENV, LVO: dirOfRun, LV_NETNS: join(dirOfRun, 'netns'), LV11_BINDS: dirOfRun };

  const setupMs = is11 ? await setupLv11() : 0;
  const capsFromCache = seedCaps(opts.libvirt, dir);
  const t0 = Date.now();
  const script = is11 ? [LV11, 'start', name, hostUuid, hostname] : [join(SANDBOX, 'lv-start'), name, hostUuid, hostname];
  const started = await run('bash', script, { env, timeoutMs: 30_000 });
  if (started.code !== 0) {
    await stopDaemon(dir);
    throw new Error(`libvirt ${opts.libvirt} daemon ${name} did not start (exit ${started.code}):\n${started.stderr}`);
  }
  const startMs = Date.now() - t0;

  const uri = `qemu:///system?socket=${join(dir, 'run', 'libvirt-sock')}`;
  const virsh = (args: string[], o: { timeoutMs?: number } = {}) =>
    run('virsh', ['-c', uri, ...args], { timeoutMs: o.timeoutMs ?? 60_000 });
  const t1 = Date.now();
  const version = await virsh(['version', '--daemon'], { timeoutMs: 120_000 });
  const running = /Running against daemon: (\S+)/.exec(version.stdout)?.[1] ?? '?';
  if (version.code !== 0 || !running.startsWith(opts.libvirt)) {
    await stopDaemon(dir);
    throw new Error(`libvirt ${opts.libvirt} daemon ${name} does not answer as ${opts.libvirt} (${running}): ${version.stderr}`);
  }
  const firstCallMs = Date.now() - t1;
  saveCaps(opts.libvirt, dir);

  let stopped: Promise<void> | undefined;
  const watchers: Watcher[] = [];
  return {
    name,
    id: `${is11 ? 'lv11' : 'lv9'}-${name}`,
    libvirt: opts.libvirt,
    uri,
    hostUuid,
    hostname,
    dir,
    runDir: dirOfRun,
    timings: { startMs, firstCallMs, capsFromCache, setupMs },
    virsh,
    watch: (kind, domain) => {
      const w = watch('virsh', [
        '-c',
        uri,
        kind === 'qmp' ? 'qemu-monitor-event' : 'event',
        ...(kind === 'events' ? ['--all'] : []),
        '--loop',
        '--timestamp',
        ...(domain ? ['--domain', domain] : []),
      ]);
      watchers.push(w);
      return w;
    },
    qemuLog: (domain) => join(dir, 'var-upper', 'log', 'libvirt', 'qemu', `${domain}.log`),
    stop: () => (stopped ??= Promise.all(watchers.map((w) => w.stop())).then(() => stopDaemon(dir))),
  };
}

async function stopDaemon(dir: string): Promise<void> {
  try {
    for (const p of instancePids(dir)) await stopProcess(p.pid, p.name);
    if (process.env.MIGRATABLE_KEEP_HOSTS !== '1') rmSync(dir, { recursive: true, force: true });
  } catch {
    /* stop never throws: it runs in after hooks, where the test's own failure is what matters */
  }
}

/** `lv11 setup` once per process (it is idempotent and flock'ed across processes); exit 3 says what is missing. */
function setupLv11(): Promise<number> {
  lv11Setup ??= (async () => {
    const t0 = Date.now();
    const r = await run('bash', [LV11, 'setup'], { timeoutMs: 20 * 60_000 });
    if (r.code !== 0) throw new Error(`scripts/lv11 setup failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
    return Date.now() - t0;
  })();
  return lv11Setup;
}

/**
 * libvirt probes QEMU's capabilities on a daemon's first use (~4 s for 9.0 with /dev/kvm hidden, more for 11.3) and
 * keeps them in /var/cache/libvirt/qemu/capabilities; it revalidates a cached file itself (QEMU and libvirtd
 * binaries' ctimes, kernel, /dev/kvm), so seeding a new instance with the last one's files is safe and makes its
 * first call take ~50 ms. Cache: .cache/libvirt-caps/VERSION (gitignored), replaced whenever libvirt re-probed.
 */
const capsDir = (dir: string) => join(dir, 'var-upper', 'cache', 'libvirt', 'qemu', 'capabilities');

function seedCaps(version: LibvirtVersion, dir: string): boolean {
  const from = join(CAPS_CACHE, version);
  if (!existsSync(from)) return false;
  const to = capsDir(dir);
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) copyFileSync(join(from, f), join(to, f));
  return true;
}

function saveCaps(version: LibvirtVersion, dir: string): void {
  const from = capsDir(dir);
  const to = join(CAPS_CACHE, version);
  if (!existsSync(from)) return;
  const files = readdirSync(from).filter((f) => f.endsWith('.xml'));
  const same =
    existsSync(to) &&
    files.every((f) => existsSync(join(to, f)) && readFileSync(join(to, f)).equals(readFileSync(join(from, f))));
  if (same || files.length === 0) return;
  // written beside, then renamed: a concurrent test process sees the old cache or the new one, never half of one
  const tmp = `${to}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const f of files) copyFileSync(join(from, f), join(tmp, f));
  rmSync(to, { recursive: true, force: true });
  try {
    renameSync(tmp, to);
  } catch {
    rmSync(tmp, { recursive: true, force: true });
  }
}

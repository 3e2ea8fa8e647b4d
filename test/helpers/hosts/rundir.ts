import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcess, run, stopProcess } from './proc';

/**
 * One state directory per test process, $TMPDIR/migratable-hosts/PID-XXXXXX: the daemons' instance dirs (inst/ for
 * 9.0, inst11/ for 11.3, i.e. LVO for the scripts), the guests' kernels and serial logs (guests/), and a persistent
 * network namespace (netns) that every daemon of the run lives in, so that bridges, dnsmasq and firewall rules of
 * libvirt networks never touch the host's and two test files never collide. Removed when the process exits
 * (MIGRATABLE_KEEP_HOSTS=1 keeps it for a post-mortem); the leftovers of a crashed run are cleaned at the next start.
 */
const BASE = join(tmpdir(), 'migratable-hosts');
let current: Promise<string> | undefined;

export function runDir(): Promise<string> {
  current ??= create();
  return current;
}

async function create(): Promise<string> {
  mkdirSync(BASE, { recursive: true });
  await cleanStale();
  const dir = mkdtempSync(join(BASE, `${process.pid}-`));
  writeFileSync(join(dir, 'owner'), `${process.pid} ${startTime(process.pid)}\n`);
  mkdirSync(join(dir, 'guests'));
  writeFileSync(join(dir, 'netns'), '');
  const ns = await run('unshare', [`--net=${join(dir, 'netns')}`, 'ip', 'link', 'set', 'lo', 'up'], { timeoutMs: 10_000 });
  if (ns.code !== 0) throw new Error(`cannot make the test network namespace: ${ns.stderr}`);
  process.on('exit', () => removeRunDir(dir));
  // a test file killed by a signal (a runner's timeout, Ctrl-C) still takes its daemons and guests along
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, function onSignal() {
      removeRunDir(dir);
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig); // nobody else handles it: die of it
    });
  }
  return dir;
}

/** Field 22 of /proc/PID/stat: tells a live owner from a recycled PID; '' for a dead one (a zombie too). */
function startTime(pid: number): string {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'latin1').split(') ')[1].split(' ');
    return fields[0] === 'Z' ? '' : fields[19];
  } catch {
    return '';
  }
}

function ownerAlive(dir: string): boolean {
  try {
    const [pid, start] = readFileSync(join(dir, 'owner'), 'latin1').trim().split(' ');
    return startTime(Number(pid)) === start;
  } catch {
    // no owner file yet: a run dir being created this very moment belongs to the live PID its name starts with
    const pid = Number(/^(\d+)-/.exec(dir.split('/').pop() ?? '')?.[1]);
    return pid > 0 && startTime(pid) !== '';
  }
}

/** The PID files of an instance dir: its guests, its networks' dnsmasq, its libvirtd (in the order to stop them). */
export function instancePids(inst: string): { pid: number; name: string }[] {
  const read = (file: string) => {
    try {
      return Number(readFileSync(file, 'latin1').trim()) || 0;
    } catch {
      return 0;
    }
  };
  const list = (sub: string, name: string) => {
    const d = join(inst, 'run', sub);
    if (!existsSync(d)) return [];
    return readdirSync(d)
      .filter((f) => f.endsWith('.pid') && f !== 'driver.pid')
      .map((f) => ({ pid: read(join(d, f)), name }));
  };
  return [
    ...list('qemu', 'qemu-system'),
    ...list('network', 'dnsmasq'),
    { pid: read(join(inst, 'run', 'libvirtd.pid')), name: 'libvirtd' },
  ].filter((p) => p.pid > 0);
}

/** Every instance dir of a run dir (9.0's in inst/, 11.3's in inst11/). */
function instances(dir: string): string[] {
  return ['inst', 'inst11']
    .map((k) => join(dir, k))
    .filter((d) => existsSync(d))
    .flatMap((d) => readdirSync(d).map((i) => join(d, i)));
}

async function cleanStale(): Promise<void> {
  for (const entry of readdirSync(BASE)) {
    const dir = join(BASE, entry);
    if (ownerAlive(dir)) continue;
    for (const inst of instances(dir)) {
      for (const p of instancePids(inst)) await stopProcess(p.pid, p.name, 5_000);
    }
    removeRunDir(dir);
  }
}

/**
 * At exit nothing can be awaited: every guest, dnsmasq and daemon of the run still alive gets SIGKILL, then the
 * dir goes (MIGRATABLE_KEEP_HOSTS=1 keeps its files, never its processes).
 */
function removeRunDir(dir: string): void {
  try {
    for (const inst of instances(dir)) {
      for (const p of instancePids(inst)) {
        if (isProcess(p.pid, p.name)) {
          try {
            process.kill(p.pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }
    }
  } catch {
    /* best effort at exit */
  }
  if (existsSync(join(dir, 'netns'))) spawnSync('umount', [join(dir, 'netns')], { stdio: 'ignore', timeout: 10_000 });
  if (process.env.MIGRATABLE_KEEP_HOSTS === '1') return;
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    /* the next run's cleanStale retries */
  }
}

import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HostNotifications, HostRequests } from '../../server/src/protocol';
import { missingPrerequisites, startDaemon, type Daemon } from '../helpers/hosts';
import { CLI_BUNDLE, ROOT } from '../helpers/paths';
import { sriovHost } from '../helpers/sriov-node';
import { median, ms, verdict, type Row } from './stats';
import { p95, typingOverWire } from './wire/scenarios';

/**
 * Host operations as the user waits for them (issue 13's targets): a destination profile from a host with 128 VFs
 * (the CLI as a process, against libvirt 11.3's test driver through a real 11.3 libvirtd: 2 PFs × 64 VFs); a
 * preflight of a domain with 8 VFs against a local sandboxed libvirtd (the CLI as a process); and the editor's
 * keystroke → diagnostics round trip over stdio while a host call is in flight (a host that never answers).
 */
export interface HostBench {
  what: string;
  /** Milliseconds. */
  target: number;
  runs: number;
  /** Why it cannot run here (not root, no chroot…), or undefined. */
  unavailable(): string | undefined;
  setup?(): Promise<void>;
  run(): Promise<number>;
  teardown?(): Promise<void>;
}

const work = mkdtempSync(join(tmpdir(), 'migratable-bench-hosts-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function cliMs(args: string[]): Promise<number> {
  return new Promise((resolveMs, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('close', (code) =>
      code === 0 || code === 1
        ? resolveMs(performance.now() - t0)
        : reject(new Error(`migratable ${args[0]} exited ${code}: ${stderr}`)),
    );
  });
}

const LV11 = resolve(ROOT, 'scripts', 'lv11');
const lv11Env = () => ({ ...process.env, LVO: join(work, 'lvo'), LV11_BINDS: tmpdir() });
let lv11Uri = '';

const profile128: HostBench = {
  what: 'destination profile from a host with 128 VFs',
  target: 2000,
  runs: 5,
  unavailable: () => (process.getuid?.() !== 0 ? 'needs root (the libvirt 11.3 chroot)' : undefined),
  async setup() {
    const setup = spawnSync(LV11, ['setup'], { encoding: 'utf8', timeout: 15 * 60_000 });
    if (setup.status !== 0) throw new Error(`scripts/lv11 setup: ${setup.stderr}`);
    const node = join(work, 'node.xml');
    writeFileSync(node, sriovHost(64).xml);
    const start = spawnSync(LV11, ['start', 'bench'], { encoding: 'utf8', env: lv11Env(), timeout: 60_000 });
    if (start.status !== 0) throw new Error(`lv11 start: ${start.stderr}`);
    const socket = /socket=(.*)$/.exec(spawnSync(LV11, ['uri', 'bench'], { encoding: 'utf8', env: lv11Env() }).stdout.trim())![1];
    lv11Uri = `test+unix://${node}?socket=${socket}`;
  },
  // the teamed domain of the test host, proposed onto the same host: every VF's facts read, a free one chosen
  run: () => cliMs(['profile', '--connect', lv11Uri, 'vm-teaming', '--dest', lv11Uri]),
  async teardown() {
    spawnSync(LV11, ['stop', 'bench'], { env: lv11Env(), timeout: 30_000 });
  },
};

let daemon: Daemon | undefined;
const eightVfs = join(work, 'eight-vfs.xml');
const eightProfile = join(work, 'eight-vfs.migration.json');

const preflight8: HostBench = {
  what: 'preflight of a domain with 8 VFs (local daemon)',
  target: 3000,
  runs: 5,
  unavailable: () => {
    const missing = missingPrerequisites(['9.0']);
    return missing.length ? missing.join('; ') : undefined;
  },
  async setup() {
    daemon = await startDaemon({ libvirt: '9.0', name: 'bench' });
    let devices = '';
    const hostdevs: Record<string, string> = {};
    for (let i = 0; i < 8; i++) {
      const mac = `52:54:00:00:10:${i.toString(16).padStart(2, '0')}`;
      devices +=
        `<interface type='network'><mac address='${mac}'/><source network='default'/><model type='virtio'/><teaming type='persistent'/><alias name='ua-s${i}'/></interface>\n` +
        `<interface type='hostdev' managed='yes'><mac address='${mac}'/><source><address type='pci' domain='0x0000' bus='0x3b' slot='0x02' function='0x${i}'/></source><teaming type='transient' persistent='ua-s${i}'/></interface>\n`;
      hostdevs[`0000:3b:02.${i}`] = `0000:5e:10.${i}`;
    }
    writeFileSync(
      eightVfs,
      `<domain type='qemu'><name>eight</name><memory unit='MiB'>256</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>\n${devices}</devices></domain>\n`,
    );
    writeFileSync(eightProfile, JSON.stringify({ hostdevs }));
  },
  run: () => cliMs(['preflight', eightVfs, '--dest', daemon!.uri, '--profile', eightProfile, '--format', 'json']),
  async teardown() {
    await daemon?.stop();
  },
};

export const HOST_BENCHES: HostBench[] = [profile128, preflight8];

/** A host that accepts and never answers: its virsh stand-in sleeps until killed. */
function silentVirsh(): string {
  const file = join(work, 'virsh-silent');
  writeFileSync(file, '#!/bin/sh\nexec sleep 3600\n');
  chmodSync(file, 0o755);
  return file;
}

export async function benchHosts(): Promise<Row[]> {
  console.log('\n## Host operations\n');
  const rows: Row[] = [];
  for (const b of HOST_BENCHES) {
    const why = b.unavailable();
    if (why) {
      console.log(`${b.what}: not measured (${why})`);
      rows.push({ what: b.what, median: '', p95: '', note: `not measured: ${why}`, target: `< ${b.target} ms`, result: '' });
      continue;
    }
    try {
      await b.setup?.();
      const times: number[] = [];
      for (let i = 0; i < b.runs; i++) times.push(await b.run());
      const m = median(times);
      console.log(
        `${b.what}: median ${ms(m)} ms of ${b.runs} (${times.map((t) => Math.round(t)).join(', ')})  target < ${b.target} ms: ${verdict(m, b.target)}`,
      );
      rows.push({
        what: b.what,
        median: `${ms(m)} ms`,
        p95: '',
        note: 'the CLI as a process, end to end',
        target: `< ${b.target} ms`,
        result: verdict(m, b.target),
      });
    } finally {
      await b.teardown?.();
    }
  }
  // the editor while a host hangs: every host call is asynchronous in the server, so typing is not held up; the same
  // keystrokes without a host call beside them, for comparison on this machine at this load
  const alone = await typingOverWire(2000, 200, 'alias');
  const virsh = silentVirsh();
  const t = await typingOverWire(2000, 200, 'alias', async (client) => {
    await client.connection.sendNotification(HostNotifications.configure.method, {
      hosts: [{ name: 'silent', uri: 'qemu+ssh://silent/system' }],
      virshPath: virsh,
      timeoutSeconds: 600,
    });
    void client.connection.sendRequest(HostRequests.domains.method, { host: 'silent' }).catch(() => undefined);
  });
  const worst = p95(t);
  console.log(
    `keystroke → diagnostics, ${t.lines} lines, while a host call hangs: p95 ${ms(worst)} ms (without one: ${ms(p95(alone))} ms)  target <= 10 ms: ${verdict(worst, 10)}`,
  );
  rows.push({
    what: `keystroke → diagnostics while a host call hangs (${t.lines} lines)`,
    median: '',
    p95: `${ms(worst)} ms`,
    note: `over stdio; without the host call ${ms(p95(alone))} ms`,
    target: 'p95 <= 10 ms',
    result: verdict(worst, 10),
  });
  return rows;
}

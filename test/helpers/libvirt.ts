import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths';

/**
 * Tests that need libvirt as the judge run unless MIGRATABLE_SKIP_LIBVIRT=1 is set; then they are reported as
 * skipped with this reason (never silently passed). Without the variable, a missing tool is a failure that
 * names the Debian packages (scripts/system-deps.sh installs them).
 */
export const LIBVIRT_SKIP: string | false =
  process.env.MIGRATABLE_SKIP_LIBVIRT === '1' ? 'MIGRATABLE_SKIP_LIBVIRT=1: libvirt is not the judge in this run' : false;

/** A real libvirtd with the QEMU driver in the project's sandbox (scripts/libvirtd-sandbox), for one test file. */
export interface Sandbox {
  /** `qemu:///system?socket=…` */
  uri: string;
  socket: string;
  /** Its state folder (LVO), removed by stop(). */
  dir: string;
  stop(): void;
}

/** Starts the sandbox instance `name` in a fresh state folder; fails saying what it needs when it cannot. */
export function startSandbox(name: string): Sandbox {
  const sandbox = join(ROOT, 'scripts', 'libvirtd-sandbox');
  const dir = mkdtempSync(join(tmpdir(), 'migratable-lvo-'));
  const env = { ...process.env, LVO: dir };
  const start = spawnSync('bash', [join(sandbox, 'lv-start'), name], { encoding: 'utf8', env, timeout: 30_000 });
  assert.equal(
    start.status,
    0,
    `the libvirtd sandbox did not start (needs root, unshare, and apt-get install -y libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86):\n${start.stderr}`,
  );
  const socket = join(dir, 'inst', name, 'run', 'libvirt-sock');
  for (let i = 0; i < 100 && !existsSync(socket); i++) spawnSync('sleep', ['0.1']);
  assert.ok(existsSync(socket), `the sandbox's libvirtd made no socket at ${socket}`);
  return {
    uri: `qemu:///system?socket=${socket}`,
    socket,
    dir,
    stop: () => {
      spawnSync('bash', [join(sandbox, 'lv-stop'), name], { env, timeout: 30_000 });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './paths';

/**
 * A real OpenSSH server on 127.0.0.1, for `qemu+ssh://` against the libvirtd sandbox: Debian's sshd unpacked from
 * its package into .cache/sshd (never installed: installing openssh-server would start an sshd on port 22 on a
 * developer's machine), with its own host key, one authorized key, root login by key only.
 *
 * The ssh client is the machine's (openssh-client, which virsh runs). Its known hosts are the test's own: `bin` holds
 * an `ssh` that adds `-o UserKnownHostsFile=… -o GlobalKnownHostsFile=/dev/null`, put first in PATH for virsh, as a
 * user's ~/.ssh/config would; nothing is written to ~/.ssh.
 */
export interface Sshd {
  port: number;
  /** A key the server accepts, and one it does not. */
  key: string;
  wrongKey: string;
  /** The client's known hosts: `trust()` writes the server's real key, `distrust()` another key for it. */
  knownHosts: string;
  trust(): void;
  distrust(): void;
  forget(): void;
  /** A directory to put first in PATH: its `ssh` uses `knownHosts`. */
  bin: string;
  stop(): Promise<void>;
}

const CACHE = join(ROOT, '.cache', 'sshd');
const SSHD = join(CACHE, 'root', 'usr', 'sbin', 'sshd');
const LIBS = join(CACHE, 'root', 'lib', 'x86_64-linux-gnu');

/** sshd and libwrap (which Debian's sshd links and a machine without openssh-server lacks), unpacked once. */
function unpack(): void {
  if (existsSync(SSHD)) return;
  const debs = join(CACHE, 'debs');
  mkdirSync(debs, { recursive: true });
  const dl = spawnSync('apt-get', ['download', 'openssh-server', 'libwrap0'], { cwd: debs, encoding: 'utf8', timeout: 120_000 });
  if (dl.status !== 0)
    throw new Error(
      `apt-get download openssh-server libwrap0 failed (Debian's package lists needed: apt-get update):\n${dl.stderr}`,
    );
  for (const deb of readdirSync(debs).filter((f) => f.endsWith('.deb'))) {
    const x = spawnSync('dpkg-deb', ['-x', join(debs, deb), join(CACHE, 'root')], { encoding: 'utf8' });
    if (x.status !== 0) throw new Error(`dpkg-deb -x ${deb}: ${x.stderr}`);
  }
  if (!existsSync(SSHD)) throw new Error(`no sshd in the unpacked package at ${SSHD}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function keygen(path: string): void {
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'migratable-test', '-f', path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen: ${r.stderr}`);
}

export async function startSshd(): Promise<Sshd> {
  unpack();
  const dir = mkdtempSync('/tmp/migratable-sshd-');
  for (const k of ['host', 'other-host', 'user', 'wrong']) keygen(join(dir, k));
  writeFileSync(join(dir, 'authorized_keys'), spawnSync('cat', [join(dir, 'user.pub')], { encoding: 'utf8' }).stdout);
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege separation directory
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, '');
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const sshPath = spawnSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).stdout.trim();
  if (!sshPath) throw new Error('no ssh client: apt-get install openssh-client');
  writeFileSync(
    join(bin, 'ssh'),
    `#!/bin/sh\nexec ${sshPath} -o UserKnownHostsFile=${knownHosts} -o GlobalKnownHostsFile=/dev/null "$@"\n`,
  );
  chmodSync(join(bin, 'ssh'), 0o755);

  let child: ChildProcess | undefined;
  let port = 0;
  let log = '';
  for (let attempt = 0; attempt < 5 && !child; attempt++) {
    port = await freePort();
    const config = join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${join(dir, 'host')}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        `PidFile ${join(dir, 'sshd.pid')}`,
        '',
      ].join('\n'),
    );
    const c = spawn(SSHD, ['-D', '-e', '-f', config], {
      env: { ...process.env, LD_LIBRARY_PATH: LIBS },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    log = '';
    c.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    const up = await new Promise<boolean>((resolve) => {
      const t0 = Date.now();
      const poll = () => {
        if (/Server listening on/.test(log)) resolve(true);
        else if (c.exitCode !== null || Date.now() - t0 > 10_000) resolve(false);
        else setTimeout(poll, 20);
      };
      poll();
    });
    if (up) child = c;
    else c.kill('SIGKILL');
  }
  if (!child) throw new Error(`sshd did not start (needs root for a login as root):\n${log}`);
  const sshd = child;

  const hostLine = (pub: string) =>
    `[127.0.0.1]:${port} ${spawnSync('cut', ['-d', ' ', '-f', '1,2', pub], { encoding: 'utf8' }).stdout.trim()}\n`;
  return {
    port,
    key: join(dir, 'user'),
    wrongKey: join(dir, 'wrong'),
    knownHosts,
    trust: () => writeFileSync(knownHosts, hostLine(join(dir, 'host.pub'))),
    distrust: () => writeFileSync(knownHosts, hostLine(join(dir, 'other-host.pub'))),
    forget: () => writeFileSync(knownHosts, ''),
    bin,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (sshd.exitCode !== null) return done();
        sshd.once('exit', done);
        sshd.kill('SIGTERM');
      }),
  };
}

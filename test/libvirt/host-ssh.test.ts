import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { VirshError, runVirsh } from '../../server/src/virsh';
import { processesWith } from '../helpers/host';
import { LIBVIRT_SKIP, startSandbox, type Sandbox } from '../helpers/libvirt';
import { CLI_BUNDLE } from '../helpers/paths';
import { startSshd, type Sshd } from '../helpers/sshd';

/**
 * qemu+ssh:// as users connect to their hosts: virsh runs the machine's OpenSSH client, which logs in to a real sshd
 * (test/helpers/sshd.ts) that runs libvirt's virt-ssh-helper into the sandboxed libvirtd. What a user sees when the
 * key is refused or the host key is unknown or has changed is ssh's own words under virsh's, classified, with what
 * to do, and no secret of the URI; and nothing of ssh stays behind.
 */

describe('qemu+ssh:// through a real sshd into the libvirtd sandbox', { skip: LIBVIRT_SKIP }, () => {
  let sandbox: Sandbox;
  let socket: string;
  let sshd: Sshd;
  let env: NodeJS.ProcessEnv;
  const sshUri = (key: string) => `qemu+ssh://root@127.0.0.1:${sshd.port}/system?socket=${socket}&keyfile=${key}`;

  before(async () => {
    sandbox = startSandbox('ssh');
    socket = sandbox.socket;
    sshd = await startSshd();
    env = { ...process.env, PATH: `${sshd.bin}:${process.env.PATH}` };
    const xml = join(sandbox.dir, 'web-ssh.xml');
    writeFileSync(
      xml,
      `<domain type='qemu'><name>web-ssh</name><memory>65536</memory><os><type arch='x86_64' machine='q35'>hvm</type></os>
<devices><hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/></source></hostdev></devices></domain>`,
    );
    const define = spawnSync('virsh', ['-c', `qemu:///system?socket=${socket}`, 'define', xml], { encoding: 'utf8' });
    assert.equal(define.status, 0, define.stderr);
  });
  after(async () => {
    await sshd?.stop();
    sandbox?.stop();
  });

  /** The real CLI, with the test's ssh first in PATH. */
  function cli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((done) => {
      const c = spawn(process.execPath, [CLI_BUNDLE, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      c.on('close', (status) => done({ status, stdout, stderr }));
    });
  }

  /** The VirshError of `virsh list` through the virsh runner, with the test's ssh first in PATH. */
  async function virshError(uri: string): Promise<VirshError> {
    const previous = process.env.PATH;
    process.env.PATH = env.PATH; // the runner passes this process's environment to virsh
    try {
      await runVirsh({ uri }, ['list'], { timeoutMs: 20_000 });
    } catch (e) {
      assert.ok(e instanceof VirshError, String(e));
      return e;
    } finally {
      process.env.PATH = previous;
    }
    assert.fail('virsh list succeeded');
  }

  function noSshLeft(): void {
    assert.deepEqual(processesWith(`-p ${sshd.port}`), [], 'an ssh was left running');
  }

  it('the right key and a known host: migratable check --connect reads the host over ssh as over its socket', async () => {
    sshd.trust();
    const local = await cli(['check', '--format', 'json', '--connect', `qemu:///system?socket=${socket}`, 'web-ssh']);
    const remote = await cli(['check', '--format', 'json', '--connect', sshUri(sshd.key), 'web-ssh']);
    assert.equal(remote.status, local.status, remote.stderr);
    const codes = (out: string) =>
      (JSON.parse(out) as { diagnostics: { code: string; range: unknown }[] }[]).flatMap((f) =>
        f.diagnostics.map((d) => [d.code, d.range]),
      );
    assert.ok(
      codes(local.stdout).some(([c]) => String(c).startsWith('migration-')),
      `the VF's migration blocker: ${local.stdout}`,
    );
    assert.deepEqual(codes(remote.stdout), codes(local.stdout));
    assert.ok(!remote.stderr.includes(sshd.key) && !remote.stdout.includes(sshd.key), 'the key file path is shown');
    noSshLeft();
  });

  it("a key the host refuses: auth-failed, in ssh's words, with what to do; the key file never shown", async () => {
    sshd.trust();
    const uri = sshUri(sshd.wrongKey);
    const e = await virshError(uri);
    assert.equal(e.kind, 'auth-failed');
    assert.match(e.message, /Permission denied \(publickey\)/);
    assert.match(
      e.message,
      new RegExp(`ssh could not log in without a terminal: .*ssh -p ${sshd.port} root@127\\.0\\.0\\.1 -o BatchMode=yes true`),
    );
    const r = await cli(['check', '--connect', uri]);
    assert.equal(r.status, 2);
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, r.stderr);
    assert.match(
      lines[0],
      /^migratable: qemu\+ssh:\/\/root@127\.0\.0\.1:\d+\/system\?socket=[^&]+&keyfile=\*\*\*: .*Permission denied \(publickey\).*\(ssh could not log in/,
    );
    for (const text of [e.message, e.stderr, r.stderr]) assert.ok(!text.includes(sshd.wrongKey), text);
    noSshLeft();
  });

  it('an unknown host key: ssh cannot ask under virsh; the user is told how to accept it, nothing waits', async () => {
    sshd.forget();
    assert.equal((await virshError(sshUri(sshd.key))).kind, 'auth-failed');
    const t0 = Date.now();
    const r = await cli(['check', '--connect', sshUri(sshd.key)]);
    assert.equal(r.status, 2);
    assert.ok(Date.now() - t0 < 15_000, `${Date.now() - t0} ms`);
    assert.match(r.stderr, /Host key verification failed\./);
    assert.match(
      r.stderr,
      new RegExp(`ssh does not know this host's key .*run \`ssh -p ${sshd.port} root@127\\.0\\.0\\.1\` once in a terminal`),
    );
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    noSshLeft();
  });

  it('a host key that changed: refused, and the user is not told to accept it', async () => {
    sshd.distrust();
    const e = await virshError(sshUri(sshd.key));
    assert.equal(e.kind, 'auth-failed');
    // ssh's 14-line banner, in one line: its first words and its last, where ssh says what failed
    assert.match(
      e.message,
      /: Cannot recv data: WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! … Host key for \[127\.0\.0\.1\]:\d+ has changed and you have requested strict checking\. Host key verification failed\.: Connection reset by peer \(/,
    );
    const r = await cli(['check', '--connect', sshUri(sshd.key)]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Host key verification failed\./);
    assert.match(r.stderr, /the host's ssh key is not the one ssh knows for it: find out why before trusting it/);
    assert.doesNotMatch(r.stderr, /accept it/);
    noSshLeft();
  });
});

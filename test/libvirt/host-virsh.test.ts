import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { whoUses } from '../../server/src/host';
import { VirshError, VirshHost, execVirsh, runScript, runVirsh } from '../../server/src/virsh';
import { isScriptSyntaxError } from '../../server/src/virsh/script';
import { processesWith, sysfsNetByPci, sysfsPciDrivers } from '../helpers/host';
import { LIBVIRT_SKIP, startSandbox, type Sandbox } from '../helpers/libvirt';

/**
 * The virsh runner and VirshHost against real virsh 9.0 (Debian's libvirt-clients): the test driver without a daemon
 * (test:///default and a custom node file), a real libvirtd with the QEMU and udev node device drivers (the
 * sandbox in scripts/libvirtd-sandbox), and hosts that do not answer (a silent unix socket, a silent TCP port
 * behind qemu+ssh://). Every call has a deadline; every stopped call must leave no virsh or ssh behind.
 */
const TEST_NS = "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'";
let uuids = 0;
/** A test-driver domain; a fixed UUID, because the test driver makes new ones in every virsh process otherwise. */
const dom = (name: string, extra = '') =>
  `<domain type='test' ${TEST_NS}><name>${name}</name><uuid>00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}</uuid><memory>1024</memory><os><type>hvm</type></os>${extra}</domain>`;

async function rejection(p: Promise<unknown>): Promise<VirshError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof VirshError, `not a VirshError: ${String(e)}`);
    return e;
  }
  assert.fail('the call did not fail');
}

/** A server that accepts connections and never answers; remembers its sockets so close() is immediate. */
async function silentServer(listen: (s: Server) => void): Promise<{ server: Server; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('data', () => {});
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((res) => {
    server.once('listening', () => res());
    listen(server);
  });
  return {
    server,
    close: () =>
      new Promise<void>((res) => {
        for (const s of sockets) s.destroy();
        server.close(() => res());
      }),
  };
}

let scratch: string;

describe('virsh runner and VirshHost on the test driver (virsh 9.0, no daemon)', { skip: LIBVIRT_SKIP }, () => {
  let node: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'migratable-host-virsh-'));
    node = join(scratch, 'node.xml');
    // '-c' gets ID 2 (running domains are numbered in order), and a shut-off domain is named '2'
    writeFileSync(
      node,
      `<node>
${dom('--help')}
${dom('2', '<test:runstate>5</test:runstate>')}
${dom('-c')}
${dom('paused one', '<test:runstate>3</test:runstate><test:transient/>')}
${dom('--')}
${dom(`x;y 'q&quot; #z`)}
</node>`,
    );
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('version: libvirt, the test hypervisor and the client', async () => {
    const v = await new VirshHost({ uri: 'test:///default' }, { timeoutMs: 5000 }).version();
    assert.equal(v.libvirt, '9.0.0');
    assert.equal(v.virshClient, '9.0.0');
    assert.deepEqual(v.hypervisor, { name: 'TEST', version: '0.0.2' });
    assert.equal(v.qemu, undefined);
  });

  it('domains: odd names exactly, with state and persistence, in one virsh process', async () => {
    const list = await new VirshHost({ uri: `test://${node}` }, { timeoutMs: 5000 }).domains();
    const byName = new Map(list.map((d) => [d.name, d]));
    assert.deepEqual([...byName.keys()].sort(), ['--', '--help', '-c', '2', 'paused one', `x;y 'q" #z`]);
    assert.equal(byName.get('2')!.state, 'shut off');
    assert.equal(byName.get('paused one')!.state, 'paused');
    assert.equal(byName.get('paused one')!.persistent, false);
    assert.equal(byName.get('--help')!.state, 'running');
    assert.equal(byName.get('--help')!.persistent, true);
    assert.ok(list.every((d) => /^[0-9a-f-]{36}$/.test(d.uuid!)));
  });

  it('domainXml: names that look like options (--help, -c, --) or hold ; quotes # are names, after --', async () => {
    const host = new VirshHost({ uri: `test://${node}` }, { timeoutMs: 5000 });
    for (const name of ['--help', '-c', '--', `x;y 'q" #z`, 'paused one']) {
      const xml = await host.domainXml(name);
      assert.match(xml, /<domain type='test'/, name);
      const escaped = name.replace(/'/g, '&apos;').replace(/"/g, '&quot;');
      assert.ok(xml.includes(`<name>${escaped}</name>`), `${name}: ${xml.slice(0, 120)}`);
    }
  });

  it("domainXml('2') is the domain named 2, not the one whose ID is 2 (virsh looks names up as IDs first)", async () => {
    const uri = `test://${node}`;
    const byId = await runVirsh({ uri }, ['dumpxml', '--', '2'], { timeoutMs: 5000 });
    assert.match(byId.stdout, /<name>-c<\/name>/, 'virsh itself returns ID 2');
    const xml = await new VirshHost({ uri }, { timeoutMs: 5000 }).domainXml('2');
    assert.match(xml, /<name>2<\/name>/);
  });

  it("not found: kind 'not-found' with libvirt's message and the URI", async () => {
    const e = await rejection(new VirshHost({ uri: `test://${node}` }, { timeoutMs: 5000 }).domainXml('nosuch'));
    assert.equal(e.kind, 'not-found');
    assert.equal(e.message, `test://${node}: dumpxml: failed to get domain 'nosuch'`);
    const net = await rejection(runVirsh({ uri: 'test:///default' }, ['net-dumpxml', '--', 'nosuch'], { timeoutMs: 5000 }));
    assert.equal(net.kind, 'not-found');
    assert.match(net.message, /Network not found: no network with matching name 'nosuch'/);
  });

  it("a command string runs every command; one failing keeps the others and carries libvirt's message", async () => {
    const parts = await runScript({ uri: `test://${node}` }, [['list', '--all', '--name'], ['dumpxml', 'nosuch'], ['version']], {
      timeoutMs: 5000,
    });
    assert.deepEqual(
      parts.map((p) => p.ok),
      [true, false, true],
    );
    assert.match(parts[0].stdout, /^--help$/m);
    assert.equal(parts[1].error, "failed to get domain 'nosuch'");
    assert.match(parts[2].stdout, /Running hypervisor: TEST 0\.0\.2/);
  });

  it('one command virsh cannot parse stops the whole command string before anything runs (then VirshHost goes one by one)', async () => {
    const e = await rejection(
      runScript({ uri: 'test:///default' }, [['version'], ['list', '--no-such-option']], { timeoutMs: 5000 }, 'read host'),
    );
    assert.equal(e.kind, 'failed');
    assert.equal(e.message, "test:///default: read host: command 'list' doesn't support option --no-such-option");
    assert.ok(isScriptSyntaxError(e));
  });

  it('refuses what virsh would parse as a command string: a lone non-bare argument, unsafe script tokens', async () => {
    assert.throws(() => execVirsh({ uri: 'test:///default' }, ['list ; version'], { timeoutMs: 1000 }), TypeError);
    await assert.rejects(runScript({ uri: 'test:///default' }, [['dumpxml', "a'b"]], { timeoutMs: 1000 }), TypeError);
    await assert.rejects(runScript({ uri: 'test:///default' }, [['dumpxml', 'a', ';', 'b']], { timeoutMs: 1000 }), TypeError);
  });

  it('an argv token ; is data, not a command separator (argv mode)', async () => {
    const e = await rejection(runVirsh({ uri: 'test:///default' }, ['list', ';', 'version'], { timeoutMs: 5000 }));
    assert.equal(e.kind, 'failed');
    assert.match(e.message, /unexpected data ';'/);
  });

  it("virsh missing: 'not-installed', saying what to install", async () => {
    const e = await rejection(
      execVirsh({ virsh: join(scratch, 'no-virsh'), uri: 'test:///default' }, ['version'], { timeoutMs: 1000 }),
    );
    assert.equal(e.kind, 'not-installed');
    assert.match(e.message, /install libvirt-clients \(virsh\)/);
  });

  it('output beyond the cap stops the call', async () => {
    const e = await rejection(execVirsh({ uri: 'test:///default' }, ['capabilities'], { timeoutMs: 5000, maxOutputBytes: 1000 }));
    assert.equal(e.kind, 'failed');
    assert.match(e.message, /output larger than 1000 bytes/);
  });

  it("facts on test:///default: what 9.0's test driver has, and what it refuses, in errors with libvirt's words", async () => {
    const t0 = Date.now();
    const f = await new VirshHost({ uri: 'test:///default' }, { timeoutMs: 5000 }).facts();
    assert.ok(Date.now() - t0 < 2000);
    assert.deepEqual(
      f.domains.map((d) => [d.name, d.state, d.networks, d.diskPaths]),
      [['test', 'running', ['default'], ['/guest/diskimage1']]],
    );
    assert.deepEqual(
      f.networks.map((n) => [n.name, n.forwardMode, n.bridge, n.active, n.persistent]),
      [['default', 'nat', 'virbr0', true, true]],
    );
    assert.deepEqual(
      f.pools.map((p) => [p.name, p.type, p.targetPath, p.active]),
      [['default-pool', 'dir', '/default-pool', true]],
    );
    assert.deepEqual(f.errors.sort(), [
      'domain capabilities: test:///default: domcapabilities: failed to get emulator capabilities: this function is not supported by the connection driver: virConnectGetDomainCapabilities',
      'node devices: Failed to list node devices: unsupported flags (0x80000000) in function testConnectListAllNodeDevices',
    ]);
    const quick = await new VirshHost({ uri: 'test:///default' }, { timeoutMs: 5000 }).facts({ domcaps: false });
    assert.equal(quick.domcaps, undefined);
    assert.equal(quick.errors.length, 1, 'domcapabilities not asked for');
  });
});

describe('VirshHost against a real libvirtd (sandbox: QEMU driver, udev node devices)', { skip: LIBVIRT_SKIP }, () => {
  let sandbox: Sandbox;
  let uri: string;
  before(() => {
    sandbox = startSandbox('host');
    uri = sandbox.uri;
  });
  after(() => sandbox?.stop());

  const qemuDomain = (
    name: string,
  ) => `<domain type='qemu'><name>${name}</name><memory>65536</memory><os><type arch='x86_64' machine='q35'>hvm</type></os>
<devices><hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/></source></hostdev></devices></domain>`;

  it('define through stdin (no file), list, dumpxml and undefine a domain named --help', { timeout: 60_000 }, async () => {
    const host = new VirshHost({ uri }, { timeoutMs: 30_000 });
    const defined = await host.defineXml(qemuDomain('--help'));
    assert.equal(defined.name, '--help');
    assert.equal(defined.message, "Domain '--help' defined from /dev/stdin");
    try {
      const listed = (await host.domains()).find((d) => d.name === '--help');
      assert.deepEqual([listed?.state, listed?.persistent], ['shut off', true]);
      const facts = await host.facts();
      assert.deepEqual(whoUses(facts, '3b:02.1'), ['--help'], 'the hostdev the domain names is in use');
      assert.match(
        await host.domainXml('--help', { inactive: true }),
        /<address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'\/>/,
      );
    } finally {
      await runVirsh({ uri }, ['undefine', '--', '--help'], { timeoutMs: 10_000 });
    }
    assert.equal(
      (await host.domains()).find((d) => d.name === '--help'),
      undefined,
    );
  });

  it(
    "read-only: libvirt refuses define, qemu-monitor-command and domcapabilities; VirshHost's domcapabilities goes read-write",
    { timeout: 60_000 },
    async () => {
      const ro = { timeoutMs: 10_000, readonly: true };
      const define = await rejection(runVirsh({ uri }, ['define', '/dev/stdin'], { ...ro, input: qemuDomain('ro-test') }));
      assert.equal(define.kind, 'permission-denied');
      assert.match(define.message, /operation forbidden: read only access prevents virDomainDefineXML/);
      const caps = await rejection(runVirsh({ uri }, ['domcapabilities'], ro));
      assert.match(caps.message, /read only access prevents virConnectGetDomainCapabilities/);
      const host = new VirshHost({ uri }, { timeoutMs: 30_000 });
      await host.defineXml(qemuDomain('monitor-test'));
      try {
        const monitor = await rejection(
          runVirsh({ uri }, ['qemu-monitor-command', '--', 'monitor-test', '{"execute":"query-status"}'], ro),
        );
        assert.equal(monitor.kind, 'permission-denied');
        assert.match(monitor.message, /read only access prevents virDomainQemuMonitorCommand/);
      } finally {
        await runVirsh({ uri }, ['undefine', '--', 'monitor-test'], { timeoutMs: 10_000 });
      }
      const domcaps = await host.domcapabilities();
      assert.equal(domcaps.arch, 'x86_64');
      assert.ok(domcaps.machine, 'a machine type');
      assert.equal(domcaps.vfioVariant, undefined, 'only facts() knows the libvirt version');
    },
  );

  it(
    'facts: every PCI device of this machine with the driver and network interface sysfs shows (udev oracle)',
    { timeout: 60_000 },
    async () => {
      const f = await new VirshHost({ uri }, { timeoutMs: 30_000 }).facts();
      assert.deepEqual(f.errors, []);
      assert.equal(f.versions.libvirt, '9.0.0');
      assert.match(f.versions.qemu ?? '', /^7\.2\./);
      assert.equal(f.domcaps?.vfioVariant, 'none', 'libvirt 9.0 cannot use a VFIO variant driver');
      assert.ok(
        f.domcaps!.machines.includes('q35') && f.domcaps!.machines.some((m) => /^pc-q35-7\.2$/.test(m)),
        f.domcaps!.machines.join(),
      );
      const drivers = sysfsPciDrivers();
      assert.deepEqual(f.pcis.map((p) => p.address).sort(), [...drivers.keys()].sort());
      for (const p of f.pcis) assert.equal(p.driver, drivers.get(p.address), p.address);
      const nets = sysfsNetByPci();
      for (const p of f.pcis) {
        const expected = nets.get(p.address);
        if (expected) assert.ok(expected.includes(p.netInterface!), `${p.address}: ${p.netInterface} not in ${expected}`);
        else assert.equal(p.netInterface, undefined, p.address);
      }
      assert.equal(typeof f.capabilities?.iommu, 'boolean');
    },
  );

  it(
    "a socket the user may not open: 'permission-denied' with libvirt's message (virsh run as nobody)",
    { skip: process.getuid?.() !== 0 ? 'needs root to run virsh as nobody' : false },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'migratable-perm-'));
      chmodSync(dir, 0o755);
      const wrapper = join(dir, 'virsh-as-nobody');
      writeFileSync(wrapper, '#!/bin/sh\nexec runuser -u nobody -- virsh "$@"\n', { mode: 0o755 });
      try {
        const e = await rejection(runVirsh({ virsh: wrapper, uri }, ['version'], { timeoutMs: 10_000 }));
        assert.equal(e.kind, 'permission-denied');
        assert.match(e.message, new RegExp(`Failed to connect socket to '${sandbox.socket}': Permission denied`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('hosts that do not answer: deadlines, cancellation, nothing left behind', { skip: LIBVIRT_SKIP }, () => {
  let dir: string;
  let sock: string;
  let unix: Awaited<ReturnType<typeof silentServer>>;
  let tcp: Awaited<ReturnType<typeof silentServer>>;
  let port: number;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'migratable-silent-'));
    sock = join(dir, 'libvirt-sock');
    unix = await silentServer((s) => s.listen(sock));
    tcp = await silentServer((s) => s.listen(0, '127.0.0.1'));
    port = (tcp.server.address() as { port: number }).port;
  });
  after(async () => {
    await unix.close();
    await tcp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a unix socket that accepts and never answers: timeout within the deadline, virsh gone', async () => {
    const t0 = Date.now();
    const e = await rejection(execVirsh({ uri: `qemu:///system?socket=${sock}` }, ['list'], { timeoutMs: 700 }));
    const took = Date.now() - t0;
    assert.equal(e.kind, 'timeout');
    assert.equal(e.message, `qemu:///system?socket=${sock}: list: no answer within 700 ms (virsh stopped)`);
    assert.ok(took >= 690 && took < 1500, `${took} ms`);
    assert.deepEqual(processesWith(sock), []);
  });

  it('facts() against it fails as a whole with the timeout (no half-read host)', async () => {
    const t0 = Date.now();
    const e = await rejection(new VirshHost({ uri: `qemu:///system?socket=${sock}` }, { timeoutMs: 700 }).facts());
    assert.equal(e.kind, 'timeout');
    assert.ok(Date.now() - t0 < 1500);
    assert.deepEqual(processesWith(sock), []);
  });

  it("a socket path that does not exist: 'connect-refused' with libvirt's message", async () => {
    const missing = join(dir, 'missing-sock');
    const e = await rejection(runVirsh({ uri: `qemu:///system?socket=${missing}` }, ['list'], { timeoutMs: 5000 }));
    assert.equal(e.kind, 'connect-refused');
    assert.equal(
      e.message,
      `qemu:///system?socket=${missing}: list: failed to connect to the hypervisor: Failed to connect socket to '${missing}': No such file or directory`,
    );
  });

  it('qemu+ssh:// to a port that accepts TCP and never speaks: timeout, and ssh is killed with virsh', async () => {
    const uri = `qemu+ssh://root@127.0.0.1:${port}/system`;
    const e = await rejection(execVirsh({ uri }, ['list'], { timeoutMs: 1000 }));
    assert.equal(e.kind, 'timeout');
    assert.deepEqual(processesWith(`-p ${port}`), [], 'no ssh left');
    assert.deepEqual(processesWith(uri), [], 'no virsh left');
  });

  it('ssh is really running under virsh while it waits (so the test above kills something)', async () => {
    const uri = `qemu+ssh://root@127.0.0.1:${port}/system?no_tty=1`;
    const ac = new AbortController();
    const call = execVirsh({ uri }, ['list'], { timeoutMs: 5000, signal: ac.signal });
    let seen: { pid: number; cmdline: string }[] = [];
    for (let i = 0; i < 40 && !seen.some((p) => p.cmdline.startsWith('ssh')); i++) {
      await new Promise((r) => setTimeout(r, 50));
      seen = processesWith(`-p ${port}`);
    }
    assert.ok(
      seen.some((p) => p.cmdline.startsWith('ssh ')),
      JSON.stringify(seen),
    );
    ac.abort();
    assert.equal((await rejection(call)).kind, 'cancelled');
    assert.deepEqual(processesWith(`-p ${port}`), []);
  });

  it('cancellation mid-call: rejects at once as cancelled, virsh gone; an aborted signal spawns nothing', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const t0 = Date.now();
    const e = await rejection(
      execVirsh({ uri: `qemu:///system?socket=${sock}` }, ['list'], { timeoutMs: 10_000, signal: ac.signal }),
    );
    assert.equal(e.kind, 'cancelled');
    assert.ok(Date.now() - t0 < 1000, `${Date.now() - t0} ms`);
    assert.deepEqual(processesWith(sock), []);
    const early = await rejection(
      execVirsh({ virsh: join(dir, 'never-run'), uri: 'test:///default' }, ['list'], { timeoutMs: 1000, signal: ac.signal }),
    );
    assert.equal(early.kind, 'cancelled');
  });

  it('secrets in the URI never reach a message or stderr, even where ssh repeats them', async () => {
    const closed = await silentServer((s) => s.listen(0, '127.0.0.1'));
    const closedPort = (closed.server.address() as { port: number }).port;
    await closed.close();
    const uri = `qemu+ssh://root:hunter2@127.0.0.1:${closedPort}/system?keyfile=/secret/id_key&no_verify=1`;
    const e = await rejection(runVirsh({ uri }, ['list'], { timeoutMs: 5000 }));
    assert.equal(e.kind, 'connect-refused');
    for (const text of [e.message, e.stderr]) {
      assert.ok(!text.includes('hunter2') && !text.includes('/secret/id_key'), text);
    }
    // ssh names the key file it could not read: scrubbed like the URI; its next line says why it failed
    assert.equal(
      e.message,
      `qemu+ssh://root:***@127.0.0.1:${closedPort}/system?keyfile=***&no_verify=1: list: failed to connect to the hypervisor: Cannot recv data: Warning: Identity file *** not accessible: No such file or directory. ssh: connect to host 127.0.0.1 port ${closedPort}: Connection refused: Connection reset by peer`,
    );
  });
});

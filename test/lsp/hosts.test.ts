import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { HostNotifications, HostRequests } from '../../server/src/protocol';
import { LIBVIRT_SKIP } from '../helpers/libvirt';
import { LspSession } from '../helpers/lsp-client';

/**
 * The host requests of the real bundled server over stdio, against libvirt's test driver (test:///default: a host
 * with a running domain 'test' and a network 'default', in every virsh process): what the Libvirt Hosts view and
 * the domain files ask, the errors a user sees, cancellation.
 */
describe('LSP server over stdio: hosts', { skip: LIBVIRT_SKIP }, () => {
  let lsp: LspSession;
  before(async () => {
    lsp = LspSession.start();
    await lsp.initialize({ workspace: { configuration: true }, textDocument: { diagnostic: {} } });
  });
  after(async () => {
    await lsp.shutdown();
  });

  const configure = (hosts: { name: string; uri: string }[], virshPath = 'virsh') =>
    lsp.connection.sendNotification(HostNotifications.configure.method, { hosts, virshPath, timeoutSeconds: 20 });

  it('nothing runs until a trusted client configures hosts: the list says why it is empty', async () => {
    await lsp.connection.sendNotification(HostNotifications.configure.method, null);
    const list = await lsp.connection.sendRequest(HostRequests.list.method);
    assert.deepEqual(list, { enabled: false, reason: 'Host features are off in an untrusted workspace.', hosts: [] });
    await assert.rejects(lsp.connection.sendRequest(HostRequests.domains.method, { host: 'test' }), /host features are off/);
  });

  it('lists the configured hosts, and their domains with verdicts from the language service', async () => {
    await configure([{ name: 'test', uri: 'test:///default' }]);
    const list = (await lsp.connection.sendRequest(HostRequests.list.method)) as {
      enabled: boolean;
      hosts: { name: string; uri: string }[];
    };
    assert.equal(list.enabled, true);
    assert.deepEqual(
      list.hosts.map((h) => [h.name, h.uri]),
      [['test', 'test:///default']],
    );
    const domains = (await lsp.connection.sendRequest(HostRequests.domains.method, { host: 'test' })) as {
      name: string;
      state: string;
      verdict: string;
      blockers: number;
    }[];
    assert.deepEqual(
      domains.map((d) => [d.name, d.state, d.verdict]),
      [['test', 'running', 'migratable']],
    );
    const networks = (await lsp.connection.sendRequest(HostRequests.networks.method, { host: 'test' })) as { name: string }[];
    assert.deepEqual(
      networks.map((n) => n.name),
      ['default'],
    );
    const again = (await lsp.connection.sendRequest(HostRequests.list.method)) as {
      hosts: { versions?: { libvirt?: string } }[];
    };
    assert.match(again.hosts[0].versions?.libvirt ?? '', /^\d+\.\d+\.\d+$/, 'once read, the host shows its versions');
  });

  it('the list answers at once and reads hosts never read in the background; hosts/changed says when each read ends', async () => {
    // one handler per method (vscode-jsonrpc keeps only the last one registered)
    const ended = new Set<string>();
    let wake = () => {};
    const sub = lsp.connection.onNotification(HostNotifications.hostChanged.method, (p: { host: string }) => {
      ended.add(p.host);
      wake();
    });
    const heard = async (host: string) => {
      while (!ended.has(host)) await new Promise<void>((r) => (wake = r));
    };
    type Listed = { hosts: { name: string; versions?: { libvirt?: string }; error?: string; reading?: boolean }[] };
    const list = async () => ((await lsp.connection.sendRequest(HostRequests.list.method, {})) as Listed).hosts;
    await configure([
      { name: 'fresh', uri: 'test:///default' },
      { name: 'gone', uri: 'qemu:///system?socket=/nonexistent/libvirt-sock' },
    ]);
    const first = await list();
    assert.deepEqual(
      first.map((h) => [h.name, h.reading, h.versions, h.error]),
      [
        ['fresh', true, undefined, undefined],
        ['gone', true, undefined, undefined],
      ],
    );
    await heard('fresh');
    await heard('gone');
    sub.dispose();
    const after = await list();
    assert.match(after[0].versions?.libvirt ?? '', /^\d+\.\d+\.\d+$/);
    assert.equal(after[0].reading, undefined);
    assert.match(after[1].error ?? '', /Failed to connect socket/);
    assert.equal(after[1].reading, undefined, 'a host that failed is not read again by listing (no loop of reads)');
    const again = (await lsp.connection.sendRequest(HostRequests.list.method, { refresh: true })) as Listed;
    assert.deepEqual(
      again.hosts.map((h) => h.reading),
      [true, true],
      'Refresh reads every host again',
    );
    await configure([{ name: 'test', uri: 'test:///default' }]); // as the next tests expect
  });

  it('reads a definition (dumpxml --inactive) and judges one before define', async () => {
    const xml = (await lsp.connection.sendRequest(HostRequests.readDomain.method, { host: 'test', domain: 'test' })) as string;
    assert.match(xml, /^<domain type='test'>/);
    assert.match(xml, /<name>test<\/name>/);
    const bad = xml.replace(
      '</devices>',
      `<interface type='hostdev'><source><address type='pci' domain='0' bus='0x3b' slot='0x2' function='0'/></source></interface></devices>`,
    );
    const check = (await lsp.connection.sendRequest(HostRequests.checkDefinition.method, {
      host: 'test',
      domain: 'test',
      xml: bad,
    })) as { blockers: string[] };
    assert.equal(check.blockers.length, 1, check.blockers.join('\n'));
    assert.match(check.blockers[0], /\(migration-hostdev\)$/);
  });

  it("errors are one line with libvirt's words: an unknown domain, a host that refuses, virsh not installed, an unknown host", async () => {
    await assert.rejects(
      lsp.connection.sendRequest(HostRequests.readDomain.method, { host: 'test', domain: 'nosuch' }),
      /failed to get domain 'nosuch'|no domain named 'nosuch'/,
    );
    await configure([{ name: 'gone', uri: 'qemu:///system?socket=/nonexistent/libvirt-sock' }]);
    await assert.rejects(
      lsp.connection.sendRequest(HostRequests.domains.method, { host: 'gone' }),
      /Failed to connect socket to '\/nonexistent\/libvirt-sock'/,
    );
    const list = (await lsp.connection.sendRequest(HostRequests.list.method)) as { hosts: { error?: string }[] };
    assert.match(list.hosts[0].error ?? '', /Failed to connect socket/, 'the host node shows the error');
    await configure([{ name: 'test', uri: 'test:///default' }], '/nonexistent/virsh');
    await assert.rejects(lsp.connection.sendRequest(HostRequests.domains.method, { host: 'test' }), /install libvirt-clients/);
    await assert.rejects(
      lsp.connection.sendRequest(HostRequests.domains.method, { host: 'nowhere' }),
      /no host named 'nowhere' in migratable\.hosts/,
    );
  });

  it('a cancelled request stops its virsh and answers cancelled', async () => {
    // a virsh that never answers: a shell script standing in for one on a host that accepts and stays silent
    const { mkdtempSync, writeFileSync, chmodSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'migratable-silent-'));
    const silent = join(dir, 'virsh');
    writeFileSync(silent, '#!/bin/sh\nexec sleep 601.25\n');
    chmodSync(silent, 0o755);
    await configure([{ name: 'silent', uri: 'qemu+ssh://nowhere/system' }], silent);
    const source = new CancellationTokenSource();
    const pending = lsp.connection.sendRequest(HostRequests.domains.method, { host: 'silent' }, source.token);
    setTimeout(() => source.cancel(), 300);
    await assert.rejects(pending, /cancelled|Request cancelled/i);
    // and the stand-in virsh is gone (its process group killed), not left sleeping
    const { readdirSync, readFileSync } = await import('node:fs');
    const alive = () =>
      readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .some((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('601.25');
          } catch {
            return false;
          }
        });
    const deadline = Date.now() + 5_000;
    while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(), false, 'the virsh process was killed');
  });
});

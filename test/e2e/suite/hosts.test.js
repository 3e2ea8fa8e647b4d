// The host features inside a real VS Code, against real sandboxed libvirt daemons (two 9.0 and one 11.3, the QEMU
// driver) started by the suite itself through the project's test beds (out/test/helpers/hosts.js): the Libvirt Hosts view, domains as
// files (dumpxml --inactive, define on save, undefine), verdicts for the real host, and one live migration of a real
// failover guest through "Migratable: Migrate Domain…", with its progress notification.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const BEDS = path.join(ROOT, 'out', 'test', 'helpers', 'hosts.js');
const DOMAIN_SCHEME = 'libvirt-domain';
describe('Libvirt Hosts, against real libvirt daemons', function () {
  this.timeout(8 * 60_000);
  let beds, a, b, c, api, guest;

  before(async function () {
    if (process.env.MIGRATABLE_SKIP_LIBVIRT === '1') {
      console.log('Libvirt Hosts suite skipped: MIGRATABLE_SKIP_LIBVIRT=1 (no libvirt daemons in this run)');
      return this.skip();
    }
    assert.ok(fs.existsSync(BEDS), `${BEDS} is missing: npm run compile-tests first`);
    beds = require(BEDS);
    beds.assertPrerequisites(['9.0', '11.3']);
    [a, b, c] = await Promise.all([
      beds.startDaemon({ libvirt: '9.0', name: 'VA' }),
      beds.startDaemon({ libvirt: '9.0', name: 'VB' }),
      beds.startDaemon({ libvirt: '11.3', name: 'VC' }),
    ]);
    // a q35 domain defined on libvirt 11.3, which writes <watchdog model='itco'/> into it
    await beds.bootFailoverGuest(c, { name: 'fo-11', start: false });
    await beds.defineNetwork(a, 'lan');
    await beds.defineNetwork(b, 'lan');
    // a VF at one of this machine's real PCI addresses, no teaming: QEMU 7.2 blocks it
    await beds.defineLoneVfDomain(a, 'web-vf');
    guest = await beds.bootFailoverGuest(a, { name: 'fo-vscode', standbyNetwork: 'lan' });
    ({ api } = await h.activate());
    // machine settings, as a user sets them: both hosts on this machine, migration data over loopback
    await h.setSetting('hostTimeout', 60);
    await h.setSetting('hosts', [
      { name: 'host-a', uri: a.uri, migrateUri: 'tcp://127.0.0.1' },
      { name: 'host-b', uri: b.uri, migrateUri: 'tcp://127.0.0.1' },
      { name: 'host-c', uri: c.uri },
    ]);
  });

  after(async () => {
    if (!beds) return;
    await h.setSetting('hosts', undefined);
    await h.setSetting('hostTimeout', undefined);
    await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  });
  afterEach(h.resetEditors);

  /** The children of a node of the view, as the tree shows them (each with its tree item). */
  async function children(node) {
    const nodes = await api.hostsView.getChildren(node);
    return nodes.map((n) => ({ node: n, item: api.hostsView.getTreeItem(n) }));
  }
  /** Resolves with the first truthy `get()`, asked every 200 ms (the view loads host by host); rejects at the deadline. */
  async function poll(get, what, timeoutMs = h.DEADLINE_MS) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await get();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const label = (x) => (typeof x.item.label === 'string' ? x.item.label : x.item.label.label);
  async function hostNode(name) {
    const hosts = await poll(async () => {
      const list = await children(undefined);
      return list.length === 3 ? list : undefined;
    }, 'the three hosts in the view');
    return hosts.find((x) => label(x) === name);
  }
  async function group(host, name) {
    return (await children(host.node)).find((x) => label(x) === name);
  }

  it('the view shows each host, its domains with their state and verdict, its networks and SR-IOV devices', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.migratable');
    const hostA = await hostNode('host-a');
    assert.ok(hostA, 'host-a is listed');
    assert.deepStrictEqual((await children(hostA.node)).map(label), ['Domains', 'Networks', 'SR-IOV']);
    const domains = await children((await group(hostA, 'Domains')).node);
    const byName = new Map(domains.map((d) => [label(d), d.item.description]));
    assert.match(byName.get('fo-vscode'), /^running · migratable$/);
    assert.match(byName.get('web-vf'), /^shut off · 1 blocker$/);
    const webVfNode = domains.find((d) => label(d) === 'web-vf');
    assert.match(
      String(webVfNode.item.tooltip),
      /QEMU 7\.2\.\d+ blocks every VFIO device/,
      `the verdict names the host facts it used: ${webVfNode.item.tooltip}`,
    );
    const networks = await children((await group(hostA, 'Networks')).node);
    assert.deepStrictEqual(networks.map(label), ['lan']);
    const sriov = await children((await group(hostA, 'SR-IOV')).node);
    assert.deepStrictEqual(sriov.map(label), ['no SR-IOV devices'], 'this sandbox host has no SR-IOV device');
    const hostsAgain = await children(undefined);
    assert.match(hostsAgain.find((x) => label(x) === 'host-a').item.description, /^libvirt 9\.0\.0, QEMU 7\.2/);
  });

  it('a domain opens as a file (dumpxml --inactive), judged for its host; saving defines it after asking; deleting undefines it', async () => {
    const uri = vscode.Uri.from({ scheme: DOMAIN_SCHEME, authority: 'host-a', path: '/web-vf.xml' });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const inactive = await a.virsh(['dumpxml', '--inactive', 'web-vf']);
    assert.strictEqual(doc.getText(), inactive.stdout, 'the file is the inactive definition');
    assert.strictEqual(doc.languageId, 'xml');
    // judged for host-a once its facts are read (until then, for any host)
    await h.waitForDiagnostics(
      uri,
      (d) =>
        d.some(
          (x) => h.codeOf(x) === 'migration-hostdev' && /\(on host-a: QEMU 7\.2\.\d+ blocks every VFIO device/.test(x.message),
        ),
      'the blocker on the VF, judged for host-a',
    );

    // Check Destination… on the open file: the readiness report shows each check with its evidence
    const checks = await vscode.commands.executeCommand('migratable.checkDestination', uri, { dest: 'host-b' });
    assert.ok(Array.isArray(checks) && checks.length > 0, 'the preflight ran');
    const failed = checks.filter((c) => !c.ok && !c.advisory);
    assert.ok(
      failed.some((c) => c.check === 'no migration blocker'),
      JSON.stringify(checks, null, 1),
    );
    await vscode.commands.executeCommand('migratable.showReport');
    await h.until(
      () => /Destination host host-b \(checked at /.test(api.report.current?.html ?? ''),
      'the report to show the preflight',
      { events: () => [api.report.onDidUpdate] },
    );
    const html = api.report.current.html;
    for (const c of checks)
      assert.ok(html.includes(c.detail.replace(/[&<>"']/g, (x) => `&#${x.charCodeAt(0)};`)), `the report shows: ${c.detail}`);
    assert.match(html, /<span class="severity error">fail<\/span> no migration blocker:/);
    assert.doesNotMatch(html, /The domain changed since this check/);
    await h.showActive(doc);

    const asked = [];
    const confirm = api.domainFs.confirm;
    api.domainFs.confirm = async (message) => {
      asked.push(message);
      return true;
    };
    try {
      await h.setText(doc, h.replaceOnce(doc.getText(), '<vcpu', '<title>edited in VS Code</title>\n  <vcpu'));
      await h.until(
        () => /The domain changed since this check/.test(api.report.current?.html ?? ''),
        'the report to say the preflight is older than the text',
        { events: () => [api.report.onDidUpdate] },
      );
      assert.ok(await doc.save(), 'saved');
      assert.deepStrictEqual(asked, ['Define web-vf on host-a? Its definition has 1 error or migration blocker.']);
      assert.match(
        (await a.virsh(['dumpxml', '--inactive', 'web-vf'])).stdout,
        /<title>edited in VS Code<\/title>/,
        'virsh define ran',
      );

      await vscode.workspace.fs.delete(uri);
      assert.deepStrictEqual(asked.slice(1), ['Undefine web-vf on host-a?']);
      assert.notStrictEqual((await a.virsh(['dominfo', 'web-vf'])).code, 0, 'virsh undefine ran');
    } finally {
      api.domainFs.confirm = confirm;
    }
  });

  it('a domain from a libvirt 11.3 host opens without a false error (what 11.3 writes is in the vocabulary)', async () => {
    const hostC = await hostNode('host-c');
    assert.match(
      await poll(async () => {
        const d = (await children(undefined)).find((x) => label(x) === 'host-c')?.item.description;
        return /^libvirt 11\.3\.0/.test(d ?? '') ? d : undefined;
      }, "host-c's versions"),
      /^libvirt 11\.3\.0, QEMU 10\.0/,
    );
    const domains = await children((await group(hostC, 'Domains')).node);
    const fo = domains.find((d) => label(d) === 'fo-11');
    assert.ok(fo, domains.map(label).join());
    assert.match(fo.item.description, /^shut off · migratable$/);
    const uri = vscode.Uri.from({ scheme: DOMAIN_SCHEME, authority: 'host-c', path: '/fo-11.xml' });
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    assert.match(doc.getText(), /<watchdog model='itco' action='reset'\/>/, 'libvirt 11.3 wrote its default watchdog');
    // the server has judged it (the teaming pair's advice), and nothing is an error
    const diagnostics = await h.waitForDiagnostics(
      uri,
      (d) => d.some((x) => h.codeOf(x) === 'teaming-guest-support'),
      "the domain's findings",
    );
    assert.deepStrictEqual(
      diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map((d) => `${h.codeOf(d)}: ${d.message}`),
      [],
    );
  });

  /**
   * "Migratable: Migrate Domain…" on a domain of host-a's view, to host-b, confirmed as a person would; `answerStuck`
   * answers the stuck-unplug question the notification asks. Resolves with the command's result and its events.
   */
  async function migrateFromView(name, answerStuck) {
    const events = [];
    const sub = api.migrations.onDidEvent((e) => events.push(e.event));
    const confirm = api.migrations.confirm;
    api.migrations.confirm = async () => true;
    api.migrations.answerStuckUnplug = answerStuck;
    try {
      const node = { kind: 'domain', host: 'host-a', domain: { name, blockers: 0, verdict: 'migratable', details: [] } };
      const result = await vscode.commands.executeCommand('migratable.migrateDomain', node, { dest: 'host-b' });
      assert.ok(result, 'the command returned a result');
      return { result, events };
    } finally {
      sub.dispose();
      api.migrations.confirm = confirm;
      api.migrations.answerStuckUnplug = undefined;
    }
  }

  it('Migrate Domain… live-migrates a failover guest with its progress notification, and verifies its VF came back', async () => {
    await guest.waitForActivePrimary(120_000);
    const { result, events } = await migrateFromView('fo-vscode');
    assert.strictEqual(result.status, 0, `${result.message}\n${JSON.stringify(events, null, 1)}`);
    assert.match(result.message, /^fo-vscode runs on host-b with its VF ua-vf0 plugged again$/);
    assert.deepStrictEqual(
      events.filter((e) => e.event === 'phase').map((e) => e.phase),
      ['preflight', 'migrating', 'verifying'],
    );
    assert.ok(
      events.some((e) => e.event === 'progress'),
      'the progress notification got the job percentage',
    );
    assert.strictEqual((await b.virsh(['domstate', 'fo-vscode'])).stdout.trim(), 'running');
    assert.notStrictEqual((await a.virsh(['dominfo', 'fo-vscode'])).code, 0);
  });

  it('a guest that never releases its VF: VS Code is asked (Keep Waiting, then Abort); the domain keeps running on host-a', async () => {
    // acpiphp.disable=1: the guest uses its primary but ignores the eject, so QEMU stays in wait-unplug
    const stuck = await beds.bootFailoverGuest(a, {
      name: 'fo-stuck-vscode',
      standbyNetwork: 'lan',
      append: 'acpiphp.disable=1 fo.rescan=1',
    });
    await stuck.waitForActivePrimary(120_000);
    await h.setSetting('unplugTimeout', 3);
    const asked = [];
    let migration;
    try {
      migration = await migrateFromView('fo-stuck-vscode', async () => {
        asked.push(Date.now());
        return asked.length === 1 ? 'wait' : 'abort';
      });
    } finally {
      await h.setSetting('unplugTimeout', undefined);
    }
    const { result, events } = migration;
    assert.strictEqual(asked.length, 2, `asked ${asked.length} times: ${JSON.stringify(events, null, 1)}`);
    assert.ok(asked[1] - asked[0] >= 2500, `Keep Waiting waited another unplug timeout (${asked[1] - asked[0]} ms)`);
    assert.strictEqual(result.status, 3, `${result.message}\n${JSON.stringify(events, null, 1)}`);
    assert.match(result.message, /fo-stuck-vscode still runs on host-a/);
    assert.ok(
      events.some((e) => e.event === 'wait-unplug'),
      'QEMU wait-unplug was shown',
    );
    assert.ok(events.some((e) => e.event === 'phase' && e.phase === 'aborting'));
    assert.strictEqual((await a.virsh(['domstate', 'fo-stuck-vscode'])).stdout.trim(), 'running');
    assert.doesNotMatch((await b.virsh(['list', '--all', '--name'])).stdout, /fo-stuck-vscode/);
    await a.virsh(['destroy', 'fo-stuck-vscode']);
  });
});

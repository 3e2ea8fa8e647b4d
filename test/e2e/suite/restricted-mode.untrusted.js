// Restricted Mode (run-tests.js --untrusted: workspace trust on, the folder not trusted). XML checking works; the host
// features run nothing: a virsh configured in the user settings (a script that leaves a mark when run) is never
// started by the view, the commands, domains as files or a migration, and the user is told why.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

describe('Restricted Mode: the host features run nothing', function () {
  let api, dir, mark;

  before(async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this run opens the workspace in Restricted Mode');
    ({ api } = await h.activate());
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdv-untrusted-'));
    mark = path.join(dir, 'virsh-ran');
    const virsh = path.join(dir, 'virsh');
    fs.writeFileSync(virsh, `#!/bin/sh\necho "$@" >> '${mark}'\nexit 1\n`, { mode: 0o755 });
    // what a user of a trusted workspace would have: a host and a virsh, in the user settings
    await h.setSetting('virshPath', virsh);
    await h.setSetting('hosts', [
      { name: 'h1', uri: 'test:///default' },
      { name: 'h2', uri: 'test:///default' },
    ]);
  });

  after(async () => {
    await h.setSetting('hosts', undefined);
    await h.setSetting('virshPath', undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('checks domain XML as in a trusted workspace', async () => {
    const doc = await h.open('hostdev-no-teaming.xml');
    await h.waitForDiagnostics(doc.uri, (d) => d.some((x) => h.codeOf(x) === 'migration-hostdev'), 'the VF blocker');
  });

  it('the view lists no host, and no command, file or migration runs virsh', async () => {
    assert.deepStrictEqual(await api.hostsView.getChildren(undefined), [], 'the view shows its Restricted Mode welcome');
    assert.deepStrictEqual(api.hostCommands !== undefined, true);
    const node = { kind: 'domain', host: 'h1', domain: { name: 'test', blockers: 0, verdict: 'migratable', details: [] } };
    const confirm = api.migrations.confirm;
    let asked = 0;
    api.migrations.confirm = async () => {
      asked++;
      return true;
    };
    try {
      assert.strictEqual(await vscode.commands.executeCommand('migratable.migrateDomain', node, { dest: 'h2' }), undefined);
    } finally {
      api.migrations.confirm = confirm;
    }
    assert.strictEqual(asked, 0, 'no migration is even proposed');
    assert.strictEqual(await vscode.commands.executeCommand('migratable.checkDestination', node, { dest: 'h2' }), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('migratable.profileFromHost', node, { dest: 'h2' }), undefined);
    const uri = vscode.Uri.from({ scheme: 'libvirt-domain', authority: 'h1', path: '/test.xml' });
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(uri)), /not trusted|Restricted|off/i);
    assert.ok(!fs.existsSync(mark), `virsh ran: ${fs.existsSync(mark) ? fs.readFileSync(mark, 'utf8') : ''}`);
  });
});

// teaming-not-pcie gets fixes (issue #10 item 7): a VF behind a PCI bridge moves to its own pcie-root-port (safe, so
// Make Domain Migratable does it); an i440fx machine is never switched by it, but a separate, named action offers q35.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const CODE = 'teaming-not-pcie';

describe('teaming-not-pcie fixes', () => {
  afterEach(h.resetEditors);

  it('Make Domain Migratable moves a VF off a PCI bridge onto a pcie-root-port of its own', async () => {
    const doc = await h.open('vf-on-pci-bridge.xml');
    await h.waitForDiagnostics(doc.uri, h.hasCode(CODE), CODE);
    const original = doc.getText();
    const r = await vscode.commands.executeCommand('migratable.makeMigratable');
    assert.strictEqual(r?.applied, true, JSON.stringify(r));
    let expected = h.replaceOnce(
      original,
      '    </controller>\n',
      "    </controller>\n    <controller type='pci' index='3' model='pcie-root-port'/>\n",
    );
    expected = h.replaceOnce(
      expected,
      "<address type='pci' domain='0x0000' bus='0x02' slot='0x01' function='0x0'/>",
      "<address type='pci' domain='0x0000' bus='0x03' slot='0x00' function='0x0'/>",
    );
    assert.strictEqual(doc.getText(), expected);
    await h.waitForDiagnostics(doc.uri, (x) => h.lacksCode(CODE)(x) && h.hasCode('teaming-guest-support')(x), `no ${CODE} left`);
  });

  it('an i440fx machine: left by Make Domain Migratable, offered as "Change the machine to …" (not preferred)', async () => {
    const doc = await h.open('examples/broken.xml');
    await h.waitForDiagnostics(doc.uri, h.hasCode(CODE), CODE);
    const r = await vscode.commands.executeCommand('migratable.makeMigratable');
    assert.ok(
      r?.remaining.some((x) => x.includes(CODE)),
      `Make Domain Migratable leaves ${CODE}: ${JSON.stringify(r)}`,
    );
    assert.ok(doc.getText().includes("machine='pc-i440fx-7.2'"), 'it did not touch the machine');

    const ds = await h.waitForDiagnostics(
      doc.uri,
      (x) => h.lacksCode('teaming-mac-mismatch')(x) && h.hasCode(CODE)(x),
      'the fixed pairs',
    );
    const d = ds.find((x) => h.codeOf(x) === CODE);
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, 'quickfix');
    const q35 = actions.find((a) => a.title.startsWith("Change the machine to 'pc-q35-7.2'"));
    assert.ok(q35, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.match(q35.title, /q35 is a different machine/);
    assert.ok(!q35.isPreferred, 'not the preferred fix');
    const before = doc.getText();
    assert.ok(await vscode.workspace.applyEdit(q35.edit));
    assert.strictEqual(doc.getText(), h.replaceOnce(before, "machine='pc-i440fx-7.2'", "machine='pc-q35-7.2'"));
    await h.waitForDiagnostics(doc.uri, h.lacksCode(CODE), `${CODE} gone on q35`);
  });
});

// The language server's diagnostics, as VS Code shows them, for libvirt domain XML.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const VF_MAC = '52:54:00:6d:90:03'; // the VF's <mac> in teaming-mac-mismatch.xml
const STANDBY_MAC = '52:54:00:6d:90:02'; // its virtio standby's

describe('diagnostics of domain XML', () => {
  afterEach(h.resetEditors);

  it("teaming-mac-mismatch: on the VF's <mac> when it differs from its virtio standby's", async () => {
    const doc = await h.open('teaming-mac-mismatch.xml');
    const diags = await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-mac-mismatch'), 'teaming-mac-mismatch');
    const d = diags.find((x) => h.codeOf(x) === 'teaming-mac-mismatch');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.range.start.line, h.lineOf(doc, VF_MAC), "on the VF's <mac> line");
    assert.strictEqual(doc.getText(d.range), VF_MAC, "the range is the VF's MAC value");
    assert.ok(d.message.includes(VF_MAC) && d.message.includes(STANDBY_MAC), d.message);
    assert.strictEqual(d.relatedInformation?.length, 1, "one related location: the standby's MAC");
    assert.strictEqual(
      d.relatedInformation[0].location.range.start.line,
      h.lineOf(doc, STANDBY_MAC),
      "related: the standby's <mac>",
    );
    assert.ok(d.code && typeof d.code === 'object', 'the code carries the rules page link');
    assert.ok(d.code.target instanceof vscode.Uri, 'code.target is the rules page link');
    assert.strictEqual(d.code.target.fragment, 'teaming-mac-mismatch');
  });

  it("migration-hostdev: an <interface type='hostdev'> without teaming", async () => {
    const doc = await h.open('hostdev-no-teaming.xml');
    const diags = await h.waitForDiagnostics(doc.uri, h.hasCode('migration-hostdev'), 'migration-hostdev');
    const d = diags.find((x) => h.codeOf(x) === 'migration-hostdev');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.strictEqual(d.range.start.line, h.lineOf(doc, "<interface type='hostdev'"));
    assert.strictEqual(doc.getText(d.range), 'hostdev');
    assert.deepStrictEqual(
      diags.map(h.codeOf).filter((c) => c.startsWith('teaming-')),
      [],
      'no teaming rule applies without <teaming>',
    );
  });

  it('a correct teaming pair: no error or warning', async () => {
    const doc = await h.open('teaming-ok.xml');
    // Positive signal that the server has checked this document: its information-level reminder
    // (teaming-guest-support) arrives; only then does "no error or warning" mean something.
    const diags = await h.waitForDiagnostics(doc.uri, (ds) => ds.length > 0, 'the diagnostics of a checked document');
    assert.deepStrictEqual(
      diags.filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning).map(h.codeOf),
      [],
      h.describe(diags),
    );
  });

  it('follows edits as you type: changing the VF MAC reports a mismatch, undo clears it', async () => {
    const doc = await h.open('teaming-ok.xml');
    await h.waitForDiagnostics(doc.uri, (ds) => ds.length > 0, 'the first check');
    const line = h.lineOf(doc, STANDBY_MAC, 1); // the second <mac>: the VF's
    const col = doc.lineAt(line).text.indexOf(STANDBY_MAC);
    const editor = vscode.window.activeTextEditor;
    assert.ok(await editor.edit((e) => e.replace(new vscode.Range(line, col, line, col + STANDBY_MAC.length), VF_MAC)));
    const diags = await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-mac-mismatch'), 'teaming-mac-mismatch after the edit');
    assert.strictEqual(diags.find((d) => h.codeOf(d) === 'teaming-mac-mismatch').range.start.line, line);
    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText().includes(VF_MAC), false, 'undo restored the MAC');
    await h.waitForDiagnostics(
      doc.uri,
      (ds) => ds.length > 0 && h.lacksCode('teaming-mac-mismatch')(ds),
      'the mismatch to go away after undo',
    );
  });

  it('xml-syntax: a syntax error in a domain', async () => {
    const doc = await h.open('teaming-ok.xml');
    await h.setText(doc, doc.getText().replace('<vcpu>1</vcpu>', '<vcpu>1</vcpu'));
    const diags = await h.waitForDiagnostics(doc.uri, h.hasCode('xml-syntax'), 'xml-syntax');
    const d = diags.find((x) => h.codeOf(x) === 'xml-syntax');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.range.start.line, h.lineOf(doc, '<vcpu>'));
  });
});

// "Migratable: Insert Teaming Pair": a snippet with a virtio standby and a VF that pair with each other.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const count = (text, s) => text.split(s).length - 1;
const pairs = (ds) => ds.filter((d) => h.codeOf(d) === 'teaming-guest-support').length;

describe('Insert Teaming Pair', () => {
  afterEach(h.resetEditors);

  it('inside <devices>: adds a standby and a VF, and the domain has no error', async () => {
    const doc = await h.open('teaming-ok.xml');
    const before = await h.waitForDiagnostics(doc.uri, (ds) => pairs(ds) === 1, 'the one pair of teaming-ok.xml');
    assert.deepStrictEqual(before.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map(h.codeOf), []);
    const original = doc.getText();
    const line = h.lineOf(doc, '</devices>') - 1; // the end of the last </interface>
    const editor = vscode.window.activeTextEditor;
    const end = doc.lineAt(line).range.end;
    editor.selection = new vscode.Selection(end, end);
    const at = doc.offsetAt(end);

    await vscode.commands.executeCommand('migratable.insertTeamingPair');
    const text = doc.getText();
    assert.notStrictEqual(text, original, 'the command inserted something');
    assert.strictEqual(count(text, "<teaming type='persistent'/>"), 2, text);
    assert.strictEqual(count(text, "<teaming type='transient'"), 2, text);
    assert.ok(
      text.startsWith(original.slice(0, at)) && text.endsWith(original.slice(at)),
      'the text around the cursor is unchanged',
    );

    // positive signal that the new text was checked: the new pair is recognised as one
    const ds = await h.waitForDiagnostics(doc.uri, (x) => pairs(x) === 2, 'the inserted pair to be recognised');
    assert.deepStrictEqual(ds.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).map(h.codeOf), [], h.describe(ds));
  });
});

// Untitled XML documents (never saved) are checked too: the walkthrough's "Open Example Domain" opens one.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('untitled XML', () => {
  afterEach(h.resetEditors);

  it('"Open Example Domain" opens an untitled copy of broken.xml, and it gets diagnostics', async () => {
    await h.activate();
    await vscode.commands.executeCommand('migratable.openExample');
    const doc = vscode.window.activeTextEditor?.document;
    assert.ok(doc, 'an editor is open');
    assert.strictEqual(doc.uri.scheme, 'untitled');
    assert.strictEqual(doc.languageId, 'xml');
    const ds = await h.waitForDiagnostics(
      doc.uri,
      h.hasCode('teaming-mac-mismatch'),
      'teaming-mac-mismatch in the untitled example',
    );
    assert.strictEqual(
      ds.find((d) => h.codeOf(d) === 'teaming-mac-mismatch').range.start.line,
      h.lineOf(doc, "'52:54:00:6d:90:03'"),
    );
  });

  it('an untitled XML document typed from scratch gets diagnostics as it becomes a domain', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'xml', content: '' });
    await vscode.window.showTextDocument(doc);
    await h.activate();
    const source = await vscode.workspace.openTextDocument(h.workspaceFile('hostdev-no-teaming.xml'));
    await h.setText(doc, source.getText());
    const ds = await h.waitForDiagnostics(doc.uri, h.hasCode('migration-hostdev'), 'migration-hostdev in the untitled document');
    assert.strictEqual(
      ds.find((d) => h.codeOf(d) === 'migration-hostdev').range.start.line,
      h.lineOf(doc, "<interface type='hostdev'"),
    );
  });
});

// The extension loads and activates inside a real VS Code extension host, and it is the build under test.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const h = require('./helpers');

describe('extension in a real VS Code', () => {
  after(h.resetEditors);

  it('runs in a real extension host (not a mock)', () => {
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
    console.log(
      `    VS Code ${vscode.version}, ${vscode.env.appName}, remoteName=${vscode.env.remoteName ?? 'none'}, uiKind=${vscode.UIKind[vscode.env.uiKind]}, node ${process.version}`,
    );
  });

  it('is the extension under test (development folder, or the installed .vsix)', () => {
    const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    assert.ok(ext, `extension ${h.EXTENSION_ID} is not loaded`);
    const expected = process.env.E2E_EXTENSION_PATH;
    if (expected)
      assert.strictEqual(
        fs.realpathSync(ext.extensionPath),
        fs.realpathSync(expected),
        `E2E_EXTENSION_MODE=${process.env.E2E_EXTENSION_MODE}`,
      );
    console.log(
      `    ${h.EXTENSION_ID} ${ext.packageJSON.version} (${process.env.E2E_EXTENSION_MODE || 'unknown mode'}) from ${ext.extensionPath}`,
    );
  });

  it('activates when an XML file is opened (onLanguage:xml) and its language server answers', async () => {
    const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    if (!vscode.workspace.textDocuments.some((d) => d.languageId === 'xml')) {
      assert.strictEqual(ext.isActive, false, 'not active before any XML file is open');
    }
    // open WITHOUT calling ext.activate(): diagnostics can only come from an activation by onLanguage:xml
    const doc = await vscode.workspace.openTextDocument(h.workspaceFile('teaming-mac-mismatch.xml'));
    await vscode.window.showTextDocument(doc);
    try {
      await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-mac-mismatch'), 'the first diagnostics (activation + server start)');
    } catch (err) {
      await ext.activate(); // surfaces an activation error, if that is what happened
      throw err;
    }
    assert.strictEqual(ext.isActive, true);
  });
});

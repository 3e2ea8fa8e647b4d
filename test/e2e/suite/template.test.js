// A domain kept as a template (issue #10 item 9): domain.xml.in is XML, and its @…@ placeholders block nothing.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('templates', () => {
  afterEach(h.resetEditors);

  it('domain.xml.in opens as XML; each placeholder gets one information finding, none an error, and nothing blocks', async () => {
    const { api } = await h.activate();
    const doc = await h.open('domain.xml.in'); // asserts the language: xml
    const ds = await h.waitForDiagnostics(
      doc.uri,
      (x) => x.filter((d) => h.codeOf(d) === 'template-placeholder').length === 4,
      'a template-placeholder finding on each placeholder',
    );
    const placeholders = ds.filter((d) => h.codeOf(d) === 'template-placeholder');
    assert.ok(placeholders.every((d) => d.severity === vscode.DiagnosticSeverity.Information));
    assert.deepStrictEqual(placeholders.map((d) => doc.getText(d.range)).sort(), [
      '@VM_MAC@',
      '@VM_MAC@',
      '@VM_NAME@',
      '@VM_UUID@',
    ]);
    assert.deepStrictEqual(ds.filter(h.isBlocker).map(h.codeOf), [], h.describe(ds));
    await h.until(() => api.status.text === '$(check) Migratable', 'the status bar to say Migratable', {
      events: () => [api.status.onDidUpdate],
      state: () => ` (it shows ${api.status.text})`,
    });
  });
});

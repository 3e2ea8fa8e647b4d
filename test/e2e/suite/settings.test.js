// Settings apply live, without a reload: migratable.rules (per-rule severity or off) and migratable.enable.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const CODE = 'teaming-mac-mismatch';
const find = (ds) => ds.find((d) => h.codeOf(d) === CODE);

describe('settings', () => {
  afterEach(async () => {
    await h.setSetting('rules', undefined);
    await h.setSetting('enable', undefined);
    await h.resetEditors();
  });

  it('migratable.rules: "off" removes that diagnostic (others stay), a severity overrides it, removing the override restores it', async () => {
    const doc = await h.open('teaming-mac-mismatch.xml');
    let ds = await h.waitForDiagnostics(doc.uri, h.hasCode(CODE), CODE);
    assert.strictEqual(find(ds).severity, vscode.DiagnosticSeverity.Error);
    const others = ds.filter((d) => h.codeOf(d) !== CODE).map(h.codeOf);
    assert.ok(others.length > 0, 'the fixture has other diagnostics too (they show the document was re-checked)');

    await h.setSetting('rules', { [CODE]: 'off' });
    ds = await h.waitForDiagnostics(doc.uri, (x) => !find(x) && x.length > 0, `${CODE} to be turned off`);
    assert.deepStrictEqual(ds.map(h.codeOf), others, 'only that rule is gone');

    await h.setSetting('rules', { [CODE]: 'warning' });
    await h.waitForDiagnostics(doc.uri, (x) => find(x)?.severity === vscode.DiagnosticSeverity.Warning, `${CODE} as a warning`);

    await h.setSetting('rules', undefined);
    await h.waitForDiagnostics(doc.uri, (x) => find(x)?.severity === vscode.DiagnosticSeverity.Error, `${CODE} back to an error`);
  });

  it('migratable.enable: false clears every diagnostic, true brings them back', async () => {
    const doc = await h.open('teaming-mac-mismatch.xml');
    await h.waitForDiagnostics(doc.uri, h.hasCode(CODE), CODE);
    await h.setSetting('enable', false);
    await h.waitForDiagnostics(doc.uri, (x) => x.length === 0, 'no diagnostics with migratable.enable=false');
    await h.setSetting('enable', true);
    await h.waitForDiagnostics(doc.uri, h.hasCode(CODE), `${CODE} again with migratable.enable=true`);
  });
});

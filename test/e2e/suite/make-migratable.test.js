// "Migratable: Make Domain Migratable": every safe fix at once, as one undo step.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const isError = (d) => d.severity === vscode.DiagnosticSeverity.Error;
const isMigrationWarning = (d) => d.severity === vscode.DiagnosticSeverity.Warning && h.codeOf(d).startsWith('migration-');

describe('Make Domain Migratable', () => {
  afterEach(h.resetEditors);

  it('fixes examples/broken.xml: no error or migration-* warning left; one undo restores the original', async () => {
    const doc = await h.open('examples/broken.xml');
    const original = doc.getText();
    await h.waitForDiagnostics(doc.uri, (ds) => ds.filter(isError).length >= 3, 'the errors of broken.xml');

    const r = await vscode.commands.executeCommand('migratable.makeMigratable');
    assert.strictEqual(r?.applied, true, `the command reports: ${JSON.stringify(r)}`);
    // both pairs repaired: the VF takes its standby's MAC; the dropped alias gets ua- with the persistent= naming it
    let expected = h.replaceOnce(original, "<mac address='52:54:00:6d:90:03'/>", "<mac address='52:54:00:6d:90:02'/>");
    expected = h.replaceOnce(expected, "<alias name='backup1'/>", "<alias name='ua-backup1'/>");
    expected = h.replaceOnce(expected, "persistent='backup1'", "persistent='ua-backup1'");
    assert.strictEqual(doc.getText(), expected);

    // positive signal that the fixed text was checked: both pairs now get their guest-support reminder
    const ds = await h.waitForDiagnostics(
      doc.uri,
      (x) => x.filter((d) => h.codeOf(d) === 'teaming-guest-support').length === 2,
      'both teaming pairs to be recognised',
    );
    assert.deepStrictEqual(ds.filter((d) => isError(d) || isMigrationWarning(d)).map(h.codeOf), [], h.describe(ds));

    await vscode.commands.executeCommand('undo');
    assert.strictEqual(doc.getText(), original, 'a single undo restores the original text');
    await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-mac-mismatch'), 'the errors back after undo');
  });
});

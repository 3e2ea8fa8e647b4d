// Quick fixes through VS Code's code-action API, applied as a user would: the exact text they produce.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const VF_MAC = '52:54:00:6d:90:03';
const STANDBY_MAC = '52:54:00:6d:90:02';

/** The quick fixes VS Code's code-action API returns at the range of the diagnostic `code` (the API does not say which
 *  diagnostic an action fixes: only our extension provides code actions for XML here). */
async function quickFixes(doc, code) {
  const diags = await h.waitForDiagnostics(doc.uri, h.hasCode(code), code);
  const d = diags.find((x) => h.codeOf(x) === code);
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', doc.uri, d.range, 'quickfix');
  for (const a of actions)
    assert.ok(a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind), `${a.title}: kind ${a.kind?.value}`);
  return actions;
}

describe('quick fixes (code-action API)', () => {
  afterEach(h.resetEditors);

  it('teaming-mac-mismatch: "Use the standby\'s MAC" (preferred) changes only the VF\'s MAC', async () => {
    const doc = await h.open('teaming-mac-mismatch.xml');
    const original = doc.getText();
    const fixes = await quickFixes(doc, 'teaming-mac-mismatch');
    assert.deepStrictEqual(
      fixes.map((a) => a.title).sort(),
      [`Use the VF's MAC ${VF_MAC} on the standby`, `Use the standby's MAC ${STANDBY_MAC} on the VF`].sort(),
    );
    const fix = fixes.find((a) => a.title.startsWith("Use the standby's MAC"));
    assert.strictEqual(fix.isPreferred, true, 'the safe fix is the preferred one');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.getText(), h.replaceOnce(original, `<mac address='${VF_MAC}'/>`, `<mac address='${STANDBY_MAC}'/>`));
    await h.waitForDiagnostics(
      doc.uri,
      (ds) => ds.length > 0 && h.lacksCode('teaming-mac-mismatch')(ds),
      'the mismatch to go away',
    );
  });

  it('alias-dropped: "Rename to \'ua-backup1\'" renames the alias and the persistent= that names it, in one edit', async () => {
    const doc = await h.open('examples/broken.xml');
    const original = doc.getText();
    const fixes = await quickFixes(doc, 'alias-dropped');
    const fix = fixes.find((a) => a.title === "Rename to 'ua-backup1' (and the persistent= that names it)");
    assert.ok(fix, `offered: ${fixes.map((a) => a.title).join(' | ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const expected = h.replaceOnce(
      h.replaceOnce(original, "<alias name='backup1'/>", "<alias name='ua-backup1'/>"),
      "persistent='backup1'",
      "persistent='ua-backup1'",
    );
    assert.strictEqual(doc.getText(), expected);
    const ds = await h.waitForDiagnostics(doc.uri, h.lacksCode('alias-dropped'), 'alias-dropped to go away');
    assert.ok(h.lacksCode('teaming-dangling')(ds), `the dangling persistent= is fixed too:\n${h.describe(ds)}`);
    assert.ok(h.hasCode('teaming-mac-mismatch')(ds), 'the other pair is untouched');
  });
});

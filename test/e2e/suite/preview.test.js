// "Migratable: Preview Destination XML": a diff editor whose right side is what `migratable rewrite` writes.
'use strict';
const assert = require('assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const DEST_SCHEME = 'migratable-dest';

function destinationTabs() {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === DEST_SCHEME);
}

/** `migratable rewrite DOMAIN --dest PROFILE` with the extension's own CLI: the expected right side. */
function rewrite(domain, profile) {
  const r = h.cli(['rewrite', domain, '--dest', profile]);
  assert.strictEqual(r.status, 0, `migratable rewrite exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

describe('destination preview', () => {
  afterEach(h.resetEditors);

  it('with a profile argument: opens a diff whose right side equals `migratable rewrite`, and follows edits of the profile', async () => {
    const doc = await h.open('examples/teaming.xml');
    const profile = h.workspaceFile('examples/host-b.migration.json');
    await h.waitForDiagnostics(doc.uri, (ds) => ds.length > 0, 'the domain to be checked');
    assert.deepStrictEqual(destinationTabs(), [], 'no destination diff before the command');

    await vscode.commands.executeCommand('migratable.previewDestination', profile);
    await h.waitForDestinationTabs(1); // the tab model follows the command a moment later
    const tabs = destinationTabs();
    assert.strictEqual(tabs.length, 1, 'one destination diff editor');
    assert.strictEqual(tabs[0].input.original.toString(), doc.uri.toString(), 'the left side is the domain');
    const right = await h.waitForDocument(
      (d) => d.uri.toString() === tabs[0].input.modified.toString(),
      'the destination document',
    );

    const expected = rewrite(doc.uri.fsPath, profile.fsPath);
    // the profile maps this domain's VF, network and disk folder: the rewrite must show them, or the test proves nothing
    for (const s of ["bus='0x5e' slot='0x10' function='0x2'", "network='prod-net'", "file='/srv/images/web1.qcow2'"]) {
      assert.ok(expected.includes(s) && !doc.getText().includes(s), `the CLI's destination has ${s}`);
    }
    assert.strictEqual(right.getText(), expected);

    // an unsaved edit of the profile updates the open preview
    const profileDoc = await vscode.workspace.openTextDocument(profile);
    const edited = h.replaceOnce(profileDoc.getText(), '"prod-net"', '"backup-net"');
    await h.setText(profileDoc, edited);
    await h.waitForText(right, (t) => t.includes("network='backup-net'"), 'the preview to follow the profile edit');
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-'));
    fs.writeFileSync(path.join(tmp, 'edited.migration.json'), edited);
    assert.strictEqual(right.getText(), rewrite(doc.uri.fsPath, path.join(tmp, 'edited.migration.json')));
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});

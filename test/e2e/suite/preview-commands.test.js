// Save/Copy from the preview diff (issue #10 item 3), the copied virsh command (issue #12 item 10), and the problems of
// a profile made by "Create a profile…" (issue #10 item 5).
'use strict';
const assert = require('assert');
const { spawnSync } = require('child_process');
const vscode = require('vscode');
const h = require('./helpers');

const DEST_SCHEME = 'migratable-dest';
async function writeWorkspaceFile(name, text) {
  const uri = h.workspaceFile(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text, 'utf8'));
  return uri;
}

describe('destination preview commands', () => {
  const created = [];
  afterEach(async () => {
    await h.resetEditors();
    for (const uri of created.splice(0)) await vscode.workspace.fs.delete(uri).catch(() => {});
  });

  it('Copy virsh migrate Command from the preview diff, for a domain named --help: virsh takes it as the name', async () => {
    const teaming = await vscode.workspace.openTextDocument(h.workspaceFile('examples/teaming.xml'));
    const uri = await writeWorkspaceFile(
      'dash-help.xml',
      h.replaceOnce(teaming.getText(), '<name>web1</name>', '<name>--help</name>'),
    );
    created.push(uri);
    const doc = await h.open('dash-help.xml');
    await h.waitForDiagnostics(doc.uri, (x) => x.length > 0, 'the domain to be checked');
    await vscode.commands.executeCommand('migratable.previewDestination', h.workspaceFile('examples/host-b.migration.json'));
    const [tab] = await h.waitForDestinationTabs(1);

    // the diff's title bar passes the preview's own uri
    const command = await vscode.commands.executeCommand('migratable.copyMigrateCommand', tab.input.modified);
    assert.match(
      command,
      /^virsh migrate --live --persistent --undefinesource --xml \S+dash-help\.host-b\.xml --domain --help --desturi qemu\+ssh:\/\/host-b\/system$/,
    );
    // a POSIX shell splits it, and virsh parses it: the domain it looks for is '--help' (it does not print its help)
    const r = spawnSync('bash', ['-c', command.replace(/^virsh /, 'virsh -c test:///default ')], {
      encoding: 'utf8',
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      timeout: h.DEADLINE_MS,
    });
    assert.ok(!r.error, `virsh could not run: ${r.error?.message} (needs libvirt-clients)`);
    assert.match(r.stderr, /failed to get domain '--help'/, `virsh said:\n${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stdout, /migrate domain to another host/);
  });

  it('Copy from the focused diff, without an argument (the palette on the diff)', async () => {
    const doc = await h.open('examples/teaming.xml');
    await h.waitForDiagnostics(doc.uri, (x) => x.length > 0, 'the domain to be checked');
    await vscode.commands.executeCommand('migratable.previewDestination', h.workspaceFile('examples/host-b.migration.json'));
    await vscode.commands.executeCommand('workbench.action.compareEditor.focusPrimarySide');
    await h.until(
      () => vscode.window.activeTextEditor?.document.uri.scheme === DEST_SCHEME,
      'the preview side to have the focus',
    );
    const command = await vscode.commands.executeCommand('migratable.copyMigrateCommand');
    assert.match(command, / --domain web1 --desturi qemu\+ssh:\/\/host-b\/system$/);
  });

  it('a profile from the template: one clear problem per placeholder, and the domain says to replace it', async () => {
    const { api } = await h.activate();
    const doc = await h.open('teaming-ok.xml');
    await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-guest-support'), 'the domain to be checked');
    const uri = await writeWorkspaceFile('host-t.migration.json', await api.server.profileTemplate(doc, 'host-t'));
    created.push(uri);
    const profile = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(profile, { preview: false });
    const line = h.lineOf(profile, '"DDDD:BB:SS.F"');
    await h.showActive(doc);
    await vscode.commands.executeCommand('migratable.previewDestination', uri);

    const ds = await h.waitForDiagnostics(doc.uri, h.hasCode('rewrite-hostdev-unmapped'), 'the unmapped VF');
    const unmapped = ds.find((d) => h.codeOf(d) === 'rewrite-hostdev-unmapped').message;
    assert.match(
      unmapped,
      /the profile's "hostdevs" maps it to "DDDD:BB:SS\.F": replace that with the destination VF's PCI address/,
    );
    assert.doesNotMatch(unmapped, /map "0000:42:02\.5" in the profile/, 'the key is there: the message must not ask to add it');

    // every diagnostic on the placeholder's line, from any source (VS Code's JSON schema validation and ours)
    const onLine = () => vscode.languages.getDiagnostics(uri).filter((d) => d.range.start.line === line);
    await h.until(
      () => onLine().some((d) => /Replace DDDD:BB:SS\.F with the destination VF's PCI address/.test(d.message)),
      'the placeholder problem',
      {
        events: () => [vscode.languages.onDidChangeDiagnostics],
        state: () =>
          `; there: ${onLine()
            .map((d) => d.message)
            .join(' | ')}`,
      },
    );
    assert.strictEqual(
      onLine().length,
      1,
      `one problem on the placeholder: ${onLine()
        .map((d) => `[${d.source}] ${d.message}`)
        .join(' | ')}`,
    );
    assert.ok(
      vscode.languages.getDiagnostics(uri).every((d) => !/does not match the pattern/.test(d.message)),
      'no raw regular expression in a message',
    );
  });
});

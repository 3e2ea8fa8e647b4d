// Problems of the destination preview belong to the open preview (issue #10 item 1): they go when it closes, or when
// its domain closes; meanwhile the status bar and the readiness report count them, as the Problems panel shows them.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const UNMAPPED = 'rewrite-hostdev-unmapped';

function waitForStatus(api, expected) {
  return h.until(() => api.status.text === expected, `the status bar to show ${expected}`, {
    events: () => [api.status.onDidUpdate],
    state: () => ` (it shows ${api.status.text})`,
  });
}

describe('destination preview problems', () => {
  afterEach(h.resetEditors);

  // teaming-ok.xml's VF (0000:42:02.5) is not in host-b's "hostdevs": the preview has an error on the domain
  it('are there while the preview is open, counted by the status bar and the report, and gone when it closes', async () => {
    const { api } = await h.activate();
    const doc = await h.open('teaming-ok.xml');
    const profile = h.workspaceFile('examples/host-b.migration.json');
    await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-guest-support'), 'teaming-ok.xml to be checked');
    await waitForStatus(api, '$(check) Migratable');

    await vscode.commands.executeCommand('migratable.previewDestination', profile);
    await h.waitForDestinationTabs(1);
    const ds = await h.waitForDiagnostics(doc.uri, h.hasCode(UNMAPPED), 'the unmapped VF on the domain');
    assert.match(ds.find((d) => h.codeOf(d) === UNMAPPED).message, /^destination 'host-b': no destination for/);
    await h.waitForDiagnostics(profile, (x) => x.length > 0, "the profile's unused mappings");
    await waitForStatus(api, '$(warning) host-b: 1 problem');
    assert.match(api.status.tooltip, /no migration blockers .*The destination XML is not ready \(host-b: 1 problem\)/);

    const shown = h.nextEvent(api.report.onDidUpdate, () => api.report.current?.readiness, 'the report');
    await vscode.commands.executeCommand('migratable.showReport');
    await shown;
    const report = api.report.current.html;
    assert.match(
      report,
      /<strong>Not ready:<\/strong> nothing in this domain blocks live migration, but the destination XML is not ready \(host-b: 1 problem\)/,
    );
    assert.match(report, new RegExp(`<h2>Destination XML for host-b \\(open preview\\)</h2>[\\s\\S]*<code>${UNMAPPED}</code>`));

    const updated = h.nextEvent(
      api.report.onDidUpdate,
      () => /<strong>Ready:<\/strong>/.test(api.report.current?.html ?? ''),
      'the report to say Ready',
    );
    await vscode.window.tabGroups.close(h.destinationTabs());
    await h.waitForDiagnostics(doc.uri, h.lacksCode(UNMAPPED), 'the preview problems to go with the preview');
    await h.waitForDiagnostics(profile, (x) => x.length === 0, "the profile's preview problems to go");
    await updated;
    assert.doesNotMatch(api.report.current.html, /Destination XML for/);
    await h.showActive(doc);
    await waitForStatus(api, '$(check) Migratable');
  });

  it('an untitled domain closed with its preview open: the preview and its problems go, and nothing throws', async () => {
    const { api } = await h.activate();
    const text = (await vscode.workspace.openTextDocument(h.workspaceFile('teaming-ok.xml'))).getText();
    const doc = await vscode.workspace.openTextDocument({ language: 'xml', content: text });
    await h.showActive(doc);
    await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-guest-support'), 'the untitled domain to be checked');
    await vscode.commands.executeCommand('migratable.previewDestination', h.workspaceFile('examples/host-b.migration.json'));
    await h.waitForDiagnostics(doc.uri, h.hasCode(UNMAPPED), 'the unmapped VF on the untitled domain');
    const [tab] = await h.waitForDestinationTabs(1);
    const dest = tab.input.modified;

    // close the untitled domain's own editor without saving: the document goes, and with it the preview
    await h.showActive(doc);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await h.until(() => doc.isClosed, 'the untitled domain to be closed', {
      state: () =>
        `; open tabs: ${vscode.window.tabGroups.all
          .flatMap((g) => g.tabs)
          .map((t) => t.label)
          .join(', ')}`,
    });
    await h.until(() => h.destinationTabs().length === 0, 'its preview to close');
    await h.waitForDiagnostics(doc.uri, (x) => x.length === 0, 'no problem left on the closed domain');
    // the server no longer has the domain: the preview answers instead of throwing (it used to: reading 'problems' of null)
    const content = await api.preview.provideTextDocumentContent(dest);
    assert.match(content, /is no longer open/);
    assert.strictEqual(vscode.languages.getDiagnostics(doc.uri).length, 0);
  });
});

// The status bar item follows the active domain on its own: "$(check) Migratable", "$(warning) N blockers", or hidden.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

/** Resolves once the item shows `expected` (undefined: hidden), waiting on the item's own updates; never refreshes it. */
function waitForStatus(api, expected, what) {
  if (api.status.text === expected) return Promise.resolve();
  return h.nextEvent(
    api.status.onDidUpdate,
    () => api.status.text === expected,
    `the status bar to show ${what} (it shows ${api.status.text})`,
  );
}

describe('status bar item', () => {
  afterEach(h.resetEditors);

  it('follows the active editor: blockers of a domain, "Migratable" when there are none, hidden on other XML', async () => {
    const { api } = await h.activate();
    const broken = await h.open('examples/broken.xml');
    const ds = await h.waitForDiagnostics(broken.uri, h.hasCode('teaming-mac-mismatch'), 'the diagnostics of broken.xml');
    const blockers = ds.filter(h.isBlocker).length;
    assert.ok(blockers >= 3, h.describe(ds));
    await waitForStatus(api, `$(warning) ${blockers} blockers`, `${blockers} blockers`);

    const ok = await h.open('teaming-ok.xml');
    await h.waitForDiagnostics(ok.uri, (x) => x.length > 0, 'teaming-ok.xml to be checked');
    await waitForStatus(api, '$(check) Migratable', '"Migratable"');

    await h.open('pom.xml');
    await waitForStatus(api, undefined, 'nothing (pom.xml is not a domain)');

    await vscode.window.showTextDocument(broken);
    await waitForStatus(api, `$(warning) ${blockers} blockers`, `${blockers} blockers again`);
  });
});

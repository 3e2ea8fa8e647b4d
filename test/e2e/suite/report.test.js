// "Migratable: Show Migration Readiness Report": a webview beside the domain whose links reveal places in it.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('readiness report', () => {
  afterEach(h.resetEditors);

  it('lists the teaming pair and every blocker of the active domain, each linked to its line', async () => {
    const { api } = await h.activate();
    const doc = await h.open('examples/broken.xml');
    const ds = await h.waitForDiagnostics(doc.uri, h.hasCode('teaming-mac-mismatch'), 'the diagnostics of broken.xml');
    const blockers = ds.filter(h.isBlocker);

    const shown = h.nextEvent(api.report.onDidUpdate, () => api.report.current?.readiness, 'the report to render');
    await vscode.commands.executeCommand('migratable.showReport');
    await shown;
    const { source, html } = api.report.current;
    assert.strictEqual(source.toString(), doc.uri.toString(), 'the report is about the active domain');
    assert.match(html, /<h1>Migration readiness: broken1<\/h1>/);
    assert.match(html, new RegExp(`<strong>Not ready:</strong> ${blockers.length} problems block live migration`));
    // the pair whose alias libvirt keeps: alias, standby MAC, VF MAC, the VF's host address, a link to it
    assert.match(
      html,
      /<td><code>ua-backup0<\/code><\/td><td>52:54:00:6d:90:02<\/td><td>52:54:00:6d:90:03<\/td><td>host PCI 0000:3b:02\.0<\/td><td><a href="#" data-line="\d+"/,
    );
    for (const d of blockers) {
      const link = `<code>${h.codeOf(d)}</code> <a href="#" data-line="${d.range.start.line}" data-character="${d.range.start.character}">line ${d.range.start.line + 1}</a>`;
      assert.ok(html.includes(link), `the report lists ${h.codeOf(d)} at line ${d.range.start.line + 1}`);
    }
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/, 'the page loads nothing from outside');
  });
});

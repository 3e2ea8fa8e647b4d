// Only XML documents whose root element is <domain> are checked: other XML gets no migratable diagnostic.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

describe('XML that is not a libvirt domain', () => {
  afterEach(h.resetEditors);

  it('a Maven pom.xml (<project>) gets no migratable diagnostics', async () => {
    // An absence is only meaningful once we know the server has seen the document. Three signals, in order:
    // 1. the pom is open in an editor, and a domain opened AFTER it has been checked (the server is up and answering);
    const pom = await h.open('pom.xml');
    const original = pom.getText();
    const domain = await h.open('teaming-mac-mismatch.xml');
    await h.waitForDiagnostics(domain.uri, h.hasCode('teaming-mac-mismatch'), 'the domain opened after the pom to be checked');
    // 2. the server has the pom open and says it is not a domain;
    const { api } = await h.activate();
    assert.ok(api?.server?.readiness, 'the extension exports server.readiness');
    const r = await api.server.readiness(pom);
    assert.ok(r, 'the server has the pom open');
    assert.strictEqual(r.isDomain, false, 'the server classifies the pom as not a domain');
    assert.strictEqual(
      h.migratable(pom.uri).length,
      0,
      `pom.xml has migratable diagnostics:\n${h.describe(h.migratable(pom.uri))}`,
    );
    // 3. control in this very document: made into a (broken) domain it DOES get diagnostics, and once it is back to
    //    the pom text they go away again (a change VS Code reports), so the empty result is an answer, not a silence.
    await h.setText(pom, domain.getText());
    await h.waitForDiagnostics(pom.uri, h.hasCode('teaming-mac-mismatch'), 'diagnostics once pom.xml holds a domain');
    await h.setText(pom, original);
    await h.waitForDiagnostics(pom.uri, (ds) => ds.length === 0, 'no diagnostics once pom.xml is a <project> again');
    assert.strictEqual(pom.getText(), original);
  });
});

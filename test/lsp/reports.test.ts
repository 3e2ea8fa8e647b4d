import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { DocumentDiagnosticReport, Range } from 'vscode-languageserver-protocol';
import { diagnose } from '../helpers/diagnose';
import { LspSession } from '../helpers/lsp-client';
import { EXAMPLES } from '../helpers/paths';

const BROKEN = readFileSync(join(EXAMPLES, 'broken.xml'), 'utf8');
const uri = pathToFileURL(join(EXAMPLES, 'broken.xml')).href;

/** The range of `needle` on the first line holding it. */
function rangeOf(needle: string, text = BROKEN): Range {
  const rows = text.split('\n');
  const line = rows.findIndex((l) => l.includes(needle));
  const character = rows[line].indexOf(needle);
  return { start: { line, character }, end: { line, character: character + needle.length } };
}

/**
 * Pull diagnostics with result ids: a pull whose findings did not change since the report the client names in
 * previousResultId is answered `unchanged` (nothing is sent, VS Code converts nothing); any difference, a stale id or
 * a document reopened gives a full report with a new id.
 */
describe('LSP server over stdio: unchanged diagnostic reports', () => {
  let session: LspSession;
  let version = 1;
  let text = BROKEN;
  const pull = (previousResultId?: string) =>
    session.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri },
      previousResultId,
    }) as Promise<DocumentDiagnosticReport>;
  const change = (range: Range, newText: string, after: string) => {
    text = after;
    return session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range, text: newText }],
    });
  };
  const full = (report: DocumentDiagnosticReport) => {
    assert.equal(report.kind, 'full', JSON.stringify(report).slice(0, 200));
    assert.equal(typeof report.resultId, 'string');
    return report.kind === 'full' ? report.items : [];
  };

  before(async () => {
    session = LspSession.start();
    await session.initialize({
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: false },
        diagnostics: { refreshSupport: true },
      },
      textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
    });
    await session.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'xml', version, text: BROKEN },
    });
  });
  after(() => session.kill());

  let last: string;

  it('the first pull is a full report with a result id', async () => {
    const report = await pull();
    assert.deepEqual(full(report), JSON.parse(JSON.stringify(diagnose(BROKEN, undefined, uri))));
    last = report.resultId!;
  });

  it('a second pull without an edit is unchanged', async () => {
    assert.deepEqual(await pull(last), { kind: 'unchanged', resultId: last });
  });

  it('words typed into a comment change no finding: unchanged', async () => {
    const { start } = rangeOf('differ: the guest');
    await change({ start, end: start }, 'do ', text.replace('differ: the guest', 'do differ: the guest'));
    assert.deepEqual(await pull(last), { kind: 'unchanged', resultId: last });
  });

  it('an edit that changes the findings gives a full report with a new result id', async () => {
    const vf = rangeOf("'52:54:00:6d:90:03'", text);
    const fixed = text.replace("'52:54:00:6d:90:03'", "'52:54:00:6d:90:02'");
    await change(vf, "'52:54:00:6d:90:02'", fixed);
    const report = await pull(last);
    const items = full(report);
    assert.notEqual(report.resultId, last);
    assert.deepEqual(items, JSON.parse(JSON.stringify(diagnose(fixed, undefined, uri))));
    assert.ok(!items.some((d) => d.code === 'teaming-mac-mismatch'));
    last = report.resultId!;
  });

  it('a line inserted above the findings moves them: a full report', async () => {
    const top = { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } };
    const moved = text.replace('\n', '\n<!-- a new line -->\n');
    await change(top, '<!-- a new line -->\n', moved);
    const report = await pull(last);
    assert.deepEqual(full(report), JSON.parse(JSON.stringify(diagnose(moved, undefined, uri))));
    assert.notEqual(report.resultId, last);
    last = report.resultId!;
  });

  it('a previousResultId that is not the last report gives a full report', async () => {
    const report = await pull('not-a-result-id');
    assert.deepEqual(full(report), JSON.parse(JSON.stringify(diagnose(text, undefined, uri))));
    last = report.resultId!;
  });

  it('a rule turned off by the settings changes the findings: a full report', async () => {
    const since = session.received.length;
    session.settings = { enable: true, rules: { 'teaming-dangling': 'off' } };
    await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await session.waitFor('workspace/diagnostic/refresh', (m) => m.method === 'workspace/diagnostic/refresh', since);
    const report = await pull(last);
    const items = full(report);
    assert.ok(!items.some((d) => d.code === 'teaming-dangling'));
    assert.ok(items.some((d) => d.code === 'alias-dropped'));
    last = report.resultId!;
  });

  it('a document closed and opened again gets a full report, whatever id the client still holds', async () => {
    await session.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await session.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'xml', version: ++version, text },
    });
    full(await pull(last));
  });
});

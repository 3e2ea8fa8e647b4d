import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CancellationTokenSource,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeResult,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { diagnose } from '../helpers/diagnose';
import { LspSession, protocolFrames } from '../helpers/lsp-client';
import { EXAMPLES } from '../helpers/paths';

const BROKEN = readFileSync(join(EXAMPLES, 'broken.xml'), 'utf8');
const BROKEN_CODES = ['alias-dropped', 'teaming-dangling', 'teaming-guest-support', 'teaming-mac-mismatch', 'teaming-not-pcie'];
const VF_MAC = '52:54:00:6d:90:03';
const STANDBY_MAC = '52:54:00:6d:90:02';
const uriOf = (name: string) => pathToFileURL(join(EXAMPLES, name)).href;

function textAt(text: string, range: Range): string {
  const doc = TextDocument.create('file:///x', 'xml', 1, text);
  return text.slice(doc.offsetAt(range.start), doc.offsetAt(range.end));
}

function open(session: LspSession, uri: string, text: string, version = 1): Promise<void> {
  return session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'xml', version, text } });
}

function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code));
}

/** What every diagnostic carries, and the teaming-mac-mismatch one in detail. */
function checkBrokenDiagnostics(uri: string, diagnostics: Diagnostic[]): void {
  for (const code of BROKEN_CODES) assert.ok(codes(diagnostics).includes(code), `${code} missing: ${codes(diagnostics).join()}`);
  for (const d of diagnostics) {
    assert.equal(d.source, 'migratable');
    assert.equal(typeof d.code, 'string');
    assert.match(d.codeDescription?.href ?? '', new RegExp(`^https?://.*#${d.code}$`));
    assert.ok(d.severity! >= 1 && d.severity! <= 4);
  }
  const mismatch = diagnostics.find((d) => d.code === 'teaming-mac-mismatch')!;
  assert.equal(mismatch.severity, 1);
  assert.equal(textAt(BROKEN, mismatch.range), VF_MAC);
  assert.equal(
    mismatch.range.start.line,
    BROKEN.split('\n').findIndex((l) => l.includes(VF_MAC)),
  );
  const related = mismatch.relatedInformation ?? [];
  assert.equal(related.length, 1);
  assert.equal(related[0].location.uri, uri);
  assert.equal(textAt(BROKEN, related[0].location.range), STANDBY_MAC);
  // the wire carries exactly what the language service computes
  assert.deepEqual(diagnostics, JSON.parse(JSON.stringify(diagnose(BROKEN, undefined, uri))));
}

/** The edit that makes the VF's MAC equal its standby's: its last octet 03 → 02. */
function fixMacEdit(diagnostics: Diagnostic[]) {
  const { end } = diagnostics.find((d) => d.code === 'teaming-mac-mismatch')!.range;
  return { range: { start: { line: end.line, character: end.character - 2 }, end }, text: '02' };
}

/** A report without its result id (reports.test.ts checks the ids). */
const withoutId = ({ resultId: _, ...report }: any) => report;

async function shutdownCleanly(session: LspSession): Promise<void> {
  const { code, stdout } = await session.shutdown();
  assert.equal(code, 0, `exit code ${code}; stderr: ${session.stderrText()}`);
  const frames = protocolFrames(stdout);
  assert.ok(frames.length >= 3, `${frames.length} frames`);
  assert.deepEqual(session.errorsLogged(), []);
}

describe('LSP server over stdio: push diagnostics', () => {
  let session: LspSession;
  let init: InitializeResult;
  before(async () => {
    session = LspSession.start();
    init = await session.initialize({
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
      textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true } },
    });
  });
  after(() => session.kill());

  it('initialize: incremental sync, no diagnosticProvider when the client cannot pull', () => {
    const sync = init.capabilities.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, TextDocumentSyncKind.Incremental);
    assert.equal(init.capabilities.diagnosticProvider, undefined);
    assert.equal(init.serverInfo?.name, 'migratable-language-server');
  });

  it('didOpen of a broken domain publishes its diagnostics', async () => {
    const uri = uriOf('broken.xml');
    await open(session, uri, BROKEN);
    checkBrokenDiagnostics(uri, await session.diagnostics(uri, 1));
  });

  it('an incremental didChange that fixes the MAC removes teaming-mac-mismatch', async () => {
    const uri = uriOf('broken.xml');
    const before = await session.diagnostics(uri, 1);
    const since = session.received.length;
    await session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [fixMacEdit(before)],
    });
    const after = await session.diagnostics(uri, 2, since);
    assert.ok(!codes(after).includes('teaming-mac-mismatch'), codes(after).join());
    assert.ok(codes(after).includes('teaming-dangling'), codes(after).join());
    assert.deepEqual(after, JSON.parse(JSON.stringify(diagnose(BROKEN.replace(VF_MAC, STANDBY_MAC), undefined, uri))));
  });

  it('an XML file whose root is not <domain> gets an empty list, even when it is not well-formed', async () => {
    const uri = 'file:///workspace/pom.xml';
    await open(session, uri, '<project>\n  <name>x</name>\n  <unclosed>\n</project>\n');
    assert.deepEqual(await session.diagnostics(uri, 1), []);
  });

  it("workspace/didChangeConfiguration: a rule set to 'off' disappears", async () => {
    const uri = 'file:///workspace/broken-config.xml';
    await open(session, uri, BROKEN);
    assert.ok(codes(await session.diagnostics(uri, 1)).includes('teaming-mac-mismatch'));
    const since = session.received.length;
    session.settings = { enable: true, rules: { 'teaming-mac-mismatch': 'off' } };
    await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await session.waitFor('workspace/configuration after the change', (m) => m.method === 'workspace/configuration', since);
    const after = await session.diagnostics(uri, 1, since);
    assert.ok(!codes(after).includes('teaming-mac-mismatch'), codes(after).join());
    assert.ok(codes(after).includes('teaming-dangling'), codes(after).join());
  });

  it("didClose clears the document's diagnostics", async () => {
    const uri = 'file:///workspace/broken-config.xml';
    const since = session.received.length;
    await session.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    const m = await session.waitFor(
      'publishDiagnostics after didClose',
      (x) => x.method === 'textDocument/publishDiagnostics' && x.params.uri === uri,
      since,
    );
    assert.deepEqual(m.params.diagnostics, []);
  });

  it('shutdown and exit: exit code 0, stdout carried only protocol frames, no errors logged', async () => {
    await shutdownCleanly(session);
  });
});

describe('LSP server over stdio: pull diagnostics', () => {
  let session: LspSession;
  let init: InitializeResult;
  const pull = (uri: string, token?: CancellationTokenSource['token']) =>
    session.connection.sendRequest(
      DocumentDiagnosticRequest.type,
      { textDocument: { uri } },
      token,
    ) as Promise<DocumentDiagnosticReport>;

  before(async () => {
    session = LspSession.start();
    init = await session.initialize({
      workspace: {
        configuration: true,
        didChangeConfiguration: { dynamicRegistration: false },
        diagnostics: { refreshSupport: true },
      },
      textDocument: { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } },
    });
  });
  after(() => session.kill());

  it('initialize: diagnosticProvider when the client declares textDocument.diagnostic', () => {
    assert.deepEqual(init.capabilities.diagnosticProvider, { interFileDependencies: false, workspaceDiagnostics: false });
  });

  it('textDocument/diagnostic returns a full report', async () => {
    const uri = uriOf('broken.xml');
    await open(session, uri, BROKEN);
    const report = await pull(uri);
    assert.equal(report.kind, 'full');
    checkBrokenDiagnostics(uri, report.kind === 'full' ? report.items : []);
  });

  it('a pull for a document the server does not know is an empty full report', async () => {
    assert.deepEqual(await pull('file:///workspace/never-opened.xml'), { kind: 'full', items: [] });
  });

  it('a cancelled pull answers RequestCancelled or the whole report, never a partial one, and the server goes on', async () => {
    const uri = 'file:///workspace/cancelled.xml';
    await open(session, uri, BROKEN);
    const full = JSON.parse(JSON.stringify(diagnose(BROKEN, undefined, uri)));
    // the server asks for this new document's settings first: cancel while it waits for the answer
    const source = new CancellationTokenSource();
    session.onConfiguration = () => source.cancel();
    const outcome = await pull(uri, source.token).then(
      (r) => r,
      (e: unknown) => e,
    );
    session.onConfiguration = undefined;
    if (outcome instanceof ResponseError) assert.equal(outcome.code, LSPErrorCodes.RequestCancelled);
    else
      assert.deepEqual(
        withoutId(outcome),
        { kind: 'full', items: full },
        'a cancelled request answered a partial report as full',
      );

    const burst = Array.from({ length: 10 }, () => {
      const s = new CancellationTokenSource();
      const p = pull(uri, s.token).then(
        () => 'answered',
        (e: ResponseError<unknown>) => e.code,
      );
      s.cancel();
      return p;
    });
    for (const r of await Promise.all(burst)) assert.ok(r === 'answered' || r === LSPErrorCodes.RequestCancelled, String(r));
    assert.deepEqual(withoutId(await pull(uri)), { kind: 'full', items: full });
  });

  it('workspace/didChangeConfiguration asks the client to refresh, and the next pull honours the settings', async () => {
    const uri = uriOf('broken.xml');
    const since = session.received.length;
    session.settings = { enable: true, rules: { 'teaming-mac-mismatch': 'off' } };
    await session.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await session.waitFor('workspace/diagnostic/refresh', (m) => m.method === 'workspace/diagnostic/refresh', since);
    const report = await pull(uri);
    const items = report.kind === 'full' ? report.items : [];
    assert.ok(!codes(items).includes('teaming-mac-mismatch'), codes(items).join());
    assert.ok(codes(items).includes('alias-dropped'), codes(items).join());
  });

  it('shutdown and exit: exit code 0, stdout carried only protocol frames, no errors logged', async () => {
    await shutdownCleanly(session);
  });
});

describe('LSP server over stdio: a client without workspace/configuration', () => {
  let session: LspSession;
  before(async () => {
    session = LspSession.start();
    await session.initialize({ textDocument: { publishDiagnostics: { relatedInformation: true } } });
  });
  after(() => session.kill());

  it('settings pushed in workspace/didChangeConfiguration apply', async () => {
    const uri = uriOf('broken.xml');
    await open(session, uri, BROKEN);
    assert.ok(codes(await session.diagnostics(uri, 1)).includes('teaming-mac-mismatch'));
    let since = session.received.length;
    await session.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { migratable: { enable: true, rules: { 'teaming-mac-mismatch': 'off', 'alias-dropped': 'hint' } } },
    });
    const after = await session.diagnostics(uri, 1, since);
    assert.ok(!codes(after).includes('teaming-mac-mismatch'), codes(after).join());
    assert.equal(after.find((d) => d.code === 'alias-dropped')?.severity, 4);
    since = session.received.length;
    await session.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { migratable: { enable: false } },
    });
    assert.deepEqual(await session.diagnostics(uri, 1, since), []);
    assert.ok(!session.received.some((m) => m.method === 'workspace/configuration'));
  });

  it('shutdown and exit: exit code 0, stdout carried only protocol frames, no errors logged', async () => {
    await shutdownCleanly(session);
  });
});

describe('LSP client helper', () => {
  it('protocolFrames rejects stray output between frames', () => {
    const frame = (s: string) => `Content-Length: ${Buffer.byteLength(s)}\r\n\r\n${s}`;
    const ok = frame('{"jsonrpc":"2.0","id":1,"result":null}') + frame('{"jsonrpc":"2.0","method":"x","params":{"é":1}}');
    assert.equal(protocolFrames(Buffer.from(ok)).length, 2);
    assert.throws(() => protocolFrames(Buffer.from(ok + 'hello\n')), /bytes after the last frame/);
    assert.throws(() => protocolFrames(Buffer.from('debug: starting\r\n\r\n' + ok)), /not an LSP header/);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { Requests, type FixAllResponse, type Readiness, type RewriteResponse } from '../../server/src/protocol';
import { diagnose } from '../helpers/diagnose';
import { LspSession } from '../helpers/lsp-client';
import { CLI_BUNDLE, EXAMPLES } from '../helpers/paths';

const BROKEN = readFileSync(join(EXAMPLES, 'broken.xml'), 'utf8');
const TEAMING = readFileSync(join(EXAMPLES, 'teaming.xml'), 'utf8');
const PROFILE = readFileSync(join(EXAMPLES, 'host-b.migration.json'), 'utf8');
const brokenUri = pathToFileURL(join(EXAMPLES, 'broken.xml')).href;
const teamingUri = pathToFileURL(join(EXAMPLES, 'teaming.xml')).href;

function apply(text: string, edits: { range: any; newText: string }[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.xml', 'xml', 1, text), edits);
}

describe('LSP server over stdio: code actions, fix all, readiness, destination', () => {
  let lsp: LspSession;
  let diagnostics: Diagnostic[];

  before(async () => {
    lsp = LspSession.start();
    const init = await lsp.initialize({ workspace: { configuration: true }, textDocument: { diagnostic: {} } });
    assert.deepEqual((init.capabilities.codeActionProvider as any).codeActionKinds, ['quickfix', 'source.fixAll.migratable']);
    for (const [uri, text] of [
      [brokenUri, BROKEN],
      [teamingUri, TEAMING],
    ]) {
      await lsp.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'xml', version: 1, text },
      });
    }
    const report = (await lsp.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: brokenUri } })) as {
      items: Diagnostic[];
    };
    diagnostics = report.items;
  });
  after(() => lsp.kill());

  it('textDocument/codeAction offers the quick fixes of a diagnostic, found by its code', async () => {
    const mismatch = diagnostics.find((d) => d.code === 'teaming-mac-mismatch')!;
    const actions = (await lsp.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: brokenUri },
      range: mismatch.range,
      context: { diagnostics: [mismatch], only: ['quickfix'] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => a.kind),
      actions.map(() => 'quickfix'),
    );
    const useStandby = actions.find((a) => /^Use the standby's MAC .* on the VF$/.test(a.title));
    assert.ok(useStandby, `titles: ${actions.map((a) => a.title).join(' | ')}`);
    const fixed = apply(BROKEN, useStandby!.edit!.changes![brokenUri]);
    assert.equal(fixed, BROKEN.replace("<mac address='52:54:00:6d:90:03'/>", "<mac address='52:54:00:6d:90:02'/>"));
    assert.ok(!diagnose(fixed).some((d) => d.code === 'teaming-mac-mismatch'));
  });

  it("context.only 'source.fixAll.migratable' answers the fix-all action alone, which fixes the domain", async () => {
    const actions = (await lsp.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: brokenUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.migratable'] },
    })) as CodeAction[];
    assert.deepEqual(
      actions.map((a) => [a.kind, a.title]),
      [['source.fixAll.migratable', 'Make Domain Migratable']],
    );
    const fixed = apply(BROKEN, actions[0].edit!.changes![brokenUri]);
    assert.deepEqual(
      diagnose(fixed)
        .filter((d) => d.severity === 1)
        .map((d) => d.code),
      [],
    );
  });

  it('migratable/fixAll returns version-pinned edits, a summary, and what is left; the result has no error', async () => {
    const r = (await lsp.connection.sendRequest(Requests.fixAll, { uri: brokenUri })) as FixAllResponse;
    assert.equal(r.version, 1);
    assert.equal(r.summary.length, 2, r.summary.join('\n'));
    const fixed = apply(BROKEN, r.edits);
    assert.deepEqual(
      diagnose(fixed)
        .filter((d) => d.severity === 1 || String(d.code).startsWith('migration-'))
        .map((d) => d.code),
      [],
    );
    const again = (await lsp.connection.sendRequest(Requests.fixAll, { uri: teamingUri })) as FixAllResponse;
    assert.deepEqual([again.edits, again.summary], [[], []], 'a correct domain has nothing to fix');
  });

  it('migratable/readiness counts blockers and lists the pairs', async () => {
    const broken = (await lsp.connection.sendRequest(Requests.readiness, { uri: brokenUri })) as Readiness;
    const ok = (await lsp.connection.sendRequest(Requests.readiness, { uri: teamingUri })) as Readiness;
    assert.equal(broken.isDomain, true);
    assert.deepEqual(broken.blockers.map((b) => b.code).sort(), [
      'alias-dropped',
      'teaming-dangling',
      'teaming-mac-mismatch',
      'teaming-not-pcie',
    ]);
    assert.deepEqual(ok.blockers, []);
    assert.deepEqual(
      ok.pairs.map((p) => [p.alias, p.standbyMac, p.vfMac, p.vf]),
      [['ua-backup0', '52:54:00:6d:90:02', '52:54:00:6d:90:02', 'host PCI 0000:3b:02.0']],
    );
    assert.deepEqual(ok.domainRange?.start, { line: 2, character: 0 });
  });

  it('migratable/rewrite gives the same destination XML as `migratable rewrite`', async () => {
    const r = (await lsp.connection.sendRequest(Requests.rewrite, { uri: teamingUri, profileText: PROFILE })) as RewriteResponse;
    const cli = execFileSync(
      process.execPath,
      [CLI_BUNDLE, 'rewrite', join(EXAMPLES, 'teaming.xml'), '--dest', join(EXAMPLES, 'host-b.migration.json')],
      { encoding: 'utf8' },
    );
    assert.equal(r.text, cli);
    assert.equal(r.ok, true);
    assert.deepEqual([r.profileName, r.destinationUri, r.domainName], ['host-b', 'qemu+ssh://host-b/system', 'web1']);
    assert.ok(
      r.changes.some((c) => c.before.includes('3b') && c.after.includes('5e')),
      JSON.stringify(r.changes),
    );
  });

  it('migratable/rewrite places profile problems in the profile text', async () => {
    const typo = PROFILE.replace('"networks"', '"netwroks"');
    const r = (await lsp.connection.sendRequest(Requests.rewrite, { uri: teamingUri, profileText: typo })) as RewriteResponse;
    const p = r.problems.find((x) => x.profileSpan && typo.slice(x.profileSpan.start, x.profileSpan.end).includes('netwroks'));
    assert.ok(p, JSON.stringify(r.problems));
  });

  it('migratable/generateMac and migratable/teamingPairSnippet answer fresh values', async () => {
    const mac = (await lsp.connection.sendRequest(Requests.generateMac, { uri: teamingUri })) as string;
    assert.match(mac, /^52:54:00(:[0-9a-f]{2}){3}$/);
    assert.ok(!TEAMING.includes(mac));
    const snippet = (await lsp.connection.sendRequest(Requests.teamingPairSnippet, {
      uri: teamingUri,
      position: { line: 40, character: 4 },
    })) as string;
    assert.match(snippet, /<teaming type='persistent'\/>/);
    assert.match(snippet, /<teaming type='transient' persistent='ua-[\w-]+'\/>/);
  });

  it('completion, hover, definition, references, symbols and folding answer over the wire', async () => {
    const lines = TEAMING.split('\n');
    const line = lines.findIndex((l) => l.includes("persistent='ua-backup0'"));
    const character = lines[line].indexOf("persistent='") + "persistent='".length;
    const completion = (await lsp.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: teamingUri },
      position: { line, character },
    })) as { items: { label: string }[] } | { label: string }[];
    const items = Array.isArray(completion) ? completion : completion.items;
    assert.ok(
      items.some((i) => i.label === 'ua-backup0'),
      JSON.stringify(items.map((i) => i.label)),
    );

    const hover = (await lsp.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: teamingUri },
      position: { line, character: character + 2 },
    })) as { contents: unknown } | null;
    assert.ok(hover && JSON.stringify(hover.contents).length > 20, JSON.stringify(hover));

    const definition = (await lsp.connection.sendRequest('textDocument/definition', {
      textDocument: { uri: teamingUri },
      position: { line, character: character + 2 },
    })) as { range: { start: { line: number } } }[];
    const aliasLine = lines.findIndex((l) => l.includes("<alias name='ua-backup0'/>"));
    assert.deepEqual(
      definition.map((d) => d.range.start.line),
      [aliasLine],
    );

    const references = (await lsp.connection.sendRequest('textDocument/references', {
      textDocument: { uri: teamingUri },
      position: { line: aliasLine, character: lines[aliasLine].indexOf('ua-backup0') + 1 },
      context: { includeDeclaration: true },
    })) as { range: { start: { line: number } } }[];
    assert.deepEqual(
      references.map((r) => r.range.start.line).sort((a, b) => a - b),
      [aliasLine, line],
    );

    const symbols = (await lsp.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: teamingUri },
    })) as unknown[];
    assert.match(JSON.stringify(symbols), /ua-backup0/);
    const folding = (await lsp.connection.sendRequest('textDocument/foldingRange', {
      textDocument: { uri: teamingUri },
    })) as unknown[];
    assert.ok(folding.length >= 5, `${folding.length} folding ranges`);
  });

  it('shutdown and exit cleanly, no errors logged', async () => {
    const { code } = await lsp.shutdown();
    assert.equal(code, 0);
    assert.deepEqual(lsp.errorsLogged(), []);
  });
});

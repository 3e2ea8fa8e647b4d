import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';
import { LspSession } from '../helpers/lsp-client';
import { ROOT, SERVER_BUNDLE } from '../helpers/paths';

/**
 * Issue 12, items 6 and 10 over the real server: settings that would write invalid XML are refused with one
 * message (and fixes go on with the defaults), and null, missing or mistyped params answer InvalidParams (-32602).
 */

const VF_ONLY = readFileSync(join(ROOT, 'test', 'fixes', 'migration-hostdev-vf-partner.xml'), 'utf8');
const URI = 'file:///robust/vf.xml';

/** JSON-RPC over the server's stdio, frame by frame: a client library will not send `params: null`. */
class RawClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private readonly waiting = new Map<number, (m: any) => void>();
  private id = 0;

  constructor() {
    this.child = spawn(process.execPath, [SERVER_BUNDLE, '--stdio']);
    this.child.stdout.on('data', (b: Buffer) => this.receive(b));
  }

  /** Sends a request; `params` 'absent' leaves the member out. Resolves with the whole response. */
  request(method: string, params: unknown): Promise<any> {
    const id = ++this.id;
    const message: Record<string, unknown> = { jsonrpc: '2.0', id, method };
    if (params !== 'absent') message.params = params;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${method} within 10 s`)), 10_000);
      this.waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      this.send(message);
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  kill(): void {
    this.child.kill();
  }

  private send(message: unknown): void {
    const body = JSON.stringify(message);
    this.child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, end).toString())![1]);
      if (this.buffer.length < end + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 4 + length);
      if (message.method && message.id !== undefined) this.send({ jsonrpc: '2.0', id: message.id, result: [null] });
      else this.waiting.get(message.id)?.(message);
    }
  }
}

describe('null, missing or mistyped params answer InvalidParams, not an internal error', () => {
  let client: RawClient;
  before(async () => {
    client = new RawClient();
    await client.request('initialize', { processId: null, rootUri: null, capabilities: {} });
    client.notify('initialized', {});
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'xml', version: 1, text: VF_ONLY } });
  });
  after(() => client.kill());

  const doc = { textDocument: { uri: URI } };
  const at = { ...doc, position: { line: 0, character: 0 } };
  const REQUESTS: [string, Record<string, unknown>][] = [
    ['textDocument/hover', at],
    ['textDocument/completion', at],
    ['textDocument/definition', at],
    ['textDocument/references', { ...at, context: { includeDeclaration: true } }],
    ['textDocument/documentSymbol', doc],
    ['textDocument/foldingRange', doc],
    ['textDocument/codeAction', { ...doc, range: { start: at.position, end: at.position }, context: { diagnostics: [] } }],
    ['textDocument/diagnostic', doc],
    ['migratable/readiness', { uri: URI }],
    ['migratable/rewrite', { uri: URI, profileText: '{}' }],
    ['migratable/profileTemplate', { uri: URI, name: 'host-b' }],
    ['migratable/fixAll', { uri: URI }],
    ['migratable/generateMac', { uri: URI }],
    ['migratable/teamingPairSnippet', { uri: URI, position: { line: 0, character: 0 } }],
  ];

  for (const [method, good] of REQUESTS) {
    it(method, async () => {
      // each member left out in turn, then mistyped; then null, absent and an empty object as the whole params
      const broken: unknown[] = [null, 'absent', {}, []];
      for (const key of Object.keys(good)) {
        const { [key]: _left, ...rest } = good;
        broken.push(rest, { ...good, [key]: 42 });
      }
      if ('position' in good) broken.push({ ...good, position: { line: -1, character: 0 } });
      for (const params of broken) {
        const r = await client.request(method, params);
        assert.equal(r.error?.code, -32602, `${method} ${JSON.stringify(params)} → ${JSON.stringify(r.error ?? r.result)}`);
      }
      const ok = await client.request(method, good);
      assert.equal(ok.error, undefined, JSON.stringify(ok.error));
    });
  }
});

describe('host requests check their params before anything runs', () => {
  let client: RawClient;
  before(async () => {
    client = new RawClient();
    await client.request('initialize', { processId: null, rootUri: null, capabilities: {} });
    client.notify('initialized', {});
  });
  after(() => client.kill());

  const REQUESTS: [string, Record<string, unknown>][] = [
    ['migratable/hosts/domains', { host: 'a' }],
    ['migratable/hosts/networks', { host: 'a' }],
    ['migratable/hosts/sriov', { host: 'a' }],
    ['migratable/hosts/readDomain', { host: 'a', domain: 'web1' }],
    ['migratable/hosts/checkDefinition', { host: 'a', domain: 'web1', xml: '<domain/>' }],
    ['migratable/hosts/defineDomain', { host: 'a', domain: 'web1', xml: '<domain/>' }],
    ['migratable/hosts/undefineDomain', { host: 'a', domain: 'web1' }],
    ['migratable/hosts/profile', { host: 'a', domain: 'web1', dest: 'b' }],
    ['migratable/preflight', { host: 'a', domain: 'web1', dest: 'b' }],
    ['migratable/migrate', { id: 'm1', host: 'a', domain: 'web1', dest: 'b', unplugTimeoutSeconds: 30 }],
  ];
  for (const [method, good] of REQUESTS) {
    it(method, async () => {
      const broken: unknown[] = [null, 'absent', []];
      for (const key of Object.keys(good)) {
        const { [key]: _left, ...rest } = good;
        if (method.endsWith('/checkDefinition') && key === 'domain') continue; // not read
        broken.push(rest, { ...good, [key]: {} });
      }
      for (const params of broken) {
        const r = await client.request(method, params);
        assert.equal(r.error?.code, -32602, `${method} ${JSON.stringify(params)} → ${JSON.stringify(r.error ?? r.result)}`);
      }
      // well-formed: no host is configured (as in an untrusted workspace), so it fails as a request, saying why
      const ok = await client.request(method, good);
      if (method.endsWith('/checkDefinition')) assert.equal(ok.error, undefined, JSON.stringify(ok.error));
      else {
        assert.equal(ok.error?.code, -32803, JSON.stringify(ok.error));
        assert.match(String(ok.error?.message), /host features are off/);
      }
    });
  }
});

describe('settings that would write invalid XML', () => {
  let lsp: LspSession;
  before(async () => {
    lsp = LspSession.start();
    lsp.settings = { enable: true, rules: {}, standbyNetwork: 'a\u0000b', standbyBridge: 5, vfPoolNetwork: 'pool\u001b' };
    await lsp.initialize({ workspace: { configuration: true }, textDocument: { diagnostic: {} } });
    await lsp.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: URI, languageId: 'xml', version: 1, text: VF_ONLY },
    });
  });
  after(() => lsp.kill());

  it('are refused with one warning each, and the fixes use the defaults', async () => {
    const report = (await lsp.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } })) as {
      items: Diagnostic[];
    };
    const vf = report.items.find((d) => d.code === 'migration-hostdev')!;
    const ask = () =>
      lsp.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: URI },
        range: vf.range,
        context: { diagnostics: [vf] },
      }) as Promise<CodeAction[]>;
    const actions = await ask();
    await ask();
    const partner = actions.find((a) => a.title === 'Add a virtio failover partner');
    assert.ok(partner, actions.map((a) => a.title).join(' | '));
    const inserted = partner.edit!.changes![URI].map((e) => e.newText).join('');
    assert.match(inserted, /<source network='default'\/>/);
    assert.ok(!/[\u0000\u001b]/.test(inserted));
    const pool = actions.find((a) => a.title.startsWith('Use the VF pool network'))!;
    assert.match(pool.title, /'sriov-pool'/);
    const warnings = lsp.received
      .filter((m) => m.method === 'window/showMessage' && m.params.type === 2)
      .map((m) => m.params.message);
    assert.deepEqual(warnings, [
      "migratable.standbyNetwork: 'a\\u0000b' holds the character U+0000, which XML cannot hold; using 'default' instead",
      'migratable.standbyBridge: it must be a bridge name, or empty for none, not a number; using none instead',
      "migratable.vfPoolNetwork: 'pool\\u001b' holds the character U+001B, which XML cannot hold; using 'sriov-pool' instead",
    ]);
  });
});

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import type { ClientCapabilities, InitializeResult } from 'vscode-languageserver-protocol';
import { ROOT, SERVER_BUNDLE } from './paths';

/** A notification or request the server sent to the client. */
export interface Received {
  kind: 'notification' | 'request';
  method: string;
  params: any;
}

interface Waiter {
  since: number;
  test: (m: Received) => boolean;
  resolve: (m: Received) => void;
}

/**
 * The real bundled server over stdio, with a client that records everything the server sends and answers its
 * requests. Tests wait on messages with deadlines, never on sleeps.
 */
export class LspSession {
  readonly connection: MessageConnection;
  readonly received: Received[] = [];
  /** What the client answers to workspace/configuration (one copy per requested item). */
  settings: unknown = { enable: true, rules: {} };
  /** Called on each workspace/configuration request before it is answered. */
  onConfiguration: (() => void) | undefined;
  private readonly waiters: Waiter[] = [];
  private readonly stdout: Buffer[] = [];
  private readonly stderr: Buffer[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (b: Buffer) => this.stdout.push(b));
    child.stderr.on('data', (b: Buffer) => this.stderr.push(b));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onNotification((method: string, params: unknown) => this.record({ kind: 'notification', method, params }));
    this.connection.onRequest((method: string, params: any) => {
      this.record({ kind: 'request', method, params });
      if (method === 'workspace/configuration') {
        this.onConfiguration?.();
        return (params.items as unknown[]).map(() => this.settings);
      }
      return null;
    });
    this.connection.listen();
  }

  static start(): LspSession {
    if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} is missing: run \`npm run build\` first`);
    warnIfStale();
    return new LspSession(spawn(process.execPath, [SERVER_BUNDLE, '--stdio'], { stdio: 'pipe' }));
  }

  async initialize(capabilities: ClientCapabilities): Promise<InitializeResult> {
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      workspaceFolders: null,
    })) as InitializeResult;
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves with the first message at index >= since that passes `test`; rejects after `ms`. */
  waitFor(what: string, test: (m: Received) => boolean, since = 0, ms = 10_000): Promise<Received> {
    const hit = this.received.slice(since).find(test);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        since,
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `no ${what} within ${ms} ms; received: ${this.received.map((m) => m.method).join(', ')}; stderr: ${this.stderrText()}`,
          ),
        );
      }, ms);
      this.waiters.push(waiter);
    });
  }

  /** The diagnostics the server published for `uri` at `version`, or later versions. */
  async diagnostics(uri: string, version: number, since = 0): Promise<any[]> {
    const m = await this.waitFor(
      `publishDiagnostics for ${uri} v${version}`,
      (x) => x.method === 'textDocument/publishDiagnostics' && x.params.uri === uri && (x.params.version ?? version) >= version,
      since,
    );
    return m.params.diagnostics;
  }

  errorsLogged(): string[] {
    return this.received.filter((m) => m.method === 'window/logMessage' && m.params.type === 1).map((m) => m.params.message);
  }

  stderrText(): string {
    return Buffer.concat(this.stderr).toString('utf8');
  }

  /** shutdown + exit; resolves with the exit code and everything the server wrote to stdout. */
  async shutdown(): Promise<{ code: number | null; stdout: Buffer }> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await Promise.race([this.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000).unref())]);
    if (code === 'timeout') {
      this.child.kill();
      throw new Error('the server did not exit within 5 s of exit');
    }
    this.connection.dispose();
    return { code, stdout: Buffer.concat(this.stdout) };
  }

  /** For after() hooks: ends the server if a test left it running. */
  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
    this.connection.dispose();
  }

  private record(m: Received): void {
    const index = this.received.push(m) - 1;
    for (const w of [...this.waiters]) {
      if (index >= w.since && w.test(m)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  }
}

/**
 * Splits a stdout capture into LSP frames (`Content-Length: N\r\n\r\n` + N bytes of JSON-RPC) and throws on
 * anything else: a stray console.log in the server corrupts the protocol channel.
 */
export function protocolFrames(stdout: Buffer): unknown[] {
  const frames: unknown[] = [];
  let pos = 0;
  while (pos < stdout.length) {
    const headerEnd = stdout.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0)
      throw new Error(`bytes after the last frame at ${pos}: ${JSON.stringify(stdout.subarray(pos, pos + 80).toString())}`);
    const headers = stdout.subarray(pos, headerEnd).toString('ascii').split('\r\n');
    let length = -1;
    for (const h of headers) {
      const m = /^Content-Length: (\d+)$/i.exec(h);
      if (m) length = Number(m[1]);
      else if (!/^Content-Type: /i.test(h)) throw new Error(`not an LSP header at ${pos}: ${JSON.stringify(h.slice(0, 80))}`);
    }
    if (length < 0) throw new Error(`frame at ${pos} has no Content-Length`);
    const body = stdout.subarray(headerEnd + 4, headerEnd + 4 + length);
    if (body.length !== length) throw new Error(`frame at ${pos} is cut short`);
    const message = JSON.parse(body.toString('utf8'));
    if (message.jsonrpc !== '2.0') throw new Error(`frame at ${pos} is not JSON-RPC 2.0`);
    frames.push(message);
    pos = headerEnd + 4 + length;
  }
  return frames;
}

/** The tests run the bundle: say so when server/src is newer than it (`npm test` rebuilds first). */
function warnIfStale(): void {
  const built = statSync(SERVER_BUNDLE).mtimeMs;
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce(
      (t, e) => Math.max(t, e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs),
      0,
    );
  if (newest(join(ROOT, 'server', 'src')) > built)
    console.log(`note: ${SERVER_BUNDLE} is older than server/src: run \`npm run build\` to test the current code`);
}

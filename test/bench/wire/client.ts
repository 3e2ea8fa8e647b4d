import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import type { DocumentDiagnosticReport, InitializeResult, Position, Range } from 'vscode-languageserver-protocol';
import { DEFAULT_SETTINGS, SERVER_EXEC_ARGV } from '../../../server/src/protocol';
import { SERVER_BUNDLE } from '../../helpers/paths';
import { vscodeClientCapabilities } from './capabilities';

/** Where VS Code passes the rules page from (an installed extension's folder): its length is the wire's. */
const RULES_DOC = 'file:///home/user/.vscode/extensions/migratable-domains.migratable-domains-0.1.0/docs/rules.md';

/**
 * The real bundled language server over stdio, driven as VS Code drives it: VS Code's client capabilities, the
 * Node flags the extension starts the server with, incremental didChange, then a pull with the previous resultId.
 * Every measured interval runs from the first byte sent to the last answer parsed, as the editor sees it.
 */
export class WireClient {
  readonly connection: MessageConnection;
  /** Bytes of every frame the server sent (headers included), for the answer sizes. */
  bytesReceived = 0;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly stderr: Buffer[] = [];
  private version = 1;
  private resultId: string | undefined;

  /** `nodeFlags` go after the extension's own (e.g. --cpu-prof: MIGRATABLE_BENCH_SERVER_FLAGS). */
  constructor(
    nodeFlags: string[] = [],
    readonly uri = 'file:///home/user/vms/bench.xml',
  ) {
    // another build to measure, e.g. a copy of the previous commit's for before/after figures
    const bundle = process.env.MIGRATABLE_BENCH_SERVER_BUNDLE || SERVER_BUNDLE;
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: npm run build`);
    const argv = [...SERVER_EXEC_ARGV, ...nodeFlags, bundle, '--stdio'];
    this.child = spawn(process.execPath, argv, { stdio: 'pipe' });
    this.child.stdout.on('data', (b: Buffer) => (this.bytesReceived += b.length));
    this.child.stderr.on('data', (b: Buffer) => this.stderr.push(b));
    this.connection = createMessageConnection(
      new StreamMessageReader(this.child.stdout),
      new StreamMessageWriter(this.child.stdin),
    );
    this.connection.onRequest((method: string, params: any) => {
      if (method === 'workspace/configuration') return (params.items as unknown[]).map(() => DEFAULT_SETTINGS);
      return null; // client/registerCapability, window/workDoneProgress/create, workspace/diagnostic/refresh
    });
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  async initialize(): Promise<InitializeResult> {
    const result = (await this.connection.sendRequest('initialize', {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: '1.100.0' },
      rootUri: 'file:///home/user/vms',
      capabilities: vscodeClientCapabilities(),
      initializationOptions: { rulesDoc: RULES_DOC },
      workspaceFolders: [{ uri: 'file:///home/user/vms', name: 'vms' }],
    })) as InitializeResult;
    if (!result.capabilities.diagnosticProvider) throw new Error('the server offers no pull diagnostics to VS Code');
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  async open(text: string): Promise<void> {
    this.version = 1;
    this.resultId = undefined;
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: this.uri, languageId: 'xml', version: this.version, text },
    });
  }

  /** didChange with one incremental edit, sent without waiting, as VS Code sends keystrokes. */
  change(range: Range, text: string): void {
    void this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: this.uri, version: ++this.version },
      contentChanges: [{ range, text }],
    });
  }

  /** A diagnostic pull with the previous answer's resultId, as vscode-languageclient sends it after a change. */
  async pull(): Promise<DocumentDiagnosticReport> {
    const report = (await this.connection.sendRequest('textDocument/diagnostic', {
      textDocument: { uri: this.uri },
      previousResultId: this.resultId,
    })) as DocumentDiagnosticReport;
    this.resultId = report.resultId;
    return report;
  }

  completion(position: Position): Promise<any> {
    return this.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: this.uri },
      position,
      context: { triggerKind: 1 },
    });
  }

  hover(position: Position): Promise<any> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri: this.uri }, position });
  }

  /**
   * CPU time the server process has used, in ms (Linux /proc; undefined elsewhere). Unlike wall-clock round trips it
   * hardly grows with the load of a shared machine, so it tells a change's effect apart from the neighbours' builds.
   */
  cpuMs(): number | undefined {
    try {
      // fields after the parenthesised command name: utime and stime are the 12th and 13th, in clock ticks (100 Hz)
      const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8')
        .replace(/^.*\) /s, '')
        .split(' ');
      return (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      return undefined;
    }
  }

  /** The server's resident memory now and at its peak, in MB (Linux /proc; undefined elsewhere). */
  memoryMb(): { rss: number; peak: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
      return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
    } catch {
      return undefined;
    }
  }

  stderrText(): string {
    return Buffer.concat(this.stderr).toString('utf8');
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const timer = setTimeout(() => this.child.kill(), 5000);
    await exited;
    clearTimeout(timer);
    this.connection.dispose();
  }
}

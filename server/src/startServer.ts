import {
  CodeActionKind,
  DocumentDiagnosticReportKind,
  DocumentDiagnosticRequest,
  LSPErrorCodes,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type DocumentDiagnosticReport,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { runSafe, type ServerContext } from './handlers/context';
import { documentUri } from './handlers/params';
import { registerDestinationHandlers } from './handlers/destination';
import { registerFixHandlers } from './handlers/fixes';
import { registerHostHandlers } from './handlers/hosts';
import { registerMigrationHandlers } from './handlers/migration';
import { registerLanguageHandlers } from './handlers/language';
import { registerReadinessHandlers } from './handlers/readiness';
import { CONFIG_SECTION, DEFAULT_SETTINGS, DOMAIN_SCHEME, type InitializationOptions, type MigratableSettings } from './protocol';
import { COMPLETION_TRIGGERS, FIX_ALL_KIND, ParsedCache, preload, validate, type HostContext } from './service';
import { HostRegistry } from './virsh';

/** How long to wait after the last keystroke before pushing diagnostics (pull clients pace themselves). */
const PUSH_DEBOUNCE_MS = 150;

/** The last full report pulled for a document: a pull whose findings are the same answers `unchanged`. */
interface LastReport {
  resultId: string;
  items: Diagnostic[];
}

/** Deep equality of JSON data (diagnostics): no allocation, so comparing is far cheaper than sending. */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
  let keys = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    keys++;
    if (!sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) keys--;
  return keys === 0;
}

/** LSP glue only: every answer comes from the language service in ./service. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new ParsedCache();
  const settingsCache = new Map<string, Promise<MigratableSettings>>();
  const timers = new Map<string, NodeJS.Timeout>();
  const reports = new Map<string, LastReport>();
  let resultIds = 0;
  let pullDiagnostics = false;
  let configurationPull = false;
  /** Settings pushed in workspace/didChangeConfiguration, for clients that cannot answer workspace/configuration. */
  let pushedSettings: MigratableSettings = DEFAULT_SETTINGS;
  let rulesDoc: string | undefined;
  let snippetSupport = false;
  const hosts = new HostRegistry();

  /** The host a document is judged for: the host a libvirt-domain: document comes from, else the workspace's target. */
  function hostFor(uri: string, settings: MigratableSettings): HostContext | undefined {
    const own = uri.startsWith(`${DOMAIN_SCHEME}://`)
      ? decodeURIComponent(uri.slice(DOMAIN_SCHEME.length + 3).split('/')[0])
      : undefined;
    const name = own ?? (typeof settings.targetHost === 'string' ? settings.targetHost : '');
    return name ? hosts.context(name) : undefined;
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    pullDiagnostics = !!caps.textDocument?.diagnostic;
    configurationPull = !!caps.workspace?.configuration;
    rulesDoc = (params.initializationOptions as InitializationOptions | undefined)?.rulesDoc;
    snippetSupport = !!caps.textDocument?.completion?.completionItem?.snippetSupport;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        diagnosticProvider: pullDiagnostics ? { interFileDependencies: false, workspaceDiagnostics: false } : undefined,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        completionProvider: { triggerCharacters: COMPLETION_TRIGGERS },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        foldingRangeProvider: true,
      },
      serverInfo: { name: 'migratable-language-server' },
    };
  });

  function settingsFor(uri: string): Promise<MigratableSettings> {
    if (!configurationPull) return Promise.resolve(pushedSettings);
    let s = settingsCache.get(uri);
    if (!s) {
      s = connection.workspace.getConfiguration({ scopeUri: uri, section: CONFIG_SECTION }).then(
        (c: Partial<MigratableSettings> | null) => ({ ...DEFAULT_SETTINGS, ...(c ?? {}) }),
        () => DEFAULT_SETTINGS,
      );
      settingsCache.set(uri, s);
    }
    return s;
  }

  async function diagnose(document: TextDocument, token?: CancellationToken): Promise<Diagnostic[]> {
    const settings = await settingsFor(document.uri);
    return runSafe(
      connection,
      () => validate(document, cache.get(document), { ...settings, rulesDoc, host: hostFor(document.uri, settings) }, token),
      [],
      `validating ${document.uri}`,
    );
  }

  function schedulePush(document: TextDocument): void {
    clearTimeout(timers.get(document.uri));
    timers.set(
      document.uri,
      setTimeout(async () => {
        timers.delete(document.uri);
        const current = documents.get(document.uri);
        if (!current) return;
        const diagnostics = await diagnose(current);
        if (documents.get(document.uri)?.version !== current.version) return; // a newer version is on its way
        void connection.sendDiagnostics({ uri: current.uri, version: current.version, diagnostics });
      }, PUSH_DEBOUNCE_MS),
    );
  }

  // by request type: the diagnostics.on wrapper reads params before they can be checked (see handlers/params.ts)
  connection.onRequest(DocumentDiagnosticRequest.type, async (params, token): Promise<DocumentDiagnosticReport> => {
    const uri = documentUri(params);
    const document = documents.get(uri);
    const items = document ? await diagnose(document, token) : [];
    // validate() stops early when cancelled: those items are partial and must not pass for a full report
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (!document) return { kind: DocumentDiagnosticReportKind.Full, items };
    // most keystrokes change no finding: then the client keeps what it shows, and nothing is sent or converted
    const last = reports.get(uri);
    if (last && params.previousResultId === last.resultId && sameJson(items, last.items))
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
    const resultId = String(++resultIds);
    reports.set(uri, { resultId, items });
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  });

  const context: ServerContext = { connection, documents, cache, settingsFor, diagnose, hosts, hostFor };
  const refreshAll = () => {
    if (pullDiagnostics) connection.languages.diagnostics.refresh();
    else for (const d of documents.all()) schedulePush(d);
  };
  // verdicts depend on host facts: when new ones arrive (or the hosts change), documents are judged again
  hosts.onFacts(refreshAll);
  registerHostHandlers(context, refreshAll);
  registerMigrationHandlers(context);
  registerReadinessHandlers(context);
  registerFixHandlers(context);
  registerDestinationHandlers(context);
  registerLanguageHandlers(context, () => snippetSupport);
  // load the vocabulary now rather than on the first keystroke
  connection.onInitialized(() => {
    runSafe(connection, preload, undefined, 'loading the vocabulary');
  });

  documents.onDidChangeContent((e) => {
    if (!pullDiagnostics) schedulePush(e.document);
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    cache.delete(e.document.uri);
    reports.delete(e.document.uri);
    settingsCache.delete(e.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onDidChangeConfiguration((change) => {
    const pushed = (change.settings as Record<string, Partial<MigratableSettings> | undefined> | null)?.[CONFIG_SECTION];
    pushedSettings = { ...DEFAULT_SETTINGS, ...(pushed ?? {}) };
    settingsCache.clear();
    if (pullDiagnostics) connection.languages.diagnostics.refresh();
    else for (const d of documents.all()) schedulePush(d);
  });

  documents.listen(connection);
}

import type { CancellationToken, Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { MigratableSettings } from '../protocol';
import type { HostContext, ParsedCache } from '../service';
import type { HostRegistry } from '../virsh';

/** What every group of LSP handlers shares: the open documents, their parses, settings and diagnostics. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  cache: ParsedCache;
  settingsFor(uri: string): Promise<MigratableSettings>;
  diagnose(document: TextDocument, token?: CancellationToken): Promise<Diagnostic[]>;
  /** The configured hosts (empty and off in an untrusted workspace). */
  hosts: HostRegistry;
  /** The host a document is judged for, when its facts are known. */
  hostFor(uri: string, settings: MigratableSettings): HostContext | undefined;
}

/** Runs a handler so that a bug logs and answers `fallback` instead of killing the server. */
export function runSafe<T>(connection: Connection, fn: () => T, fallback: T, what: string): T {
  try {
    return fn();
  } catch (err) {
    connection.console.error(`error while ${what}: ${(err as Error).stack ?? err}`);
    return fallback;
  }
}

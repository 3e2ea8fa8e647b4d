import {
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  ReferencesRequest,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  getCompletions,
  getDefinition,
  getDocumentSymbols,
  getFoldingRanges,
  getHover,
  getReferences,
  type Parsed,
} from '../service';
import { runSafe, type ServerContext } from './context';
import { documentUri, param, position } from './params';

/**
 * Completion, hover and navigation: each a direct call into the language service. Registered by request type,
 * not through onHover & co., whose wrappers read `params.workDoneToken` before any handler could check that
 * params is not null (a TypeError, answered -32603).
 */
export function registerLanguageHandlers({ connection, documents, cache }: ServerContext, snippetSupport: () => boolean): void {
  /** Params are checked first (an InvalidParams error is the client's to see); then the service answers. */
  function withDocument<T>(params: unknown, fallback: T, what: string, fn: (document: TextDocument, parsed: Parsed) => T): T {
    const uri = documentUri(params);
    const document = documents.get(uri);
    if (!document) return fallback;
    return runSafe(connection, () => fn(document, cache.get(document)), fallback, `${what} in ${uri}`);
  }

  connection.onRequest(CompletionRequest.type, (p) => {
    const at = position(p);
    return withDocument(p, null, 'completion', (d, parsed) => getCompletions(d, parsed, at, { snippets: snippetSupport() }));
  });
  connection.onRequest(HoverRequest.type, (p) => {
    const at = position(p);
    return withDocument(p, null, 'hover', (d, parsed) => getHover(d, parsed, at));
  });
  connection.onRequest(DefinitionRequest.type, (p) => {
    const at = position(p);
    return withDocument(p, [], 'definition', (d, parsed) => getDefinition(d, parsed, at));
  });
  connection.onRequest(ReferencesRequest.type, (p) => {
    const at = position(p);
    const declaration = param<boolean>(p, 'context.includeDeclaration', 'boolean');
    return withDocument(p, [], 'references', (d, parsed) => getReferences(d, parsed, at, declaration));
  });
  connection.onRequest(DocumentSymbolRequest.type, (p) =>
    withDocument(p, [], 'document symbols', (d, parsed) => getDocumentSymbols(d, parsed)),
  );
  connection.onRequest(FoldingRangeRequest.type, (p) =>
    withDocument(p, [], 'folding ranges', (d, parsed) => getFoldingRanges(d, parsed)),
  );
}

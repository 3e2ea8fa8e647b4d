import type { TextDocumentPositionParams } from 'vscode-languageserver';
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

/** Completion, hover and navigation: each a direct call into the language service. */
export function registerLanguageHandlers({ connection, documents, cache }: ServerContext, snippetSupport: () => boolean): void {
  function withDocument<T>(uri: string, fallback: T, what: string, fn: (document: TextDocument, parsed: Parsed) => T): T {
    const document = documents.get(uri);
    if (!document) return fallback;
    return runSafe(connection, () => fn(document, cache.get(document)), fallback, `${what} in ${uri}`);
  }
  const at = (p: TextDocumentPositionParams) => p.position;

  connection.onCompletion((p) =>
    withDocument(p.textDocument.uri, null, 'completion', (d, parsed) =>
      getCompletions(d, parsed, at(p), { snippets: snippetSupport() }),
    ),
  );
  connection.onHover((p) => withDocument(p.textDocument.uri, null, 'hover', (d, parsed) => getHover(d, parsed, at(p))));
  connection.onDefinition((p) =>
    withDocument(p.textDocument.uri, [], 'definition', (d, parsed) => getDefinition(d, parsed, at(p))),
  );
  connection.onReferences((p) =>
    withDocument(p.textDocument.uri, [], 'references', (d, parsed) =>
      getReferences(d, parsed, at(p), p.context.includeDeclaration),
    ),
  );
  connection.onDocumentSymbol((p) =>
    withDocument(p.textDocument.uri, [], 'document symbols', (d, parsed) => getDocumentSymbols(d, parsed)),
  );
  connection.onFoldingRanges((p) =>
    withDocument(p.textDocument.uri, [], 'folding ranges', (d, parsed) => getFoldingRanges(d, parsed)),
  );
}

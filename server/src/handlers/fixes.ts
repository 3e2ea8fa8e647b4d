import type { CodeAction } from 'vscode-languageserver';
import { Requests } from '../protocol';
import { fixAll, generateMac, getCodeActions, insertTeamingPairSnippet } from '../service';
import { runSafe, type ServerContext } from './context';

/** Quick fixes, "Make Domain Migratable", and the requests behind the insert commands. */
export function registerFixHandlers({ connection, documents, cache, settingsFor, hostFor }: ServerContext): void {
  connection.onCodeAction(async (params, token): Promise<CodeAction[]> => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const own = await settingsFor(document.uri);
    const settings = { ...own, host: hostFor(document.uri, own) };
    if (token.isCancellationRequested) return [];
    const { diagnostics, only } = params.context;
    return runSafe(
      connection,
      () => getCodeActions(document, cache.get(document), diagnostics, settings, only),
      [],
      `code actions for ${document.uri}`,
    );
  });

  connection.onRequest(Requests.fixAll, async (params) => {
    const document = documents.get(params.uri);
    if (!document) return null;
    const settings = await settingsFor(document.uri);
    const host = hostFor(document.uri, settings);
    return runSafe(
      connection,
      () => ({ version: document.version, ...fixAll(document, cache.get(document), { ...settings, host }) }),
      null,
      `fixing ${document.uri}`,
    );
  });

  connection.onRequest(Requests.generateMac, (params) => {
    const document = documents.get(params.uri);
    return document ? runSafe(connection, () => generateMac(cache.get(document)), null, 'generating a MAC') : null;
  });

  connection.onRequest(Requests.teamingPairSnippet, async (params) => {
    const document = documents.get(params.uri);
    if (!document) return null;
    const settings = await settingsFor(document.uri);
    return runSafe(
      connection,
      () => insertTeamingPairSnippet(document, cache.get(document), document.offsetAt(params.position), settings),
      null,
      'building a teaming pair snippet',
    );
  });
}

import { CodeActionRequest, MessageType, ShowMessageNotification, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { Requests, type FixSettings } from '../protocol';
import { checkFixSettings, fixAll, generateMac, getCodeActions, insertTeamingPairSnippet, type HostContext } from '../service';
import { runSafe, type ServerContext } from './context';
import { documentUri, param, position, uri } from './params';

/** Quick fixes, "Make Domain Migratable", and the requests behind the insert commands. */
export function registerFixHandlers({ connection, documents, cache, settingsFor, hostFor }: ServerContext): void {
  const warned = new Set<string>();
  /** The settings fixes write into XML, checked: a refused value is said once, and its default used. */
  async function fixSettings(uri: string): Promise<FixSettings & { host?: HostContext }> {
    const own = await settingsFor(uri);
    const { settings, problems } = checkFixSettings(own as unknown as Record<string, unknown>);
    for (const p of problems) {
      if (warned.has(p)) continue;
      if (warned.size >= 100) warned.clear(); // bounded, however many values a workspace tries
      warned.add(p);
      // a notification: nothing waits for the user to dismiss it
      void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: p });
    }
    // the host the document is judged for: its verdicts decide which fixes are safe
    return { ...settings, host: hostFor(uri, own) };
  }

  // by request type: onCodeAction's wrapper reads params before a handler can check them (see language.ts)
  connection.onRequest(CodeActionRequest.type, async (params, token): Promise<CodeAction[]> => {
    const document = documents.get(documentUri(params));
    param(params, 'range', 'object');
    const diagnostics = param<Diagnostic[]>(params, 'context.diagnostics', 'array');
    const only = params.context.only === undefined ? undefined : param<string[]>(params, 'context.only', 'array');
    if (!document) return [];
    const settings = await fixSettings(document.uri);
    if (token.isCancellationRequested) return [];
    return runSafe(
      connection,
      () => getCodeActions(document, cache.get(document), diagnostics, settings, only),
      [],
      `code actions for ${document.uri}`,
    );
  });

  connection.onRequest(Requests.fixAll, async (params) => {
    const document = documents.get(uri(params));
    if (!document) return null;
    const settings = await fixSettings(document.uri);
    return runSafe(
      connection,
      () => ({ version: document.version, ...fixAll(document, cache.get(document), settings) }),
      null,
      `fixing ${document.uri}`,
    );
  });

  connection.onRequest(Requests.generateMac, (params) => {
    const document = documents.get(uri(params));
    return document ? runSafe(connection, () => generateMac(cache.get(document)), null, 'generating a MAC') : null;
  });

  connection.onRequest(Requests.teamingPairSnippet, async (params) => {
    const document = documents.get(uri(params));
    const at = position(params);
    if (!document) return null;
    const settings = await fixSettings(document.uri);
    return runSafe(
      connection,
      () => insertTeamingPairSnippet(document, cache.get(document), document.offsetAt(at), settings),
      null,
      'building a teaming pair snippet',
    );
  });
}

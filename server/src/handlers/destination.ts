import { Requests, type RewriteParams, type RewriteResponse } from '../protocol';
import { destinationXml } from '../service';
import { child, textContent } from '../parser/query';
import { runSafe, type ServerContext } from './context';

/** The destination XML for `virsh migrate --xml`: the source document rewritten with a profile the client read. */
export function registerDestinationHandlers({ connection, documents, cache }: ServerContext): void {
  connection.onRequest(Requests.rewrite, (params: RewriteParams): RewriteResponse | null => {
    const document = documents.get(params.uri);
    if (!document) return null;
    return runSafe(connection, () => {
      const r = destinationXml(document.getText(), params.profileText);
      const parsed = cache.get(document);
      const name = parsed.model ? textContent(parsed.xml.text, child(parsed.model.domain, 'name')) : '';
      return {
        text: r.text,
        problems: r.problems.map((p) => ({
          code: p.code, message: p.message, severity: p.severity,
          ...(p.start !== undefined ? { range: { start: document.positionAt(p.start), end: document.positionAt(p.end ?? p.start) } } : {}),
          ...(p.profileSpan ? { profileSpan: p.profileSpan } : {}),
        })),
        changes: r.changes.map((c) => ({ what: c.what, line: document.positionAt(c.start).line, before: c.before, after: c.after })),
        profileName: r.profile?.name,
        destinationUri: r.profile?.uri,
        domainName: name || undefined,
        ok: r.ok,
      };
    }, null, `rewriting ${params.uri}`);
  });
}

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Parsed } from '../model/parsed';
import { child, textContent } from '../parser/query';
import type { RewriteResponse } from '../protocol/types';
import { destinationXml } from '../rewrite';

/** The domain's `<name>`, when it has one. */
function domainName(parsed: Parsed): string | undefined {
  return parsed.model ? textContent(parsed.xml.text, child(parsed.model.domain, 'name')) || undefined : undefined;
}

/** The destination XML for `virsh migrate --xml`, with its problems and changes placed in the source document. */
export function destination(document: TextDocument, parsed: Parsed, profileText: string): RewriteResponse {
  const r = destinationXml(parsed, profileText);
  return {
    text: r.text,
    problems: r.problems.map((p) => ({
      code: p.code,
      message: p.message,
      severity: p.severity,
      ...(p.start !== undefined
        ? { range: { start: document.positionAt(p.start), end: document.positionAt(p.end ?? p.start) } }
        : {}),
      ...(p.profileSpan ? { profileSpan: p.profileSpan } : {}),
    })),
    changes: r.changes.map((c) => ({ what: c.what, line: document.positionAt(c.start).line, before: c.before, after: c.after })),
    profileName: r.profile?.name,
    destinationUri: r.profile?.uri,
    domainName: domainName(parsed),
    ok: r.ok,
  };
}

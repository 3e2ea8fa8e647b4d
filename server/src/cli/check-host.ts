import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseText, validate } from '../service';
import { definitions, redactUri } from '../virsh';
import { hostFailure, hostOf, labelOf, type Connection } from './connect';
import type { Io } from './io';
import type { FileResult } from './report';

/**
 * `check --connect URI [DOMAIN…]`: the definitions on a host (`dumpxml --inactive`), judged for that host's facts.
 * Undefined (exit 2) when the host cannot be read; a domain that does not exist is an unreadable entry.
 */
export async function checkHost(
  c: Connection,
  domains: string[],
  rules: Record<string, string>,
  io: Io,
): Promise<{ results: FileResult[]; unreadable: boolean } | undefined> {
  const host = hostOf(c);
  const name = labelOf(c);
  let facts, defs;
  try {
    [facts, defs] = await Promise.all([host.facts({ domcaps: false }), definitions(host)]);
  } catch (e) {
    io.stderr(`migratable: ${hostFailure(e)}\n`);
    return undefined;
  }
  const uri = redactUri(c.uri);
  const results: FileResult[] = [];
  let unreadable = false;
  const wanted = domains.length ? domains : defs.map((d) => d.name).sort((a, b) => a.localeCompare(b));
  for (const domain of wanted) {
    const file = `${domain} (${uri})`;
    const def = defs.find((d) => d.name === domain);
    if (!def?.xml) {
      unreadable = true;
      const error = def ? (def.error ?? 'no definition') : `no domain named '${domain}' on ${uri}`;
      io.stderr(`migratable: ${file}: ${error}\n`);
      results.push({ file, host: uri, domain, diagnostics: [], unreadable: error });
      continue;
    }
    const docUri = `libvirt-domain://${encodeURIComponent(name)}/${encodeURIComponent(domain)}.xml`;
    const parsed = parseText(def.xml, docUri);
    const diagnostics = validate(TextDocument.create(docUri, 'xml', 1, def.xml), parsed, { rules, host: { name, facts } });
    results.push({ file, host: uri, domain, diagnostics });
  }
  return { results, unreadable };
}

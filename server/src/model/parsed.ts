import type { TextDocument } from 'vscode-languageserver-textdocument';
import { buildDomainModel, type DomainModel } from './domain';
import type { XmlDocument, XmlElement } from '../parser/nodes';
import { reparse } from '../parser/incremental';
import { parseXml, type ParseOptions } from '../parser/parser';

/** A document parsed once: the syntax tree and, when its root is <domain>, the domain model. */
export interface Parsed {
  uri: string;
  version: number;
  xml: XmlDocument;
  model: DomainModel | undefined;
}

/** A libvirt device never contains a device of its own kind: `<interface>` inside `<interface>` is a missing end tag. */
function implicitlyCloses(open: XmlElement, name: string): boolean {
  return open.name === name && open.parent?.name === 'devices';
}

const OPTIONS: ParseOptions = { implicitlyCloses };

export function parse(document: Pick<TextDocument, 'uri' | 'version' | 'getText'>): Parsed {
  const xml = parseXml(document.getText(), OPTIONS);
  return { uri: document.uri, version: document.version, xml, model: buildDomainModel(xml) };
}

/** A text that is no editor document (a destination XML, a file the CLI read), parsed the same way. */
export function parseText(text: string, uri = 'inmemory:text'): Parsed {
  return parse({ uri, version: 0, getText: () => text });
}

/**
 * Parse once per document version and hand the result to every feature (after vscode's languageModelCache).
 * Keeps the most recently used `max` documents.
 *
 * A new version of a cached document is parsed incrementally: the previous version's tree is reused and updated
 * in place (parser/incremental.ts). So a Parsed from `get` is valid until the next `get` of the same uri: use it
 * synchronously, and call `get` again after an `await`.
 */
export class ParsedCache {
  private readonly entries = new Map<string, Parsed>();

  constructor(private readonly max = 20) {}

  get(document: TextDocument): Parsed {
    const hit = this.entries.get(document.uri);
    const text = document.getText();
    if (hit && hit.version === document.version && hit.xml.text.length === text.length) {
      this.entries.delete(document.uri);
      this.entries.set(document.uri, hit);
      return hit;
    }
    this.entries.delete(document.uri);
    let parsed: Parsed;
    if (hit && hit.xml.text === text) parsed = { ...hit, version: document.version };
    else {
      const xml = (hit && reparse(hit.xml, text, OPTIONS)) || parseXml(text, OPTIONS);
      parsed = { uri: document.uri, version: document.version, xml, model: buildDomainModel(xml) };
    }
    this.entries.set(document.uri, parsed);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
    return parsed;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}

import type { Position, TextDocument } from 'vscode-languageserver-textdocument';
import {
  DocumentSymbol,
  FoldingRangeKind,
  SymbolKind,
  type FoldingRange,
  type Location,
  type Range,
} from 'vscode-languageserver-types';
import type { AnyDevice } from '../model/domain';
import type { XmlElement, XmlNode } from '../parser/nodes';
import { attrValue, child, textContent } from '../parser/query';
import { spotAt, startTagClosed } from '../schema/locate';
import type { Parsed } from '../model/parsed';

function rangeOf(document: TextDocument, start: number, end: number): Range {
  return { start: document.positionAt(start), end: document.positionAt(end) };
}

/** The alias name a position refers to: on an <alias name>, or on a <teaming persistent>. */
function aliasNameAt(parsed: Parsed, offset: number): { name: string; onAlias: boolean } | undefined {
  const spot = spotAt(parsed.xml, offset);
  if (spot.kind !== 'attrValue' || spot.attr.value === null) return undefined;
  if (spot.el.name === 'alias' && spot.attr.name === 'name') return { name: spot.attr.value, onAlias: true };
  if (spot.el.name === 'teaming' && spot.attr.name === 'persistent') return { name: spot.attr.value, onAlias: false };
  return undefined;
}

/** From `persistent='ua-x'` to the alias it names (kept aliases of interfaces first). */
export function getDefinition(document: TextDocument, parsed: Parsed, position: Position): Location[] {
  const model = parsed.model;
  const at = model && aliasNameAt(parsed, document.offsetAt(position));
  if (!model || !at || at.onAlias) return [];
  const named = model.aliases.filter((a) => a.name.value === at.name);
  named.sort((a, b) => Number(b.kept && b.device.kind === 'interface') - Number(a.kept && a.device.kind === 'interface'));
  return named.map((a) => ({ uri: document.uri, range: rangeOf(document, a.name.attr.valueStart, a.name.attr.valueEnd) }));
}

/** Every persistent= naming the alias under the cursor (and the alias itself when asked). */
export function getReferences(document: TextDocument, parsed: Parsed, position: Position, includeDeclaration = true): Location[] {
  const model = parsed.model;
  const at = model && aliasNameAt(parsed, document.offsetAt(position));
  if (!model || !at) return [];
  const out: Location[] = [];
  if (includeDeclaration) {
    for (const a of model.aliases)
      if (a.name.value === at.name)
        out.push({ uri: document.uri, range: rangeOf(document, a.name.attr.valueStart, a.name.attr.valueEnd) });
  }
  for (const t of model.teamings) {
    if (t.persistent?.value === at.name)
      out.push({ uri: document.uri, range: rangeOf(document, t.persistent.attr.valueStart, t.persistent.attr.valueEnd) });
  }
  return out;
}

const SYMBOL_KIND: ReadonlyMap<string, SymbolKind> = new Map([
  ['interface', SymbolKind.Interface],
  ['hostdev', SymbolKind.Object],
  ['disk', SymbolKind.File],
  ['controller', SymbolKind.Namespace],
]);

/**
 * The outline: the domain (its name), its top-level sections, and under <devices> every device with its type,
 * alias and MAC — a teaming pair reads as two interfaces with one MAC and the alias that links them.
 */
export function getDocumentSymbols(document: TextDocument, parsed: Parsed): DocumentSymbol[] {
  const root = parsed.xml.root;
  const model = parsed.model;
  // other XML files belong to other extensions' outlines
  if (!root || !model) return [];
  const symbol = (el: XmlElement, name: string, kind: SymbolKind, detail?: string, children?: DocumentSymbol[]) =>
    DocumentSymbol.create(
      name,
      detail,
      kind,
      rangeOf(document, el.start, el.end),
      rangeOf(document, el.nameStart, el.nameEnd),
      children,
    );
  const sections = root.children
    .filter((c): c is XmlElement => c.kind === 'element')
    .map((el) => {
      if (el === model.devicesEl)
        return symbol(
          el,
          'devices',
          SymbolKind.Package,
          `${model.devices.length} devices`,
          model.devices.map((d) => deviceSymbol(d, symbol)),
        );
      const text = el.children.some((c) => c.kind === 'element') ? undefined : textContent(parsed.xml.text, el) || undefined;
      return symbol(el, el.name, SymbolKind.Property, [text, attrValue(el, 'unit')].filter(Boolean).join(' ') || undefined);
    });
  const name = textContent(parsed.xml.text, child(root, 'name'));
  return [symbol(root, name ? `domain ${name}` : 'domain', SymbolKind.Module, attrValue(root, 'type'), sections)];
}

function deviceSymbol(
  d: AnyDevice,
  symbol: (el: XmlElement, name: string, kind: SymbolKind, detail?: string) => DocumentSymbol,
): DocumentSymbol {
  const type = attrValue(d.el, 'type');
  const target = attrValue(child(d.el, 'target'), 'dev');
  const name = [d.el.name, type, d.el.name === 'disk' ? target : undefined].filter(Boolean).join(' ');
  const detail = [
    d.alias?.name.value,
    d.kind === 'interface' ? d.mac?.value : undefined,
    d.teaming?.type?.value
      ? `teaming ${d.teaming.type.value}${d.teaming.persistent ? ` → ${d.teaming.persistent.value}` : ''}`
      : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  return symbol(d.el, name, SYMBOL_KIND.get(d.el.name) ?? SymbolKind.Object, detail || undefined);
}

/** In a domain, every element spanning lines folds (its end tag stays visible), and so do multi-line comments. */
export function getFoldingRanges(document: TextDocument, parsed: Parsed): FoldingRange[] {
  const out: FoldingRange[] = [];
  if (!parsed.model) return out;
  const text = parsed.xml.text;
  // in document order, with an explicit stack: unclosed elements can nest deeper than the call stack reaches
  const stack: XmlNode[] = [...parsed.xml.children].reverse();
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.kind !== 'element' && n.kind !== 'comment') continue;
    const startLine = document.positionAt(n.start).line;
    if (n.kind === 'element') {
      const endLine = document.positionAt(n.endTagStart ?? n.end).line - (n.endTagStart !== undefined ? 1 : 0);
      // a start tag still being typed has no content to fold yet
      if (endLine > startLine && startTagClosed(text, n)) out.push({ startLine, endLine });
      for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
    } else {
      const endLine = document.positionAt(n.end).line;
      if (endLine > startLine) out.push({ startLine, endLine, kind: FoldingRangeKind.Comment });
    }
  }
  return out;
}

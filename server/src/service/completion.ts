import type { Position, TextDocument } from 'vscode-languageserver-textdocument';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Range,
} from 'vscode-languageserver-types';
import { detectStyle, type Style } from '../edits/style';
import { escapeSnippet } from '../fixes';
import { freeAlias } from '../model/alias';
import { interfaceSummary } from '../model/describe';
import type { DomainModel } from '../model/domain';
import { generateMac } from '../model/mac';
import type { Parsed } from '../model/parsed';
import { intendedPartners } from '../model/teaming';
import type { XmlAttribute, XmlElement } from '../parser/nodes';
import { attrValue, child } from '../parser/query';
import { spotAt, startTagClosed } from '../schema/locate';
import { attributeType, contextFor } from '../schema/lookup';
import { vocabulary, type Context } from '../schema/vocabulary';
import { markdownText } from './markdown';
import { deviceSnippets, elementSnippet } from './snippets';

export interface CompletionSettings {
  /** Whether the client accepts snippets (completionItem.snippetSupport); default true. */
  snippets?: boolean;
  /** Feeds generated MAC addresses (tests inject a seeded one). */
  random?: () => number;
}

/** Characters after which the client should ask for completion. */
export const COMPLETION_TRIGGERS = ['<', ' ', '"', "'", '='];

const UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'bytes'];
const SUGGEST_AGAIN = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };

/**
 * Completion at a position: element names the schema allows there (snippets for disk, interface, hostdev and a
 * whole teaming pair), attributes not yet written, and values: enumerations, and what the document itself
 * knows (persistent= offers the aliases of persistent teaming interfaces, a MAC a fresh unused one or the
 * teaming partner's, source network= the networks used elsewhere, alias name= free ua- names).
 */
export function getCompletions(
  document: TextDocument,
  parsed: Parsed,
  position: Position,
  settings: CompletionSettings = {},
): CompletionList {
  return { isIncomplete: false, items: new Completer(document, parsed, document.offsetAt(position), settings).items() };
}

class Completer {
  private readonly text: string;
  private readonly snippets: boolean;
  private readonly style: Style;
  private readonly quote: "'" | '"';

  constructor(
    private readonly document: TextDocument,
    private readonly parsed: Parsed,
    private readonly offset: number,
    private readonly settings: CompletionSettings,
  ) {
    this.text = parsed.xml.text;
    this.snippets = settings.snippets !== false;
    this.style = detectStyle(parsed.xml);
    this.quote = this.style.quote;
  }

  items(): CompletionItem[] {
    const spot = spotAt(this.parsed.xml, this.offset);
    switch (spot.kind) {
      case 'name': {
        const bare = !startTagClosed(this.text, spot.el) && spot.el.attributes.length === 0;
        return this.elements(spot.el.parent, spot.el, spot.el.nameStart, spot.el.nameEnd, false, bare);
      }
      case 'attrName':
        return this.attributes(spot.el, spot.attr);
      case 'startTag':
        return this.attributes(spot.el, undefined);
      case 'attrValue':
        return this.values(spot.el, spot.attr);
      case 'content':
        return this.content(spot.el);
      default:
        return [];
    }
  }

  private range(start: number, end: number): Range {
    return { start: this.document.positionAt(start), end: this.document.positionAt(end) };
  }

  /**
   * The part of [start, end) on the cursor's line. LSP wants a completion's edit range on one line and around the
   * cursor; an unterminated value (`<mac address='|` while typing) runs on to the next quote, lines further down.
   */
  private onCursorLine(start: number, end: number): [number, number] {
    const lineStart = this.text.lastIndexOf('\n', this.offset - 1) + 1;
    let lineEnd = this.text.indexOf('\n', this.offset);
    if (lineEnd < 0) lineEnd = this.text.length;
    if (this.text[lineEnd - 1] === '\r') lineEnd--;
    return [Math.max(start, lineStart), Math.max(Math.min(end, lineEnd), this.offset)];
  }

  private content(el: XmlElement | undefined): CompletionItem[] {
    let start = this.offset;
    while (start > 0 && isNameChar(this.text.charCodeAt(start - 1))) start--;
    let end = this.offset;
    while (end < this.text.length && isNameChar(this.text.charCodeAt(end))) end++;
    const bracket = this.text[start - 1] === '<';
    if (bracket) start--;
    const ctx = el && contextFor(el);
    const hasElements = el?.children.some((c) => c.kind === 'element');
    if (!bracket && ctx?.text?.enumValues.length && !hasElements) {
      return ctx.text.enumValues.map((v) => this.value(v, this.range(start, end), CompletionItemKind.EnumMember));
    }
    // mid-line text (a word typed after a space in <title>) is not the place for new elements
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    if (!bracket && this.text.slice(lineStart, start).trim() !== '') return [];
    return this.elements(el, undefined, start, end, true, true);
  }

  /** Element names allowed in `parent`; `bare` when a whole new element may be inserted (not a rename). */
  private elements(
    parent: XmlElement | undefined,
    typed: XmlElement | undefined,
    start: number,
    end: number,
    bracket: boolean,
    bare: boolean,
  ): CompletionItem[] {
    const vocab = vocabulary();
    if (!parent) {
      // outside the root: only an empty document (or the root being typed) may become a domain
      const root = this.parsed.xml.root;
      return !root || root === typed ? [this.element('domain', vocab.root, start, end, bracket, bare, undefined)] : [];
    }
    const ctx = contextFor(parent);
    if (!ctx) return [];
    const present = new Set(
      parent.children.filter((c): c is XmlElement => c.kind === 'element' && c !== typed).map((c) => c.name),
    );
    const items: CompletionItem[] = [];
    for (const name of ctx.children.keys()) {
      if (ctx.once.has(name) && present.has(name)) continue;
      items.push(this.element(name, vocab.child(ctx, name)!, start, end, bracket, bare, parent.name));
    }
    if (bare && this.snippets && parent.name === 'devices' && this.parsed.model) {
      const random = this.settings.random ?? Math.random;
      for (const s of deviceSnippets(this.parsed.model, this.style, () => generateMac(this.text, random))) {
        items.push({
          label: s.label,
          kind: CompletionItemKind.Snippet,
          detail: s.detail,
          sortText: `0${s.label}`,
          filterText: (bracket ? '<' : '') + s.name,
          textEdit: { range: this.range(start, end), newText: (bracket ? '<' : '') + s.body },
          insertTextFormat: InsertTextFormat.Snippet,
        });
      }
    }
    return items;
  }

  private element(
    name: string,
    ctx: Context,
    start: number,
    end: number,
    bracket: boolean,
    bare: boolean,
    parent: string | undefined,
  ): CompletionItem {
    const doc = vocabulary().doc(parent, name);
    const snippet = bare && this.snippets ? elementSnippet(name, ctx, this.quote) : undefined;
    return {
      label: name,
      kind: CompletionItemKind.Property,
      detail: doc?.since ? `since libvirt ${doc.since}` : undefined,
      documentation: doc?.doc ? { kind: MarkupKind.Markdown, value: markdownText(doc.doc) } : undefined,
      filterText: (bracket ? '<' : '') + name,
      sortText: `1${name}`,
      textEdit: { range: this.range(start, end), newText: (bracket ? '<' : '') + (snippet?.body ?? escapeSnippet(name)) },
      insertTextFormat: this.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      // the cursor lands in a value (`<mac address='|'/>`): show its values without Ctrl+Space
      command: snippet?.firstValue && offersValues(name, snippet.firstValue) ? SUGGEST_AGAIN : undefined,
    };
  }

  private attributes(el: XmlElement, typing: XmlAttribute | undefined): CompletionItem[] {
    const ctx = contextFor(el);
    if (!ctx) return [];
    const present = new Set(el.attributes.filter((a) => a !== typing).map((a) => a.name));
    const needsSpace = !typing && !/\s/.test(this.text[this.offset - 1] ?? ' ');
    const range = typing ? this.range(typing.nameStart, typing.nameEnd) : this.range(this.offset, this.offset);
    const withValue = !typing || typing.value === null;
    const items: CompletionItem[] = [];
    for (const [name, type] of ctx.attrs) {
      if (present.has(name)) continue;
      const doc = vocabulary().doc(el.parent?.name, el.name, name);
      const required = ctx.required.includes(name);
      const q = this.quote;
      const insert = withValue ? (this.snippets ? `${name}=${q}$1${q}` : `${name}=${q}${q}`) : name;
      items.push({
        label: name,
        kind: CompletionItemKind.Field,
        detail:
          [required ? 'required' : '', doc?.since ? `since libvirt ${doc.since}` : ''].filter(Boolean).join(', ') || undefined,
        documentation: {
          kind: MarkupKind.Markdown,
          value: [doc?.doc && markdownText(doc.doc), `Value: ${markdownText(type.describe(8))}`].filter(Boolean).join('\n\n'),
        },
        sortText: `${required ? 0 : 1}${name}`,
        textEdit: { range, newText: (needsSpace ? ' ' : '') + insert },
        insertTextFormat: this.snippets ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        command: withValue && this.snippets ? SUGGEST_AGAIN : undefined,
      });
    }
    return items;
  }

  private values(el: XmlElement, attr: XmlAttribute): CompletionItem[] {
    const q = attr.quote ? '' : this.quote;
    const range = this.range(...this.onCursorLine(attr.valueStart, attr.valueEnd));
    const model = this.parsed.model;
    const special = model ? this.documentValues(model, el, attr) : [];
    const type = attributeType(el, attr.name);
    const listed = new Set(special.map((s) => s.value));
    const enums = (type?.json.names?.includes('unit') ? UNITS : (type?.enumValues ?? [])).filter((v) => !listed.has(v));
    return [
      ...special.map((s, i) => ({
        ...this.value(s.value, range, CompletionItemKind.Value, q),
        detail: s.detail,
        sortText: `0${String(i).padStart(3, '0')}`,
      })),
      ...enums.map((v) => {
        const doc = vocabulary().doc(el.parent?.name, el.name, attr.name, v);
        return {
          ...this.value(v, range, CompletionItemKind.EnumMember, q),
          sortText: `1${v}`,
          documentation: doc?.doc,
          detail: doc?.since ? `since libvirt ${doc.since}` : undefined,
        };
      }),
    ];
  }

  private value(v: string, range: Range, kind: CompletionItemKind, quote = ''): CompletionItem {
    return { label: v, kind, textEdit: { range, newText: `${quote}${v}${quote}` }, insertTextFormat: InsertTextFormat.PlainText };
  }

  /** Values only this document can suggest. */
  private documentValues(model: DomainModel, el: XmlElement, attr: XmlAttribute): { value: string; detail: string }[] {
    const owner = el.parent;
    if (el.name === 'teaming' && attr.name === 'persistent') {
      return model.interfaces
        .filter((i) => i.el !== owner && i.teaming?.type?.value === 'persistent' && i.alias?.kept)
        .map((i) => ({ value: i.alias!.name.value, detail: `persistent ${interfaceSummary(i)}` }));
    }
    if (el.name === 'mac' && attr.name === 'address' && owner?.name === 'interface') {
      const iface = model.interfaces.find((i) => i.el === owner);
      const partners = (iface ? intendedPartners(model, iface) : [])
        .filter((p) => p.mac)
        .map((p) => ({ value: p.mac!.value, detail: `the MAC of its teaming partner ${interfaceSummary(p)}` }));
      const fresh = generateMac(this.text, this.settings.random ?? Math.random);
      return [...partners, { value: fresh, detail: 'a new random unicast MAC, not used in this document' }];
    }
    if (el.name === 'source' && attr.name === 'network' && owner?.name === 'interface') {
      const used = new Set(
        model.interfaces
          .map((i) => attrValue(child(i.el, 'source'), 'network'))
          .filter((n): n is string => !!n && n !== attr.value),
      );
      return [...used].sort().map((n) => ({ value: n, detail: 'a network used elsewhere in this domain' }));
    }
    if (el.name === 'alias' && attr.name === 'name') return aliasProposals(model, owner);
    return [];
  }
}

/** Attributes whose values completion proposes from the document itself (see documentValues). */
function offersValues(element: string, attr: string): boolean {
  return (
    (element === 'mac' && attr === 'address') ||
    (element === 'teaming' && attr === 'persistent') ||
    (element === 'source' && attr === 'network') ||
    (element === 'alias' && attr === 'name')
  );
}

/** A `ua-` name nobody uses: first one that a transient persistent= already names but no alias holds. */
function aliasProposals(model: DomainModel, device: XmlElement | undefined): { value: string; detail: string }[] {
  const taken = new Set(model.aliases.map((a) => a.name.value));
  const out: { value: string; detail: string }[] = [];
  if (device?.name === 'interface' && attrValue(child(device, 'teaming'), 'type') === 'persistent') {
    for (const t of model.teamings) {
      const name = t.persistent?.value;
      if (name?.startsWith('ua-') && !taken.has(name) && !out.some((o) => o.value === name))
        out.push({ value: name, detail: 'named by a transient teaming persistent= but by no alias' });
    }
  }
  const base =
    device?.name === 'interface' ? 'ua-net' : device?.name === 'hostdev' ? 'ua-hostdev' : `ua-${device?.name ?? 'dev'}`;
  out.push({ value: freeAlias(model, base), detail: 'a free user alias (libvirt keeps only ua- aliases)' });
  return out;
}

/** Letters, digits, '_', '.', ':' and '-': what an element name or an enumerated word is made of. */
function isNameChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x3a) || c === 0x5f || c === 0x2e || c === 0x2d
  );
}

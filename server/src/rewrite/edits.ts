import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import type { XmlElement } from '../parser/nodes';
import { attribute } from '../parser/query';

/** A replacement of `text.slice(start, end)`. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export function escapeAttr(value: string, quote: string): string {
  let out = value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  if (quote === "'") out = out.replace(/'/g, '&apos;');
  else out = out.replace(/"/g, '&quot;');
  return out;
}

/** The edit that sets an attribute's value, or adds the attribute after the last one; none when it already has it. */
export function setAttribute(el: XmlElement, name: string, value: string): OffsetEdit | undefined {
  const a = attribute(el, name);
  if (a) {
    if (a.value === value) return undefined;
    if (a.quote === '') return { start: a.valueStart, end: a.valueEnd, newText: `'${escapeAttr(value, "'")}'` };
    return { start: a.valueStart, end: a.valueEnd, newText: escapeAttr(value, a.quote) };
  }
  const last = el.attributes[el.attributes.length - 1];
  const at = last ? last.valueEnd + (last.quote ? 1 : 0) : el.nameEnd;
  const quote = el.attributes.find((x) => x.quote)?.quote ?? "'";
  return { start: at, end: at, newText: ` ${name}=${quote}${escapeAttr(value, quote)}${quote}` };
}

export function applyEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos) throw new Error(`overlapping edits at ${e.start}`);
    out += text.slice(pos, e.start) + e.newText;
    pos = e.end;
  }
  return out + text.slice(pos);
}

/** LSP TextEdits (line/character ranges) for offset edits against `text`. */
export function toTextEdits(text: string, edits: OffsetEdit[]): TextEdit[] {
  const doc = TextDocument.create('inmemory:source', 'xml', 0, text);
  return [...edits].sort((a, b) => a.start - b.start)
    .map((e) => ({ range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) }, newText: e.newText }));
}

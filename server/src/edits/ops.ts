import type { XmlAttribute, XmlElement } from '../parser/nodes';
import { childIndent, isInline, lineIndent, ownLineIndent, type Style } from './style';
import type { OffsetEdit } from './textEdits';
import { render, renderAttr, renderInline, escapeAttr, type NewElement } from './xml';

/** Minimal edits on the syntax tree: each touches only the span it must change. */

/** Inserts `e` as a sibling right before `el`: on its own line with el's indentation, or on one line like el. */
export function insertBefore(text: string, style: Style, el: XmlElement, e: NewElement): OffsetEdit {
  const own = ownLineIndent(text, el.start);
  const indent = own ?? (el.parent ? childIndent(text, style, el.parent) : '');
  const body = isInline(text, el) && el.children.length ? renderInline(e, style.quote) : render(e, style, indent);
  return { start: el.start, end: el.start, text: body + style.eol + indent };
}

/** Inserts `e` as the last child of `parent`, after its last child node (a trailing comment included). */
export function appendChild(text: string, style: Style, parent: XmlElement, e: NewElement): OffsetEdit {
  if (parent.selfClosing) return openSelfClosing(text, style, parent, e);
  if (isInline(text, parent))
    return { start: parent.endTagStart ?? parent.end, end: parent.endTagStart ?? parent.end, text: renderInline(e, style.quote) };
  const indent = childIndent(text, style, parent);
  const last = [...parent.children].reverse().find((c) => c.kind !== 'text' || text.slice(c.start, c.end).trim() !== '');
  const at = last ? last.end : parent.startTagEnd;
  return { start: at, end: at, text: style.eol + indent + render(e, style, indent) };
}

/** Inserts `e` as the first child of `parent` (where libvirt writes <mac>), on a line of its own. */
export function prependChild(text: string, style: Style, parent: XmlElement, e: NewElement): OffsetEdit {
  if (parent.selfClosing) return openSelfClosing(text, style, parent, e);
  if (isInline(text, parent)) return { start: parent.startTagEnd, end: parent.startTagEnd, text: renderInline(e, style.quote) };
  // before the first child on a line of its own: a comment trailing the start tag stays on its line
  for (const c of parent.children) {
    if (c.kind === 'text') continue;
    const own = ownLineIndent(text, c.start);
    if (own !== undefined) return { start: c.start, end: c.start, text: render(e, style, own) + style.eol + own };
  }
  return appendChild(text, style, parent, e);
}

/** `<x a='1'/>` → `<x a='1'>` + child + `</x>`: replaces only the `/>`. */
function openSelfClosing(text: string, style: Style, parent: XmlElement, e: NewElement): OffsetEdit {
  const slash = parent.startTagEnd - 2;
  const indent = lineIndent(text, parent);
  const inner = indent + style.indentUnit;
  const body = `>${style.eol}${inner}${render(e, style, inner)}${style.eol}${indent}</${parent.name}>`;
  return { start: slash, end: parent.startTagEnd, text: body };
}

function attrEnd(a: XmlAttribute): number {
  return a.valueEnd + (a.quote ? 1 : 0);
}

/** The quote this element's attributes use, else the file's. */
function quoteOf(el: XmlElement, style: Style): "'" | '"' {
  return el.attributes.find((a) => a.quote)?.quote || style.quote;
}

/** Sets an attribute: replaces the value between its quotes, or adds `name='value'` after the last attribute (or first). */
export function setAttribute(style: Style, el: XmlElement, name: string, value: string, first = false): OffsetEdit {
  const a = el.attributes.find((x) => x.name === name);
  if (a && a.quote) return { start: a.valueStart, end: a.valueEnd, text: escapeAttr(value, a.quote) };
  if (a) return { start: a.nameStart, end: attrEnd(a), text: renderAttr(name, value, quoteOf(el, style)) };
  const last = el.attributes[el.attributes.length - 1];
  const at = last && !first ? attrEnd(last) : el.nameEnd;
  return { start: at, end: at, text: ' ' + renderAttr(name, value, quoteOf(el, style)) };
}

/** Removes an attribute and the white space before it. */
export function removeAttribute(text: string, a: XmlAttribute): OffsetEdit {
  let start = a.nameStart;
  while (start > 0 && /[ \t\r\n]/.test(text[start - 1])) start--;
  return { start, end: attrEnd(a), text: '' };
}

/** Renames an element in its start tag and its end tag. */
export function renameElement(text: string, el: XmlElement, name: string): OffsetEdit[] {
  const edits: OffsetEdit[] = [{ start: el.nameStart, end: el.nameEnd, text: name }];
  // only an end tag spelt like the start tag: `<featres>…</features>` keeps its end tag (it is already right)
  if (
    el.endTagStart !== undefined &&
    text.startsWith(el.name, el.endTagStart + 2) &&
    /[\s>]/.test(text[el.endTagStart + 2 + el.name.length] ?? '')
  ) {
    edits.push({ start: el.endTagStart + 2, end: el.endTagStart + 2 + el.name.length, text: name });
  }
  return edits;
}

/** Replaces a whole element (start tag to end tag) by `e`, keeping its indentation. */
export function replaceElement(text: string, style: Style, el: XmlElement, e: NewElement): OffsetEdit {
  return { start: el.start, end: el.end, text: render(e, style, lineIndent(text, el)) };
}

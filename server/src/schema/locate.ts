import type { XmlAttribute, XmlDocument, XmlElement } from '../parser/nodes';

/** What the cursor is on, in the syntax tree. */
export type Spot =
  | { kind: 'name'; el: XmlElement }
  | { kind: 'endName'; el: XmlElement }
  | { kind: 'attrName'; el: XmlElement; attr: XmlAttribute }
  | { kind: 'attrValue'; el: XmlElement; attr: XmlAttribute }
  /** In a start tag, between attributes. */
  | { kind: 'startTag'; el: XmlElement }
  /** In an element's content (or outside the root when el is undefined). */
  | { kind: 'content'; el: XmlElement | undefined };

/** Whether the start tag ends with its own '>' (a half-typed one does not). */
export function startTagClosed(text: string, el: XmlElement): boolean {
  return text.charCodeAt(el.startTagEnd - 1) === 0x3e;
}

/** The innermost element whose extent holds the offset (a half-typed start tag holds its end too). */
export function elementAt(doc: XmlDocument, offset: number): XmlElement | undefined {
  let found: XmlElement | undefined;
  let nodes = doc.children;
  for (;;) {
    let next: XmlElement | undefined;
    for (const n of nodes) {
      if (n.kind !== 'element' || n.start >= offset) continue;
      if (offset < n.end || (offset === n.end && !n.wellFormed && !startTagClosed(doc.text, n))) next = n;
    }
    if (!next) return found;
    found = next;
    nodes = next.children;
  }
}

export function spotAt(doc: XmlDocument, offset: number): Spot {
  const el = elementAt(doc, offset);
  if (!el) return { kind: 'content', el: undefined };
  const inStartTag = offset < el.startTagEnd || (offset === el.startTagEnd && !startTagClosed(doc.text, el));
  if (inStartTag) {
    if (offset >= el.nameStart && offset <= el.nameEnd) return { kind: 'name', el };
    for (const attr of el.attributes) {
      if (offset >= attr.nameStart && offset <= attr.nameEnd) return { kind: 'attrName', el, attr };
      if (attr.value !== null && offset >= attr.valueStart && offset <= attr.valueEnd) return { kind: 'attrValue', el, attr };
    }
    return { kind: 'startTag', el };
  }
  if (el.endTagStart !== undefined && offset > el.endTagStart) {
    return offset <= el.endTagStart + 2 + el.name.length ? { kind: 'endName', el } : { kind: 'content', el: el.parent };
  }
  return { kind: 'content', el };
}

/** The element whose start-tag name begins at `nameStart`. */
export function elementByName(doc: XmlDocument, nameStart: number): XmlElement | undefined {
  const el = elementAt(doc, nameStart);
  return el?.nameStart === nameStart ? el : undefined;
}

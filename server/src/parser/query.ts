import type { XmlAttribute, XmlElement } from './nodes';
import { decodeReferences } from './parser';

export function attribute(el: XmlElement | undefined, name: string): XmlAttribute | undefined {
  if (!el) return undefined;
  for (const a of el.attributes) if (a.name === name) return a;
  return undefined;
}

export function attrValue(el: XmlElement | undefined, name: string): string | undefined {
  return attribute(el, name)?.value ?? undefined;
}

export function childElements(el: XmlElement | undefined, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  if (!el) return out;
  for (const c of el.children) if (c.kind === 'element' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) if (c.kind === 'element' && c.name === name) return c;
  return undefined;
}

/** Follows a path of child element names: `path(domain, 'os', 'type')`. */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el;
  for (const n of names) cur = child(cur, n);
  return cur;
}

/** The element's text content (text and CDATA children only), decoded and trimmed. */
export function textContent(text: string, el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  for (const c of el.children) {
    if (c.kind === 'text') out += decodeReferences(text.slice(c.start, c.end));
    else if (c.kind === 'cdata') out += text.slice(c.start + 9, Math.max(c.start + 9, c.end - 3));
  }
  return out.trim();
}

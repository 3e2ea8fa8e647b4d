import type { Style } from './style';

/** An element to insert, written out by render() in the file's style. */
export interface NewElement {
  name: string;
  attrs: [string, string][];
  children: NewElement[];
}

export function element(name: string, attrs: [string, string][] = [], children: NewElement[] = []): NewElement {
  return { name, attrs, children };
}

export function escapeAttr(value: string, quote: "'" | '"'): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(quote === "'" ? /'/g : /"/g, quote === "'" ? '&apos;' : '&quot;');
}

export function renderAttr(name: string, value: string, quote: "'" | '"'): string {
  return `${name}=${quote}${escapeAttr(value, quote)}${quote}`;
}

/**
 * The element as text. The first line carries no indentation (the caller places it); the following lines
 * are indented from `indent`, one `style.indentUnit` per level.
 */
export function render(e: NewElement, style: Style, indent: string): string {
  const attrs = e.attrs.map(([n, v]) => ' ' + renderAttr(n, v, style.quote)).join('');
  if (e.children.length === 0) return `<${e.name}${attrs}/>`;
  const inner = indent + style.indentUnit;
  const kids = e.children.map((c) => style.eol + inner + render(c, style, inner)).join('');
  return `<${e.name}${attrs}>${kids}${style.eol}${indent}</${e.name}>`;
}

/** The element on one line, for inline parents. */
export function renderInline(e: NewElement, quote: "'" | '"'): string {
  const attrs = e.attrs.map(([n, v]) => ' ' + renderAttr(n, v, quote)).join('');
  if (e.children.length === 0) return `<${e.name}${attrs}/>`;
  return `<${e.name}${attrs}>${e.children.map((c) => renderInline(c, quote)).join('')}</${e.name}>`;
}

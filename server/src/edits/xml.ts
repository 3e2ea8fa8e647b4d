import type { Style } from './style';

/** An element to insert, written out by render() in the file's style. */
export interface NewElement {
  name: string;
  attrs: [string, string][];
  children: NewElement[];
}

/** Characters no XML document can hold, even as a character reference (NUL, ESC, …; lone surrogates). */
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first character of `s` that XML cannot hold, as `U+001B`; undefined when every one can be written. */
export function unwritableChar(s: string): string | undefined {
  const m = NOT_XML.exec(s);
  return m ? `U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}

export function element(name: string, attrs: [string, string][] = [], children: NewElement[] = []): NewElement {
  return { name, attrs, children };
}

/**
 * An attribute value between `quote`s: markup escaped, and tab, line feed and carriage return as character
 * references (a parser turns them, written as such, into spaces: the value would change).
 */
export function escapeAttr(value: string, quote: "'" | '"'): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(quote === "'" ? /'/g : /"/g, quote === "'" ? '&apos;' : '&quot;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Text that is safe as element content and between quotes of either kind. */
export function escapeValue(value: string): string {
  return escapeAttr(value, "'").replace(/"/g, '&quot;');
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

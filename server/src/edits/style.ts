import type { XmlDocument, XmlElement, XmlNode } from '../parser/nodes';

/** How a file is written, so inserted text looks like the user's own. */
export interface Style {
  /** One level of indentation: '\t', or some spaces. */
  indentUnit: string;
  quote: "'" | '"';
  eol: '\n' | '\r\n';
}

const DEFAULT_UNIT = '  ';

export function detectStyle(doc: XmlDocument): Style {
  return { indentUnit: detectIndentUnit(doc.text), quote: detectQuote(doc), eol: detectEol(doc.text) };
}

/** The first line break decides (editors keep one style per file). */
function detectEol(text: string): '\n' | '\r\n' {
  const nl = text.indexOf('\n');
  return nl > 0 && text.charCodeAt(nl - 1) === 0x0d ? '\r\n' : '\n';
}

/** Tabs when most indented lines use them; otherwise the most frequent step between consecutive indents. */
function detectIndentUnit(text: string): string {
  let tabs = 0;
  let spaces = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  for (const line of text.split('\n')) {
    const ws = /^[ \t]*/.exec(line)![0];
    if (ws.length === line.replace(/\r$/, '').length) continue; // blank
    if (ws.startsWith('\t')) tabs++;
    else if (ws.length > 0) spaces++;
    const width = ws.startsWith('\t') ? 0 : ws.length;
    if (width > previous) steps.set(width - previous, (steps.get(width - previous) ?? 0) + 1);
    previous = width;
  }
  if (tabs > spaces) return '\t';
  let best = 0;
  let bestCount = 0;
  for (const [step, count] of steps) {
    if (step <= 8 && (count > bestCount || (count === bestCount && step < best))) {
      best = step;
      bestCount = count;
    }
  }
  return best > 0 ? ' '.repeat(best) : DEFAULT_UNIT;
}

/** The quote most attribute values use; apostrophes (libvirt's own) when there are none. */
function detectQuote(doc: XmlDocument): "'" | '"' {
  let single = 0;
  let double = 0;
  // an explicit stack: a hostile document nests deeper than the call stack reaches
  const stack: XmlNode[] = [...doc.children];
  for (let n = stack.pop(); n; n = stack.pop()) {
    if (n.kind !== 'element') continue;
    for (const a of n.attributes) {
      if (a.quote === "'") single++;
      else if (a.quote === '"') double++;
    }
    for (const c of n.children) stack.push(c);
  }
  return double > single ? '"' : "'";
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The white space before a node when nothing else precedes it on its line; undefined otherwise. */
export function ownLineIndent(text: string, offset: number): string | undefined {
  const ls = lineStart(text, offset);
  const before = text.slice(ls, offset);
  return /^[ \t]*$/.test(before) ? before : undefined;
}

/** The indentation of the line an element starts on. */
export function lineIndent(text: string, el: XmlElement): string {
  const ls = lineStart(text, el.start);
  return /^[ \t]*/.exec(text.slice(ls, el.start))![0];
}

/** Whether an element's start and end tags are on one line (then children are inserted inline too). */
export function isInline(text: string, el: XmlElement): boolean {
  const close = el.endTagStart ?? el.startTagEnd;
  return text.slice(el.start, close).indexOf('\n') < 0;
}

/** The indentation a child of `parent` gets: that of an existing child on its own line, else one level more. */
export function childIndent(text: string, style: Style, parent: XmlElement): string {
  for (const c of parent.children) {
    if (c.kind === 'text') continue;
    const own = ownLineIndent(text, c.start);
    if (own !== undefined) return own;
  }
  return lineIndent(text, parent) + style.indentUnit;
}

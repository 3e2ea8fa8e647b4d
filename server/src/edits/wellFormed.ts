import type { XmlDocument, XmlElement, XmlNode } from '../parser/nodes';
import { parseXml } from '../parser/parser';
import { normalize, type OffsetEdit } from './textEdits';

/**
 * Whether edits leave the text at least as well-formed as it was: each stretch they touch is parsed on its own,
 * before and after, and the edits may not add a syntax error there (a fix into a half-typed attribute value must
 * not turn one error into three). Only the touched stretches are parsed: a fix in one device of a 2 MB domain
 * costs that device.
 */
export function keepsWellFormed(doc: XmlDocument, edits: OffsetEdit[]): boolean {
  const sorted = normalize(edits);
  const stretches: { start: number; end: number; edits: OffsetEdit[] }[] = [];
  for (const e of sorted) {
    const s = stretchOf(doc, e);
    const last = stretches[stretches.length - 1];
    if (last && s.start <= last.end) {
      last.end = Math.max(last.end, s.end);
      last.edits.push(e);
    } else stretches.push({ ...s, edits: [e] });
  }
  return stretches.every(({ start, end, edits }) => {
    let after = '';
    let at = start;
    for (const e of edits) {
      after += doc.text.slice(at, e.start) + e.text;
      at = e.end;
    }
    after += doc.text.slice(at, end);
    return syntaxErrors(after) <= syntaxErrors(doc.text.slice(start, end));
  });
}

/** Syntax errors of a stretch of content, wrapped in an element of its own so siblings and text are content. */
function syntaxErrors(content: string): number {
  return parseXml(`<_>${content}</_>`).errors.length;
}

/**
 * What an edit is parsed with: the innermost element holding it, whole when the edit touches a tag; when it lies in
 * the element's content, the children it touches (and the edit itself, between them).
 */
function stretchOf(doc: XmlDocument, e: OffsetEdit): { start: number; end: number } {
  let holder: XmlElement | undefined;
  for (let nodes: XmlNode[] = doc.children; ;) {
    const el = lastStartingBefore(nodes, e.start);
    if (!el || el.kind !== 'element' || e.end > el.end) break;
    holder = el;
    nodes = el.children;
  }
  if (!holder) return { start: 0, end: doc.text.length };
  const contentEnd = holder.endTagStart ?? holder.end;
  if (e.start < holder.startTagEnd || e.end > contentEnd || holder.selfClosing) return { start: holder.start, end: holder.end };
  let start = e.start;
  let end = e.end;
  for (const c of holder.children) {
    if (c.end < e.start || c.start > e.end) continue;
    start = Math.min(start, c.start);
    end = Math.max(end, c.end);
  }
  return { start, end };
}

/** The last node starting at or before `offset` (siblings are in document order). */
function lastStartingBefore(nodes: XmlNode[], offset: number): XmlNode | undefined {
  let lo = 0;
  let hi = nodes.length - 1;
  if (hi < 0 || nodes[0].start > offset) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (nodes[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return nodes[lo];
}

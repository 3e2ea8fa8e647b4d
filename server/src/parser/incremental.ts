import type { XmlDocument, XmlElement, XmlNode, XmlSyntaxError } from './nodes';
import { MAX_SYNTAX_ERRORS, parseContent, type ParseOptions } from './parser';

/** Beyond this share of the document, re-parsing a part saves too little to be worth it. */
const MAX_SHARE = 0.5;

/**
 * The tree of `text` built from `old`'s, re-parsing only the siblings an edit touched: what a keystroke costs then
 * grows with the edited element, not the document. Returns undefined when only a full parse can tell (the edit
 * touches the root's tags, the re-parsed part is not clean, `old` has as many syntax errors as are recorded), and
 * otherwise a tree equal to `parseXml(text, options)`'s, syntax errors included.
 *
 * Why a clean part may be re-parsed alone: the parser's state where it begins (the open elements: the edited
 * element's ancestors) and where it ends (the same, since everything opened in it is closed in it) is the same in
 * both texts, so the rest of the document parses exactly as before, errors elsewhere included.
 *
 * `old`'s nodes are reused and their offsets moved IN PLACE: afterwards `old` no longer describes `old.text`. Only
 * the owner of `old` (ParsedCache, which replaces it) may call this.
 */
export function reparse(old: XmlDocument, text: string, options: ParseOptions = {}): XmlDocument | undefined {
  const root = old.root;
  if (old.errors.length >= MAX_SYNTAX_ERRORS || !root) return undefined;
  const before = old.text;
  const start = commonPrefix(before, text);
  const tail = commonSuffix(before, text, Math.min(before.length, text.length) - start);
  const [oldEnd, delta] = [before.length - tail, text.length - before.length];
  if (start === oldEnd && delta === 0) return { ...old, text };

  let parent = root;
  if (!contains(before, parent, start, oldEnd)) return undefined;
  for (;;) {
    const c = parent.children[lastStartingAtOrBefore(parent.children, start)];
    if (c?.kind !== 'element' || !contains(before, c, start, oldEnd)) break;
    parent = c;
  }
  // every sibling the edit touches, the ones that end or begin right at its edges too
  const siblings = parent.children;
  const first = firstEndingAtOrAfter(siblings, start);
  const last = lastStartingAtOrBefore(siblings, oldEnd);
  const from = first <= last ? siblings[first].start : start;
  const to = first <= last ? siblings[last].end : oldEnd;
  if (to - from > MAX_SHARE * before.length) return undefined;

  // an element closed by recovery where the part begins was closed by the part's first tag, which may change
  const [prev, next] = [siblings[first - 1], siblings[last + 1]];
  if (prev?.kind === 'element' && !prev.wellFormed) return undefined;
  // an end tag that closes nothing leaves no node: the part must meet its neighbours with no such gap between
  if (from !== (prev ? prev.end : parent.startTagEnd) || to !== (next ? next.start : parent.endTagStart)) return undefined;
  const { nodes, stand, clean } = parseContent(detached(text, from, to + delta), parent, options);
  if (!clean) return undefined;
  // a parse of the whole text would merge text next to text into one node
  const [head, end] = [nodes[0] ?? next, nodes[nodes.length - 1] ?? prev];
  if ((prev?.kind === 'text' && head?.kind === 'text') || (next?.kind === 'text' && end?.kind === 'text')) return undefined;
  const errors = keptErrors(old.errors, from, to, delta);
  if (!errors) return undefined;

  shiftTree(nodes, 0, from);
  for (const n of nodes) if (n.kind === 'element' && n.parent === stand) n.parent = parent;
  if (delta) shiftAfter(old, parent, last + 1, delta);
  // a spread of very many nodes into splice's arguments would overflow the stack
  if (nodes.length < 1024) siblings.splice(first, last - first + 1, ...nodes);
  else parent.children = siblings.slice(0, first).concat(nodes, siblings.slice(last + 1));
  return { text, children: old.children, root, errors };
}

/**
 * text[from, to) as a string of its own. A slice keeps its whole parent alive, and values sliced from the part live
 * on in the tree: each edit would keep one more copy of the document. Flattening a concatenation copies the part.
 */
function detached(text: string, from: number, to: number): string {
  return (' ' + text.slice(from, to)).slice(1);
}

/**
 * The syntax errors outside the re-parsed part [from, to), in their order, those after it moved by `delta`. The
 * part's own errors go (it is clean now): those found in it, and those found later about its elements (an element
 * left open is reported where it was closed); undefined when an error straddles the part's edge.
 */
function keptErrors(errors: XmlSyntaxError[], from: number, to: number, delta: number): XmlSyntaxError[] | undefined {
  const kept: XmlSyntaxError[] = [];
  for (const e of errors) {
    if (e.end <= from && e.start < from) kept.push(e);
    else if (e.start >= to) kept.push(delta ? { ...e, start: e.start + delta, end: e.end + delta } : e);
    else if (e.start < from) return undefined;
  }
  return kept;
}

/**
 * Whether [start, end] lies within the element's content: between its start tag's '>' and its end tag's '<'. A
 * start tag left unclosed ends where the scanner gave up, so an edit there may still belong to the tag.
 */
function contains(text: string, el: XmlElement, start: number, end: number): boolean {
  return (
    el.endTagStart !== undefined && el.startTagEnd <= start && end <= el.endTagStart && text.charCodeAt(el.startTagEnd - 1) === GT
  );
}

const GT = 0x3e;

/** Index of the last node starting at or before `offset` (-1 when none): siblings are in document order. */
function lastStartingAtOrBefore(nodes: XmlNode[], offset: number): number {
  let [lo, hi] = [0, nodes.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid].start <= offset) lo = mid + 1;
    else hi = mid - 1;
  }
  return hi;
}

/** Index of the first node ending at or after `offset` (nodes.length when none). */
function firstEndingAtOrAfter(nodes: XmlNode[], offset: number): number {
  let [lo, hi] = [0, nodes.length - 1];
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (nodes[mid].end >= offset) hi = mid - 1;
    else lo = mid + 1;
  }
  return lo;
}

/** Moves by `delta` everything after the edit: later siblings of the edited part, and each ancestor's end and later siblings. */
function shiftAfter(doc: XmlDocument, parent: XmlElement, index: number, delta: number): void {
  let el: XmlElement | undefined = parent;
  let siblings = parent.children;
  while (el) {
    shiftTree(siblings, index, delta);
    el.endTagStart! += delta;
    el.end += delta;
    siblings = el.parent ? el.parent.children : doc.children;
    index = lastStartingAtOrBefore(siblings, el.start) + 1;
    el = el.parent;
  }
  shiftTree(siblings, index, delta);
}

/** Adds `delta` to every offset of nodes[index…] and their descendants (iterative: nesting depth is the input's). */
function shiftTree(nodes: XmlNode[], index: number, delta: number): void {
  const pending: XmlNode[] = [];
  for (let k = nodes.length - 1; k >= index; k--) pending.push(nodes[k]);
  for (let n = pending.pop(); n; n = pending.pop()) {
    n.start += delta;
    n.end += delta;
    if (n.kind !== 'element') continue;
    n.nameStart += delta;
    n.nameEnd += delta;
    n.startTagEnd += delta;
    if (n.endTagStart !== undefined) n.endTagStart += delta;
    for (const a of n.attributes) {
      a.nameStart += delta;
      a.nameEnd += delta;
      a.valueStart += delta;
      a.valueEnd += delta;
    }
    for (const c of n.children) pending.push(c);
  }
}

/** Chunks first: comparing two slices runs in native code, a loop over characters does not. */
const CHUNKS = [65536, 4096, 256];

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (const size of CHUNKS) while (i + size <= n && a.slice(i, i + size) === b.slice(i, i + size)) i += size;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** Length of the common suffix, at most `max` (so that it never overlaps the common prefix). */
function commonSuffix(a: string, b: string, max: number): number {
  let k = 0;
  for (const size of CHUNKS)
    while (k + size <= max && a.slice(a.length - k - size, a.length - k) === b.slice(b.length - k - size, b.length - k))
      k += size;
  while (k < max && a.charCodeAt(a.length - 1 - k) === b.charCodeAt(b.length - 1 - k)) k++;
  return k;
}

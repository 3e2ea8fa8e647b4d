import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';

/** A replacement of text[start, end) by `text`, in offsets of one version of the document. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Sorts edits and merges insertions at one offset (in the order they were made) with each other and with a
 * replacement starting there, so the result is non-overlapping and unambiguous. Overlaps are a builder bug.
 */
export function normalize(edits: OffsetEdit[]): OffsetEdit[] {
  const sorted = edits
    .map((e, i) => ({ ...e, i }))
    .sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || a.i - b.i);
  const out: OffsetEdit[] = [];
  for (const e of sorted) {
    const last = out[out.length - 1];
    if (last && last.start === e.start && last.end === last.start) {
      last.text += e.text;
      last.end = e.end;
    } else if (last && e.start < last.end) {
      throw new Error(`overlapping edits at ${e.start}`);
    } else {
      out.push({ start: e.start, end: e.end, text: e.text });
    }
  }
  return out.filter((e) => e.start !== e.end || e.text !== '');
}

export function applyEdits(text: string, edits: OffsetEdit[]): string {
  let out = '';
  let at = 0;
  for (const e of normalize(edits)) {
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

export function toTextEdits(document: TextDocument, edits: OffsetEdit[]): TextEdit[] {
  return normalize(edits).map((e) => ({
    range: { start: document.positionAt(e.start), end: document.positionAt(e.end) },
    newText: e.text,
  }));
}

type Piece = { orig: true; start: number; end: number } | { orig: false; text: string };

/**
 * Edits made one round after another, each against the text the previous rounds produced, expressed as one
 * set of edits against the original text (a piece table: what still is original text, and what is new).
 */
export class EditHistory {
  private pieces: Piece[];

  constructor(private readonly original: string) {
    this.pieces = original.length ? [{ orig: true, start: 0, end: original.length }] : [];
  }

  text(): string {
    return this.pieces.map((p) => (p.orig ? this.original.slice(p.start, p.end) : p.text)).join('');
  }

  /** Applies edits given in offsets of the current text(). */
  apply(edits: OffsetEdit[]): void {
    for (const e of normalize(edits).reverse()) this.splice(e);
  }

  private splice(e: OffsetEdit): void {
    const out: Piece[] = [];
    let at = 0;
    let inserted = false;
    const insert = () => {
      if (!inserted && e.text) out.push({ orig: false, text: e.text });
      inserted = true;
    };
    for (const p of this.pieces) {
      const len = p.orig ? p.end - p.start : p.text.length;
      const from = at;
      const to = at + len;
      at = to;
      if (to <= e.start) {
        out.push(p);
        continue;
      }
      if (from >= e.end) {
        insert();
        out.push(p);
        continue;
      }
      // the piece overlaps the edit: keep what lies outside it
      if (from < e.start) out.push(slice(p, 0, e.start - from));
      insert();
      if (to > e.end) out.push(slice(p, e.end - from, len));
    }
    insert();
    this.pieces = out;
  }

  /** The edits against the original text, each trimmed to what really changed. */
  edits(): OffsetEdit[] {
    const out: OffsetEdit[] = [];
    let origAt = 0;
    let pending = '';
    const flush = (upTo: number) => {
      if (upTo !== origAt || pending) out.push(trim({ start: origAt, end: upTo, text: pending }, this.original));
      pending = '';
    };
    for (const p of this.pieces) {
      if (!p.orig) {
        pending += p.text;
        continue;
      }
      flush(p.start);
      origAt = p.end;
    }
    flush(this.original.length);
    return out.filter((e) => e.start !== e.end || e.text !== '');
  }
}

function slice(p: Piece, from: number, to: number): Piece {
  return p.orig ? { orig: true, start: p.start + from, end: p.start + to } : { orig: false, text: p.text.slice(from, to) };
}

/** Drops the common prefix and suffix of what an edit replaces and what it writes. */
function trim(e: OffsetEdit, original: string): OffsetEdit {
  let { start, end, text } = e;
  while (start < end && text.length && original[start] === text[0]) {
    start++;
    text = text.slice(1);
  }
  while (start < end && text.length && original[end - 1] === text[text.length - 1]) {
    end--;
    text = text.slice(0, -1);
  }
  return { start, end, text };
}

/** LSP TextEdits back to offsets of the document they apply to. */
export function toOffsetEdits(document: TextDocument, edits: TextEdit[]): OffsetEdit[] {
  return edits.map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), text: e.newText }));
}

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

  /** Applies edits given in offsets of the current text(): one pass over the pieces, however many edits. */
  apply(edits: OffsetEdit[]): void {
    const pieces = this.pieces;
    const out: Piece[] = [];
    let i = 0;
    let pieceFrom = 0;
    let pos = 0;
    /** Moves `pos` to `upTo` over the current text, keeping (or dropping) what it passes. */
    const advance = (upTo: number, keep: boolean) => {
      while (pos < upTo && i < pieces.length) {
        const p = pieces[i];
        const pieceEnd = pieceFrom + length(p);
        const to = Math.min(pieceEnd, upTo);
        if (keep) out.push(pos === pieceFrom && to === pieceEnd ? p : slice(p, pos - pieceFrom, to - pieceFrom));
        pos = to;
        if (pos === pieceEnd) {
          i++;
          pieceFrom = pieceEnd;
        }
      }
    };
    for (const e of normalize(edits)) {
      advance(e.start, true);
      if (e.text) out.push({ orig: false, text: e.text });
      advance(e.end, false);
    }
    advance(Infinity, true);
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

function length(p: Piece): number {
  return p.orig ? p.end - p.start : p.text.length;
}

function slice(p: Piece, from: number, to: number): Piece {
  return p.orig ? { orig: true, start: p.start + from, end: p.start + to } : { orig: false, text: p.text.slice(from, to) };
}

/** Drops the common prefix and suffix of what an edit replaces and what it writes. */
function trim(e: OffsetEdit, original: string): OffsetEdit {
  let { start, end } = e;
  let from = 0;
  let to = e.text.length;
  while (start < end && from < to && original.charCodeAt(start) === e.text.charCodeAt(from)) {
    start++;
    from++;
  }
  while (start < end && from < to && original.charCodeAt(end - 1) === e.text.charCodeAt(to - 1)) {
    end--;
    to--;
  }
  return { start, end, text: e.text.slice(from, to) };
}

/** LSP TextEdits back to offsets of the document they apply to. */
export function toOffsetEdits(document: TextDocument, edits: TextEdit[]): OffsetEdit[] {
  return edits.map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), text: e.newText }));
}

import { normalize, type OffsetEdit } from './textEdits';

const CONTEXT = 3;

/** Old lines [from, to) and the edits inside them. */
interface Block {
  from: number;
  to: number;
  edits: OffsetEdit[];
  newLines: string[];
}

/**
 * A unified diff (`diff -u` format, applicable with `patch`) of `edits` applied to `text`. Lines keep their
 * `\r` (as GNU diff prints CRLF files); a missing final newline is marked as diff marks it.
 */
export function unifiedDiff(text: string, edits: OffsetEdit[], oldName: string, newName: string): string {
  const changes = normalize(edits);
  if (changes.length === 0) return '';
  const oldLines = splitLines(text);
  const starts: number[] = [];
  let at = 0;
  for (const l of oldLines) {
    starts.push(at);
    at += l.length;
  }
  const lineOf = (offset: number) => {
    let lo = 0,
      hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  let blocks: Block[] = [];
  for (const e of changes) {
    const from = lineOf(e.start);
    const to = (e.end > e.start ? lineOf(e.end - 1) : from) + 1;
    const last = blocks[blocks.length - 1];
    if (last && from < last.to) {
      last.to = Math.max(last.to, to);
      last.edits.push(e);
    } else blocks.push({ from, to, edits: [e], newLines: [] });
  }
  for (const b of blocks) {
    const end = b.to < starts.length ? starts[b.to] : text.length;
    let s = '';
    let pos = starts[b.from] ?? 0;
    for (const e of b.edits) {
      s += text.slice(pos, e.start) + e.text;
      pos = e.end;
    }
    b.newLines = splitLines(s + text.slice(pos, end));
    // an insertion at a line start leaves that line as it was: keep it as context
    while (b.from < b.to && b.newLines.length && oldLines[b.from] === b.newLines[0]) {
      b.from++;
      b.newLines.shift();
    }
    while (b.to > b.from && b.newLines.length && oldLines[b.to - 1] === b.newLines[b.newLines.length - 1]) {
      b.to--;
      b.newLines.pop();
    }
  }
  blocks = blocks.filter((b) => b.from < b.to || b.newLines.length);
  if (blocks.length === 0) return '';

  let out = `--- ${oldName}\n+++ ${newName}\n`;
  let shift = 0; // lines added minus lines removed before the current hunk
  for (let i = 0; i < blocks.length;) {
    let j = i;
    while (j + 1 < blocks.length && blocks[j + 1].from - blocks[j].to <= 2 * CONTEXT) j++;
    const from = Math.max(0, blocks[i].from - CONTEXT);
    const to = Math.min(oldLines.length, blocks[j].to + CONTEXT);
    const newStart = from + shift;
    const body: string[] = [];
    let oldCount = 0,
      newCount = 0,
      cursor = from;
    for (const b of blocks.slice(i, j + 1)) {
      for (; cursor < b.from; cursor++, oldCount++, newCount++) body.push(line(' ', oldLines[cursor]));
      for (; cursor < b.to; cursor++, oldCount++) body.push(line('-', oldLines[cursor]));
      for (const l of b.newLines) {
        body.push(line('+', l));
        newCount++;
      }
      shift += b.newLines.length - (b.to - b.from);
    }
    for (; cursor < to; cursor++, oldCount++, newCount++) body.push(line(' ', oldLines[cursor]));
    out += `@@ -${range(from, oldCount)} +${range(newStart, newCount)} @@\n${body.join('')}`;
    i = j + 1;
  }
  return out;
}

/** Lines with their line breaks; a last line without one is kept. */
function splitLines(s: string): string[] {
  const out = s.split(/(?<=\n)/);
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function line(mark: string, l: string): string {
  return l.endsWith('\n') ? mark + l : `${mark}${l}\n\\ No newline at end of file\n`;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start + 1}` : `${count === 0 ? start : start + 1},${count}`;
}

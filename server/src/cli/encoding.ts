/**
 * How the CLI turns a file's bytes into text. libvirt reads UTF-8 only: `virsh define` and `virsh migrate --xml`
 * read the file as a C string (a UTF-16 domain fails with "Start tag expected"), and libxml2 refuses bytes that are
 * not UTF-8 ("Input is not proper UTF-8"). The CLI refuses both, saying so, rather than replace what it cannot
 * read by U+FFFD and write that back. A UTF-8 byte order mark stays in the text (U+FEFF, which the parser skips),
 * so every byte of a file round-trips.
 */
import { isUtf8 } from 'node:buffer';

export type Decoded = { text: string; error?: undefined } | { error: string; text?: undefined };

const UTF8_ONLY = 'virsh define and virsh migrate --xml read UTF-8 only';
/** A UTF-16 byte order mark, or '<' in UTF-16 without one (as libxml2 detects it). */
const UTF16_STARTS = [
  [0xff, 0xfe],
  [0xfe, 0xff],
  [0x3c, 0x00],
  [0x00, 0x3c],
];

export function decode(bytes: Uint8Array): Decoded {
  if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff]) || startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]))
    return { error: `UTF-32 is not supported: ${UTF8_ONLY} (convert it: iconv -f UTF-32 -t UTF-8)` };
  if (UTF16_STARTS.some((p) => startsWith(bytes, p)))
    return { error: `UTF-16 is not supported: ${UTF8_ONLY} (convert it: iconv -f UTF-16 -t UTF-8)` };
  // Node's own check (native) first; ours only to say where the first bad byte is
  if (isUtf8(bytes)) return { text: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') };
  const bad = invalidUtf8(bytes);
  return {
    error: `not valid UTF-8${bad >= 0 ? `: ${where(bytes, bad)}` : ''}; ${UTF8_ONLY} (convert it, e.g. iconv -f LATIN1 -t UTF-8)`,
  };
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

/**
 * For a lead byte of UTF-8: how many continuation bytes follow, and the range the first of them must lie in
 * (which rules out overlong forms, surrogates and code points past U+10FFFF); undefined for an invalid lead byte.
 */
function sequence(c: number): [number, number, number] | undefined {
  if (c >= 0xc2 && c <= 0xdf) return [1, 0x80, 0xbf];
  if (c === 0xe0) return [2, 0xa0, 0xbf];
  if (c === 0xed) return [2, 0x80, 0x9f];
  if (c >= 0xe1 && c <= 0xef) return [2, 0x80, 0xbf];
  if (c === 0xf0) return [3, 0x90, 0xbf];
  if (c >= 0xf1 && c <= 0xf3) return [3, 0x80, 0xbf];
  if (c === 0xf4) return [3, 0x80, 0x8f];
  return undefined;
}

/** Offset of the first byte that does not begin a valid UTF-8 sequence (RFC 3629), or -1. */
function invalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    if (b[i] < 0x80) {
      i++;
      continue;
    }
    const seq = sequence(b[i]);
    if (!seq || i + seq[0] >= b.length || b[i + 1] < seq[1] || b[i + 1] > seq[2]) return i;
    for (let k = 2; k <= seq[0]; k++) if (b[i + k] < 0x80 || b[i + k] > 0xbf) return i;
    i += seq[0] + 1;
  }
  return -1;
}

/** `byte 0xE9 at line 3, column 12`: 1-based, the column in bytes. */
function where(bytes: Uint8Array, offset: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return `byte 0x${bytes[offset].toString(16).toUpperCase().padStart(2, '0')} at line ${line}, column ${offset - lineStart + 1}`;
}

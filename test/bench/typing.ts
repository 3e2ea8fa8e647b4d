import type { Position, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Where a keystroke lands: an alias being renamed (findings change), or a comment (findings stay). */
export type Place = 'alias' | 'comment';

export function placeOf(text: string, place: Place): number {
  const pair = Math.floor(text.split('\n').length / 80);
  const anchor = place === 'alias' ? `<alias name='ua-net${pair}` : `<!-- tenant network ${pair}`;
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`the generated domain has no ${anchor}`);
  return at + anchor.length;
}

/** Alternately types 'x' at `offset` and deletes it again: every other version is the original text. */
export function keystrokes(text: string, offset: number): (i: number) => { range: Range; text: string } {
  const doc = TextDocument.create('file:///x', 'xml', 1, text);
  const at = doc.positionAt(offset);
  const after: Position = { line: at.line, character: at.character + 1 };
  return (i) => (i % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: after }, text: '' });
}

import type { Position, Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * Where a keystroke lands: an alias being renamed (findings change), a comment (findings stay), or an alias while
 * another element is half-typed (a syntax error, so every keystroke needs a full parse).
 */
export type Place = 'alias' | 'comment' | 'broken';

/** A start tag being typed at the end of <devices>: the document is not well-formed until it is finished. */
export function halfTyped(text: string): string {
  const at = text.lastIndexOf('  </devices>');
  return `${text.slice(0, at)}    <interface type='network'>\n      <source network='def\n${text.slice(at)}`;
}

export function placeOf(text: string, place: Place): number {
  const pair = Math.floor(text.split('\n').length / 80);
  const anchor = place === 'comment' ? `<!-- tenant network ${pair}` : `<alias name='ua-net${pair}`;
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

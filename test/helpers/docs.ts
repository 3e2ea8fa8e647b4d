import { TextDocument } from 'vscode-languageserver-textdocument';
import type { XmlDocument } from '../../server/src/parser/nodes';
import { parse, type Parsed } from '../../server/src/service';

/**
 * The test tiers' one way to make documents: an editor document, its parse, a cursor marked `|` in a source, and
 * a small domain around some devices.
 */

export function doc(text: string, uri = 'file:///test.xml', version = 1): TextDocument {
  return TextDocument.create(uri, 'xml', version, text);
}

/** The document and its parse, as the server would hold them. */
export function parsed(text: string, uri = 'file:///test.xml'): Parsed {
  return parse(doc(text, uri));
}

/** The syntax tree of a text. */
export function xml(text: string): XmlDocument {
  return parsed(text).xml;
}

/** A source with one `|` marking the cursor: the text without it, and the cursor's offset. */
export function cursor(source: string): { text: string; offset: number } {
  const offset = source.indexOf('|');
  if (offset < 0) throw new Error('no cursor marker | in the source');
  return { text: source.slice(0, offset) + source.slice(offset + 1), offset };
}

/**
 * A small q35 domain around `devices` (each device on its own lines, indented four spaces). `head` goes before
 * `<devices>`, indented two spaces.
 */
export function domain(devices: string, head = ''): string {
  return `<domain type='kvm'>\n  <name>t</name>\n  <memory unit='KiB'>1048576</memory>\n${head}  <devices>\n${devices}  </devices>\n</domain>\n`;
}

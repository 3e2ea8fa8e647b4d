/** Offsets are UTF-16 code-unit indexes into the document text, `end` exclusive. */
export interface Span {
  start: number;
  end: number;
}

export interface XmlAttribute {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** Decoded value (predefined and numeric character references resolved), or null when the attribute has none. */
  value: string | null;
  /** Span of the value between the quotes (empty span right after `=` when the value is missing). */
  valueStart: number;
  valueEnd: number;
  /** The quote character used, '' when unquoted or missing. */
  quote: '"' | "'" | '';
}

export interface XmlElement {
  kind: 'element';
  name: string;
  /** Offset of '<'. */
  start: number;
  nameStart: number;
  nameEnd: number;
  /** Offset just after the start tag's '>' (or where the scanner gave up on an unterminated start tag). */
  startTagEnd: number;
  /** Offset of '</' of the end tag, when there is one. */
  endTagStart: number | undefined;
  /** Offset after the whole element (after the end tag's '>', or where recovery closed it). */
  end: number;
  selfClosing: boolean;
  /** False when the element was closed by recovery (missing or mismatched end tag, end of input). */
  wellFormed: boolean;
  attributes: XmlAttribute[];
  children: XmlNode[];
  parent: XmlElement | undefined;
}

export interface XmlLeaf extends Span {
  kind: 'text' | 'comment' | 'cdata' | 'pi' | 'doctype';
}

export type XmlNode = XmlElement | XmlLeaf;

export interface XmlSyntaxError extends Span {
  message: string;
  severity: 'error' | 'warning';
}

export interface XmlDocument {
  text: string;
  /** Top-level nodes in document order. */
  children: XmlNode[];
  /** The first top-level element. */
  root: XmlElement | undefined;
  errors: XmlSyntaxError[];
}

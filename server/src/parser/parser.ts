import { editDistance } from '../util/distance';
import type { XmlAttribute, XmlDocument, XmlElement, XmlLeaf, XmlNode, XmlSyntaxError } from './nodes';

/** Beyond this many, syntax errors stop being recorded (binary junk would otherwise produce one per byte). */
export const MAX_SYNTAX_ERRORS = 100;

const LT = 0x3c,
  GT = 0x3e,
  SLASH = 0x2f,
  EQ = 0x3d,
  QUOT = 0x22,
  APOS = 0x27,
  AMP = 0x26,
  QMARK = 0x3f,
  BANG = 0x21;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;
}

const INVALID_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/;
const PREDEFINED: ReadonlyMap<string, string> = new Map([
  ['lt', '<'],
  ['gt', '>'],
  ['amp', '&'],
  ['quot', '"'],
  ['apos', "'"],
]);
/** Character or entity reference: `&name;`, `&#123;`, `&#x1F;`. */
const REFERENCE = /&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][-A-Za-z0-9._:]*);/y;

export interface ParseOptions {
  /**
   * Recovery knowledge of the vocabulary: whether a start tag `<name>` found inside the open element `open` means
   * that `open` was left unclosed (for example a device inside a device of the same kind).
   */
  implicitlyCloses?: (open: XmlElement, name: string) => boolean;
}

/**
 * A tolerant, position-aware XML parser for the editor. It never throws, records the offset of every tag,
 * attribute name and value, recovers from unclosed, mismatched and half-typed tags, and never expands
 * entities or reads anything a DOCTYPE names: only the five predefined entities and character references
 * are decoded; any other reference is reported.
 */
export function parseXml(text: string, options: ParseOptions = {}): XmlDocument {
  return new Parser(text, options.implicitlyCloses).parse();
}

/**
 * Parses `text` as content of `context` (an element of a parsed document whose content it replaces), for an
 * incremental re-parse. The nodes' offsets are relative to `text`; their parent is a stand-in for `context` (same
 * name, attributes and parent, so recovery decides as it would there). `clean` says that a parse of the whole
 * document would build exactly these nodes: no syntax error, everything opened in `text` closed in it, and
 * `context` itself never closed.
 */
export function parseContent(
  text: string,
  context: XmlElement,
  options: ParseOptions = {},
): { nodes: XmlNode[]; stand: XmlElement; clean: boolean } {
  const stand: XmlElement = { ...context, children: [] };
  const parser = new Parser(text, options.implicitlyCloses, stand);
  const doc = parser.parse();
  return { nodes: stand.children, stand, clean: doc.errors.length === 0 && parser.contextStayedOpen() };
}

class Parser {
  private pos = 0;
  private readonly n: number;
  private readonly errors: XmlSyntaxError[] = [];
  private readonly top: XmlNode[] = [];
  private readonly stack: XmlElement[] = [];
  /** How many elements of each name are open, so an end tag with no open match costs no stack walk. */
  private readonly openNames = new Map<string, number>();
  private root: XmlElement | undefined;
  private contextClosed = false;
  /**
   * The children of the open elements, by depth, and the attributes of the start tag being read: gathered here and
   * copied once into arrays of their exact size when complete (arrays grown by push keep room for 16 and more, the
   * largest share of a tree's memory, which every keystroke's parse would allocate and the collector copy).
   */
  private readonly kids: XmlNode[][] = [];
  private readonly counts: number[] = [];
  private readonly attrs: XmlAttribute[] = [];
  private attrCount = 0;

  constructor(
    private readonly text: string,
    private readonly implicitlyCloses?: ParseOptions['implicitlyCloses'],
    /** When parsing content (parseContent): the open element it belongs to, bottom of the stack throughout. */
    private readonly context?: XmlElement,
  ) {
    this.n = text.length;
    if (context) {
      this.open(context);
      this.openNames.set(context.name, 1);
    }
  }

  contextStayedOpen(): boolean {
    return !this.contextClosed && this.top.length === 0;
  }

  parse(): XmlDocument {
    const { text } = this;
    if (text.charCodeAt(0) === 0xfeff && !this.context) this.pos = 1;
    while (this.pos < this.n) {
      const lt = text.indexOf('<', this.pos);
      const textEnd = lt < 0 ? this.n : lt;
      if (textEnd > this.pos) this.textNode(this.pos, textEnd);
      if (lt < 0) break;
      this.pos = lt;
      const c1 = text.charCodeAt(lt + 1);
      if (c1 === BANG) this.bang();
      else if (c1 === QMARK) this.processingInstruction();
      else if (c1 === SLASH) this.endTag();
      else if (isNameStart(c1)) this.startTag();
      else {
        this.error(lt, lt + 1, "'<' must start a tag: write '&lt;' for a literal '<'");
        this.textNode(lt, lt + 1);
        this.pos = lt + 1;
      }
    }
    if (this.context && this.stack[0] !== this.context) this.contextClosed = true;
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const el = this.stack[i];
      this.close(i);
      if (i === 0 && this.context && !this.contextClosed) break;
      this.error(el.nameStart, el.nameEnd, `<${el.name}> is not closed: the document ends before </${el.name}>`);
      el.end = this.n;
      el.wellFormed = false;
    }
    this.stack.length = 0;
    if (!this.root && !this.context) this.error(0, 0, 'the document has no root element');
    return { text, children: this.top, root: this.root, errors: this.errors };
  }

  private error(start: number, end: number, message: string, severity: 'error' | 'warning' = 'error'): void {
    if (this.errors.length < MAX_SYNTAX_ERRORS) {
      this.errors.push({ start, end, message, severity });
    } else if (this.errors.length === MAX_SYNTAX_ERRORS) {
      this.errors.push({
        start,
        end,
        message: `more than ${MAX_SYNTAX_ERRORS} syntax errors: the rest are not reported`,
        severity,
      });
    }
  }

  private append(node: XmlNode): void {
    const depth = this.stack.length - 1;
    if (depth >= 0) {
      this.kids[depth][this.counts[depth]++] = node;
      if (node.kind === 'element') node.parent = this.stack[depth];
    } else {
      this.top.push(node);
    }
  }

  private open(el: XmlElement): void {
    this.kids[this.stack.length] ??= [];
    this.counts[this.stack.length] = 0;
    this.stack.push(el);
  }

  /** Gives the open element at `depth` its children; the caller takes it (and all above it) off the stack. */
  private close(depth: number): void {
    // the scratch array keeps its length (and room): shrinking it would make every element grow one again
    if (this.counts[depth]) this.stack[depth].children = this.kids[depth].slice(0, this.counts[depth]);
  }

  private leaf(kind: XmlLeaf['kind'], start: number, end: number): void {
    this.append({ kind, start, end });
  }

  private textNode(start: number, end: number): void {
    const { text } = this;
    if (this.stack.length === 0) {
      for (let i = start; i < end; i++) {
        if (!isSpace(text.charCodeAt(i))) {
          this.error(i, Math.min(end, i + 1), this.root ? 'text after the root element' : 'text before the root element');
          break;
        }
      }
    }
    this.checkContent(start, end);
    this.leaf('text', start, end);
  }

  /**
   * Reports characters XML forbids, bare '&', references to characters XML forbids, and references to entities
   * other than the five predefined ones (never expanded). Searches stay inside [start, end): a search running
   * to the end of the document for every text node would make big documents quadratic.
   */
  /** A linear scan for the few attributes of a tag; a set only for the rare tag with very many (hostile input). */
  private isRepeated(el: XmlElement, name: string): boolean {
    const attrs = this.attrs;
    const count = this.attrCount;
    if (count > 16) {
      const names = (this.attributeNames ??= new WeakMap()).get(el) ?? new Set(attrs.slice(0, count).map((a) => a.name));
      this.attributeNames.set(el, names);
      const repeated = names.has(name);
      names.add(name);
      return repeated;
    }
    for (let k = 0; k < count; k++) if (attrs[k].name === name) return true;
    return false;
  }

  private attributeNames: WeakMap<XmlElement, Set<string>> | undefined;

  private checkContent(start: number, end: number): void {
    if (!needsContentCheck(this.text, start, end)) return;
    const slice = this.text.slice(start, end);
    const m = INVALID_CHAR.exec(slice);
    if (m) {
      const at = start + m.index;
      const code = slice.charCodeAt(m.index).toString(16).padStart(4, '0');
      this.error(at, at + 1, `character U+${code.toUpperCase()} is not allowed in XML`);
    }
    for (let amp = slice.indexOf('&'); amp >= 0; amp = slice.indexOf('&', amp + 1)) {
      REFERENCE.lastIndex = amp;
      const ref = REFERENCE.exec(slice);
      const at = start + amp;
      if (!ref) {
        this.error(at, at + 1, "'&' must start a reference: write '&amp;' for a literal '&'");
      } else if (ref[1][0] === '#') {
        if (!isXmlChar(referencedCode(ref[1])))
          this.error(at, at + ref[0].length, `'${ref[0]}' refers to a character that is not allowed in XML`);
      } else if (!PREDEFINED.has(ref[1])) {
        this.error(
          at,
          at + ref[0].length,
          `entity '&${ref[1]};' is not expanded: only &lt; &gt; &amp; &quot; &apos; and character references are`,
        );
      }
    }
  }

  private bang(): void {
    const { text } = this;
    const start = this.pos;
    if (text.startsWith('<!--', start)) {
      const close = text.indexOf('-->', start + 4);
      const end = close < 0 ? this.n : close + 3;
      if (close < 0) this.error(start, start + 4, 'comment is not closed: missing -->');
      else {
        const dd = text.indexOf('--', start + 4);
        if (dd >= 0 && dd < close) this.error(dd, dd + 2, "'--' is not allowed inside a comment");
      }
      this.leaf('comment', start, end);
      this.pos = end;
    } else if (text.startsWith('<![CDATA[', start)) {
      const close = text.indexOf(']]>', start + 9);
      const end = close < 0 ? this.n : close + 3;
      if (close < 0) this.error(start, start + 9, 'CDATA section is not closed: missing ]]>');
      if (this.stack.length === 0) this.error(start, start + 9, 'CDATA section outside the root element');
      this.leaf('cdata', start, end);
      this.pos = end;
    } else if (text.startsWith('<!DOCTYPE', start)) {
      const end = this.skipDoctype(start + 9);
      this.error(start, start + 9, 'DOCTYPE is ignored: its entities are never expanded and nothing it names is read', 'warning');
      if (this.root || this.stack.length) this.error(start, start + 9, 'DOCTYPE must come before the root element');
      this.leaf('doctype', start, end);
      this.pos = end;
    } else {
      this.error(start, start + 2, "'<!' must start a comment (<!--), CDATA section or DOCTYPE");
      this.textNode(start, start + 2);
      this.pos = start + 2;
    }
  }

  /** Skips a DOCTYPE declaration, with quoted literals and an internal subset in brackets. */
  private skipDoctype(from: number): number {
    const { text } = this;
    let depth = 0;
    for (let i = from; i < this.n; i++) {
      const c = text.charCodeAt(i);
      if (c === LT && text.startsWith('<!--', i)) {
        const close = text.indexOf('-->', i + 4);
        if (close < 0) break;
        i = close + 2;
      } else if (c === QUOT || c === APOS) {
        const close = text.indexOf(String.fromCharCode(c), i + 1);
        if (close < 0) break;
        i = close;
      } else if (c === 0x5b) depth++;
      else if (c === 0x5d) depth--;
      else if (c === GT && depth <= 0) return i + 1;
    }
    this.error(from - 9, from, 'DOCTYPE is not closed');
    return this.n;
  }

  private processingInstruction(): void {
    const { text } = this;
    const start = this.pos;
    const close = text.indexOf('?>', start + 2);
    const end = close < 0 ? this.n : close + 2;
    if (close < 0) this.error(start, start + 2, 'processing instruction is not closed: missing ?>');
    const isDecl = /^<\?xml[\s?]/i.test(text.slice(start, start + 6));
    if (isDecl && (this.context || start > (text.charCodeAt(0) === 0xfeff ? 1 : 0))) {
      this.error(start, start + 5, 'the XML declaration must be at the very start of the document');
    }
    this.leaf('pi', start, end);
    this.pos = end;
  }

  private readName(from: number): number {
    let i = from;
    while (i < this.n && isNameChar(this.text.charCodeAt(i))) i++;
    return i;
  }

  private skipSpace(from: number): number {
    let i = from;
    while (i < this.n && isSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  private startTag(): void {
    const { text } = this;
    const start = this.pos;
    const nameStart = start + 1;
    const nameEnd = this.readName(nameStart);
    const el: XmlElement = {
      kind: 'element',
      name: text.slice(nameStart, nameEnd),
      start,
      nameStart,
      nameEnd,
      startTagEnd: nameEnd,
      endTagStart: undefined,
      end: nameEnd,
      selfClosing: false,
      wellFormed: true,
      attributes: [],
      children: [],
      parent: undefined,
    };
    if (this.stack.length === 0) {
      if (this.root) this.error(nameStart, nameEnd, `only one root element is allowed: <${el.name}> follows <${this.root.name}>`);
      else this.root = el;
    }
    const open = this.stack[this.stack.length - 1];
    if (open && this.implicitlyCloses?.(open, el.name)) {
      // a half-typed element (no end tag yet) must not swallow the siblings after it
      this.error(open.nameStart, open.nameEnd, `<${open.name}> is not closed before the next <${el.name}>`);
      open.end = start;
      open.wellFormed = false;
      this.close(this.stack.length - 1);
      this.stack.pop();
    }
    this.append(el);
    this.attrCount = 0;
    let i = nameEnd;
    let closed = false;
    while (i < this.n) {
      const afterSpace = this.skipSpace(i);
      const c = text.charCodeAt(afterSpace);
      if (c === GT) {
        i = afterSpace + 1;
        closed = true;
        break;
      }
      if (c === SLASH && text.charCodeAt(afterSpace + 1) === GT) {
        i = afterSpace + 2;
        el.selfClosing = true;
        closed = true;
        break;
      }
      if (c === LT || afterSpace >= this.n) {
        i = afterSpace;
        break;
      }
      if (!isNameStart(c)) {
        this.error(afterSpace, afterSpace + 1, `unexpected '${text[afterSpace]}' in the start tag of <${el.name}>`);
        i = afterSpace + 1;
        continue;
      }
      if (afterSpace === i) this.error(afterSpace, afterSpace + 1, 'attributes must be separated by white space');
      i = this.attribute(el, afterSpace);
    }
    if (this.attrCount) el.attributes = this.attrs.slice(0, this.attrCount);
    el.startTagEnd = i;
    el.end = i;
    if (!closed) {
      this.error(el.nameStart, el.nameEnd, `the start tag of <${el.name}> is not closed: missing '>'`);
    }
    this.pos = i;
    if (!el.selfClosing) {
      this.open(el);
      this.openNames.set(el.name, (this.openNames.get(el.name) ?? 0) + 1);
    }
  }

  private attribute(el: XmlElement, nameStart: number): number {
    const { text } = this;
    const nameEnd = this.readName(nameStart);
    const name = text.slice(nameStart, nameEnd);
    const attr: XmlAttribute = { name, nameStart, nameEnd, value: null, valueStart: nameEnd, valueEnd: nameEnd, quote: '' };
    if (this.isRepeated(el, name)) this.error(nameStart, nameEnd, `attribute '${name}' is repeated on <${el.name}>`);
    this.attrs[this.attrCount++] = attr;
    let i = this.skipSpace(nameEnd);
    if (text.charCodeAt(i) !== EQ) {
      this.error(nameStart, nameEnd, `attribute '${name}' has no value: write ${name}='…'`);
      return nameEnd;
    }
    i = this.skipSpace(i + 1);
    const q = text.charCodeAt(i);
    if (q === QUOT || q === APOS) {
      const valueStart = i + 1;
      let close = valueStart;
      while (close < this.n && text.charCodeAt(close) !== q && text.charCodeAt(close) !== LT) close++;
      attr.quote = q === QUOT ? '"' : "'";
      attr.valueStart = valueStart;
      if (close >= this.n || text.charCodeAt(close) === LT) {
        const valueEnd = this.halfTypedValueEnd(valueStart, close);
        attr.valueEnd = valueEnd;
        attr.value = this.decode(valueStart, valueEnd);
        this.error(i, valueEnd, `the value of '${name}' is not closed: missing ${attr.quote}`);
        return valueEnd;
      }
      attr.valueEnd = close;
      attr.value = this.decode(valueStart, close);
      this.checkContent(valueStart, close);
      return close + 1;
    }
    let j = i;
    while (j < this.n) {
      const c = text.charCodeAt(j);
      if (isSpace(c) || c === GT || c === LT || (c === SLASH && text.charCodeAt(j + 1) === GT)) break;
      j++;
    }
    attr.valueStart = i;
    attr.valueEnd = j;
    attr.value = this.decode(i, j);
    this.error(nameStart, j, `the value of '${name}' must be quoted`);
    return j;
  }

  /**
   * A value whose closing quote is missing ends at its line's end, but before a '>' or '/>' that ends the line:
   * `<interface type='hostdev>` is read as type='hostdev' and a closed start tag.
   */
  private halfTypedValueEnd(valueStart: number, limit: number): number {
    const { text } = this;
    let end = valueStart;
    while (end < limit && text.charCodeAt(end) !== 0x0a) end++;
    let last = end;
    while (last > valueStart && isSpace(text.charCodeAt(last - 1))) last--;
    if (last > valueStart && text.charCodeAt(last - 1) === GT) {
      end = last - 1;
      if (end > valueStart && text.charCodeAt(end - 1) === SLASH) end--;
    } else if (end > valueStart && text.charCodeAt(end - 1) === 0x0d) {
      end--;
    }
    return end;
  }

  private decode(start: number, end: number): string {
    const raw = this.text.slice(start, end);
    return raw.indexOf('&') < 0 ? raw : decodeReferences(raw);
  }

  private endTag(): void {
    const { text } = this;
    const start = this.pos;
    const nameStart = start + 2;
    const nameEnd = this.readName(nameStart);
    const name = text.slice(nameStart, nameEnd);
    let i = this.skipSpace(nameEnd);
    if (text.charCodeAt(i) === GT) i++;
    else this.error(start, nameEnd, `the end tag </${name}> is not closed: missing '>'`);
    this.pos = Math.max(i, start + 2);
    if (!name) {
      this.error(start, start + 2, "'</' must be followed by an element name");
      return;
    }
    let match = -1;
    if (this.openNames.get(name)) {
      for (let k = this.stack.length - 1; k >= 0; k--) {
        if (this.stack[k].name === name) {
          match = k;
          break;
        }
      }
    }
    if (match < 0) {
      const open = this.stack[this.stack.length - 1];
      this.error(
        nameStart,
        nameEnd,
        open ? `unexpected </${name}>: the open element is <${open.name}>` : `unexpected </${name}>: no element is open`,
      );
      // a misspelt end tag (</sourc> for <source>) most likely closes the open element: keep the tree's shape
      if (!open || !looksLike(name, open.name)) return;
      open.wellFormed = false;
      match = this.stack.length - 1;
    }
    for (let k = this.stack.length - 1; k > match; k--) {
      const el = this.stack[k];
      this.close(k);
      this.error(el.nameStart, el.nameEnd, `<${el.name}> is not closed before </${name}>`);
      el.end = start;
      el.wellFormed = false;
    }
    this.close(match);
    const el = this.stack[match];
    el.endTagStart = start;
    el.end = this.pos;
    for (let k = this.stack.length - 1; k >= match; k--)
      this.openNames.set(this.stack[k].name, this.openNames.get(this.stack[k].name)! - 1);
    this.stack.length = match;
  }
}

function referencedCode(ref: string): number {
  return ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
}

/** XML 1.0 `Char`: what a character reference may name. */
function isXmlChar(c: number): boolean {
  return (
    c === 0x9 ||
    c === 0xa ||
    c === 0xd ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  );
}

/** Whether text holds a '&' or a character XML forbids: the common case (plain text) is answered without allocating. */
function needsContentCheck(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === AMP || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) return true;
  }
  return false;
}

/** Whether a misspelt name is close to the intended one: a prefix, or at most two edits apart. */
function looksLike(typed: string, name: string): boolean {
  if (name.startsWith(typed) || typed.startsWith(name)) return true;
  // element names are short; the edit distance is quadratic, so a hostile 100 kB name must not reach it
  if (Math.abs(typed.length - name.length) > 2 || name.length > 64) return false;
  return editDistance(typed, name) <= 2;
}

export function decodeReferences(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][-A-Za-z0-9._:]*);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = referencedCode(ref);
      return isXmlChar(code) ? String.fromCodePoint(code) : whole;
    }
    return PREDEFINED.get(ref) ?? whole;
  });
}

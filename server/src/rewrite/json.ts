/** A strict JSON parser that keeps the offset of every key and value, so profile problems can point into the file. */

export interface JsonSpan {
  start: number;
  end: number;
}

export type JsonNode =
  | (JsonSpan & { kind: 'object'; members: JsonMember[] })
  | (JsonSpan & { kind: 'array'; items: JsonNode[] })
  | (JsonSpan & { kind: 'string'; value: string })
  | (JsonSpan & { kind: 'number'; value: number })
  | (JsonSpan & { kind: 'boolean'; value: boolean })
  | (JsonSpan & { kind: 'null' });

export interface JsonMember {
  key: string;
  keySpan: JsonSpan;
  value: JsonNode;
}

export interface JsonSyntaxError extends JsonSpan {
  message: string;
}

export function parseJson(text: string): { root?: JsonNode; error?: JsonSyntaxError } {
  const p = new JsonParser(text);
  try {
    p.space();
    const root = p.value();
    p.space();
    if (p.pos < text.length) p.fail('unexpected text after the JSON value');
    return { root };
  } catch (e) {
    if (e instanceof JsonFailure) return { error: e.error };
    throw e;
  }
}

class JsonFailure extends Error {
  constructor(readonly error: JsonSyntaxError) {
    super(error.message);
  }
}

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ['\\', '\\'],
  ['/', '/'],
  ['b', '\b'],
  ['f', '\f'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);
/** Objects and arrays nest at most this deep: a profile is a few levels, and the parser recurses once per level. */
export const MAX_JSON_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class JsonParser {
  pos: number;
  private depth = 0;

  constructor(private readonly text: string) {
    this.pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  fail(message: string, start = this.pos, end = Math.min(this.text.length, start + 1)): never {
    throw new JsonFailure({ message, start, end });
  }

  space(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos])) this.pos++;
  }

  value(): JsonNode {
    const c = this.text[this.pos];
    const start = this.pos;
    if (c === '{' || c === '[') {
      if (this.depth >= MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels`);
      this.depth++;
      const node = c === '{' ? this.object() : this.array();
      this.depth--;
      return node;
    }
    if (c === '"') return { kind: 'string', start, value: this.string(), end: this.pos };
    for (const [word, node] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.text.startsWith(word, start)) {
        this.pos += word.length;
        return node === null ? { kind: 'null', start, end: this.pos } : { kind: 'boolean', value: node, start, end: this.pos };
      }
    }
    NUMBER.lastIndex = start;
    const m = NUMBER.exec(this.text);
    if (m) {
      this.pos += m[0].length;
      return { kind: 'number', value: Number(m[0]), start, end: this.pos };
    }
    return this.fail(c === undefined ? 'unexpected end of the file: a value is missing' : `unexpected '${c}': expected a value`);
  }

  private object(): JsonNode {
    const start = this.pos++;
    const members: JsonMember[] = [];
    this.space();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { kind: 'object', members, start, end: this.pos };
    }
    for (;;) {
      this.space();
      if (this.text[this.pos] !== '"') this.fail('expected a property name in double quotes');
      const keyStart = this.pos;
      const key = this.string();
      const keySpan = { start: keyStart, end: this.pos };
      this.space();
      if (this.text[this.pos] !== ':') this.fail("expected ':' after the property name");
      this.pos++;
      this.space();
      members.push({ key, keySpan, value: this.value() });
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === '}') return { kind: 'object', members, start, end: this.pos };
      if (c !== ',') this.fail("expected ',' or '}'", this.pos - 1);
      const comma = this.pos - 1;
      this.space();
      if (this.text[this.pos] === '}') this.fail('trailing comma: JSON allows no comma before }', comma);
    }
  }

  private array(): JsonNode {
    const start = this.pos++;
    const items: JsonNode[] = [];
    this.space();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { kind: 'array', items, start, end: this.pos };
    }
    for (;;) {
      this.space();
      items.push(this.value());
      this.space();
      const c = this.text[this.pos];
      this.pos++;
      if (c === ']') return { kind: 'array', items, start, end: this.pos };
      if (c !== ',') this.fail("expected ',' or ']'", this.pos - 1);
    }
  }

  private string(): string {
    const start = this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string', start, this.pos);
      this.pos++;
      if (c === '"') return out;
      if (c < ' ') this.fail('control character in a string: escape it', this.pos - 1);
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos, this.pos + 4))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
      } else if (e !== undefined && ESCAPES.has(e)) {
        out += ESCAPES.get(e)!;
      } else {
        this.fail(`invalid escape '\\${e ?? ''}'`, this.pos - 2, this.pos);
      }
    }
  }
}

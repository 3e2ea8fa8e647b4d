import type { DataJson, ValueTypeJson } from './format';

const INT_RANGE: ReadonlyMap<string, [bigint | undefined, bigint | undefined]> = new Map([
  ['short', [-(2n ** 15n), 2n ** 15n - 1n]],
  ['int', [-(2n ** 31n), 2n ** 31n - 1n]],
  ['long', [-(2n ** 63n), 2n ** 63n - 1n]],
  ['integer', [undefined, undefined]],
  ['unsignedShort', [0n, 2n ** 16n - 1n]],
  ['unsignedInt', [0n, 2n ** 32n - 1n]],
  ['unsignedLong', [0n, 2n ** 64n - 1n]],
  ['positiveInteger', [1n, undefined]],
  ['nonNegativeInteger', [0n, undefined]],
]);
const INTEGER = /^[+-]?[0-9]+$/;
const DATE_TIME = /^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$/;
const NCNAME = /^[^\s:]+$/;
const HAS_SPACE = /[ \t\r\n]/;
/** Values longer than this are checked every time: documents repeat short values, and a long key costs memory. */
const MEMO_KEY_MAX = 64;
/** Entries across every type's memo; past it they all start over (bounded however many values a soak types). */
const MEMO_BUDGET = 8192;
const memos = new Set<Map<string, boolean>>();
let memoEntries = 0;

/**
 * A copy of a value that shares no memory with the document: a value is a slice of the document's text, and V8
 * keeps a slice's whole parent string alive (a memo of slices pinned every version typed: 47 KB a keystroke).
 */
function detached(value: string): string {
  return JSON.parse(JSON.stringify(value)) as string;
}

function remember(memo: Map<string, boolean>, value: string, known: boolean): void {
  if (memoEntries >= MEMO_BUDGET) {
    for (const m of memos) m.clear();
    memoEntries = 0;
  }
  memos.add(memo);
  memo.set(detached(value), known);
  memoEntries++;
}

/** XML Schema's whitespace collapse, which RelaxNG applies to token values and non-string datatypes. */
function collapse(s: string): string {
  return s.replace(/[ \t\r\n]+/g, ' ').trim();
}

/** A value type of the vocabulary: a union of enumerated values and datatypes. */
export class ValueType {
  readonly enumValues: readonly string[];
  private readonly enumSet: Set<string>;
  private readonly data: { d: DataJson; re: RegExp | undefined }[];
  private readonly memo = new Map<string, boolean>();
  private described: string | undefined;

  constructor(readonly json: ValueTypeJson) {
    this.enumValues = json.enum ?? [];
    this.enumSet = new Set(this.enumValues);
    this.data = (json.data ?? []).map((d) => ({ d, re: d.regex !== undefined ? new RegExp(`^(?:${d.regex})$`) : undefined }));
  }

  get any(): boolean {
    return this.json.any === true;
  }

  /** Lenient where RelaxNG normalises: a value passes when either its raw or its collapsed form is accepted. */
  accepts(value: string): boolean {
    // documents repeat their values (0x0000, virtio, pci…): remembered, re-validating a big domain stays cheap
    if (value.length > MEMO_KEY_MAX) return this.check(value);
    let known = this.memo.get(value);
    if (known === undefined) {
      known = this.check(value);
      remember(this.memo, value, known);
    }
    return known;
  }

  private check(value: string): boolean {
    if (this.json.any || this.enumSet.has(value)) return true;
    const collapsed = HAS_SPACE.test(value) ? collapse(value) : value;
    if (collapsed !== value && this.enumSet.has(collapsed)) return true;
    for (const { d, re } of this.data) {
      if (dataAccepts(d, re, value) || (collapsed !== value && dataAccepts(d, re, collapsed))) return true;
    }
    return false;
  }

  /** "one of 'a', 'b'", "pciBus: 0x[0-9a-fA-F]{1,2} or an integer from 0 to 255" */
  describe(max = 12): string {
    if (max === 12) return (this.described ??= this.describeUpTo(12));
    return this.describeUpTo(max);
  }

  private describeUpTo(max: number): string {
    if (this.json.any) return 'any text';
    const parts: string[] = [];
    if (this.enumValues.length) {
      const shown = this.enumValues
        .slice(0, max)
        .map((v) => `'${v}'`)
        .join(', ');
      parts.push(`one of ${shown}${this.enumValues.length > max ? `, … (${this.enumValues.length} values)` : ''}`);
    }
    for (const { d } of this.data) parts.push(describeData(d));
    const name = this.json.names?.length === 1 ? `${this.json.names[0]}: ` : '';
    return name + (parts.join(', or ') || 'nothing (no value is allowed)');
  }
}

function dataAccepts(d: DataJson, re: RegExp | undefined, s: string): boolean {
  if (re && !re.test(s)) return false;
  if (d.minLength !== undefined && [...s].length < d.minLength) return false;
  if (d.maxLength !== undefined && [...s].length > d.maxLength) return false;
  const range = INT_RANGE.get(d.type);
  if (range) {
    if (!INTEGER.test(s)) return false;
    // number-to-bigint comparisons are exact in JavaScript: BigInt only where a number could lose digits
    const n = s.length <= 15 ? Number(s) : BigInt(s);
    const min = d.min !== undefined ? BigInt(d.min) : range[0];
    const max = d.max !== undefined ? BigInt(d.max) : range[1];
    return (min === undefined || n >= min) && (max === undefined || n <= max);
  }
  if (d.type === 'dateTime') return DATE_TIME.test(s);
  if (d.type === 'NCName') return NCNAME.test(s);
  return true;
}

function describeData(d: DataJson): string {
  const range = INT_RANGE.get(d.type);
  if (range) {
    const min = d.min ?? range[0]?.toString();
    const max = d.max ?? range[1]?.toString();
    const bounds =
      min !== undefined && max !== undefined
        ? ` from ${min} to ${max}`
        : min !== undefined
          ? ` >= ${min}`
          : max !== undefined
            ? ` <= ${max}`
            : '';
    return `an integer${bounds}`;
  }
  if (d.regex !== undefined) return `text matching ${d.regex}`;
  if (d.type === 'dateTime') return 'a date and time (2023-01-16T12:00:00Z)';
  const len = d.maxLength !== undefined ? ` of at most ${d.maxLength} characters` : '';
  return `text${len}`;
}

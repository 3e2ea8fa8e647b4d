import type { Span, XmlElement } from '../../parser/nodes';
import { attrValue, childElements, textContent } from '../../parser/query';
import { parseLibvirtUint } from '../../model/pci';

/** The class of an ABI difference, so callers and tests can tell a MAC change from a model change. */
export type AbiCode =
  | 'abi-domain'
  | 'abi-memory'
  | 'abi-numa'
  | 'abi-vcpu'
  | 'abi-os'
  | 'abi-features'
  | 'abi-clock'
  | 'abi-cpu'
  | 'abi-sysinfo'
  | 'abi-device-count'
  | 'abi-mac'
  | 'abi-model'
  | 'abi-address'
  | 'abi-virtio'
  | 'abi-device';

export interface AbiProblem {
  code: AbiCode;
  /** Worded like libvirt's own message (`Target network card mac X does not match source Y`). */
  message: string;
  /** The start tag of the element that differs, in the source text and in the destination text. */
  source?: Span;
  dest?: Span;
}

export interface Side {
  text: string;
  root: XmlElement;
}

/** Collects differences between a source and a destination domain. */
export class Abi {
  readonly problems: AbiProblem[] = [];

  constructor(
    readonly src: Side,
    readonly dst: Side,
  ) {}

  report(code: AbiCode, message: string, s?: XmlElement, d?: XmlElement): false {
    this.problems.push({ code, message, ...(s ? { source: startTag(s) } : {}), ...(d ? { dest: startTag(d) } : {}) });
    return false;
  }

  /** Reports when the two values differ; `msg(dst, src)` in libvirt's order. Returns whether they are the same. */
  same(
    code: AbiCode,
    s: string | undefined,
    d: string | undefined,
    msg: (d: string, s: string) => string,
    sEl?: XmlElement,
    dEl?: XmlElement,
  ): boolean {
    if (s === d) return true;
    return this.report(code, msg(d ?? 'none', s ?? 'none'), sEl, dEl);
  }
}

function startTag(el: XmlElement): Span {
  return { start: el.start, end: el.startTagEnd };
}

const UNITS: ReadonlyMap<string, number> = new Map([
  ['b', 1],
  ['bytes', 1],
  ['kb', 1e3],
  ['k', 1024],
  ['kib', 1024],
  ['mb', 1e6],
  ['m', 1024 ** 2],
  ['mib', 1024 ** 2],
  ['gb', 1e9],
  ['g', 1024 ** 3],
  ['gib', 1024 ** 3],
  ['tb', 1e12],
  ['t', 1024 ** 4],
  ['tib', 1024 ** 4],
  ['pb', 1e15],
  ['p', 1024 ** 5],
  ['pib', 1024 ** 5],
  ['eb', 1e18],
  ['e', 1024 ** 6],
  ['eib', 1024 ** 6],
]);

/** A memory size in KiB, rounded up as libvirt does; the unit from `unitAttr` (KiB when absent). */
export function kib(text: string, el: XmlElement | undefined, value?: string, unitAttr = 'unit'): string | undefined {
  if (!el) return undefined;
  const raw = (value ?? textContent(text, el)).trim();
  const factor = UNITS.get((attrValue(el, unitAttr) ?? 'KiB').toLowerCase());
  if (!/^\d+$/.test(raw) || factor === undefined) return raw;
  return String(Math.ceil((Number(raw) * factor) / 1024));
}

/** A cpuset/nodeset as a sorted list (`0-3,^2` → `0,1,3`). */
export function cpusetList(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const on = new Set<number>();
  const off = new Set<number>();
  for (const part of v
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const neg = part.startsWith('^');
    const [a, b] = part
      .replace('^', '')
      .split('-')
      .map((x) => Number(x.trim()));
    for (let i = a; i <= (b ?? a) && i - a < 65536; i++) (neg ? off : on).add(i);
  }
  return [...on]
    .filter((n) => !off.has(n))
    .sort((x, y) => x - y)
    .join(',');
}

/**
 * Element structure without whitespace, comments or attribute order: `name[a=1,b=2](child…)text`. Built bottom
 * up with an explicit stack: a hostile <features> nests deeper than the call stack reaches.
 */
export function canonical(text: string, el: XmlElement): string {
  const stack: { el: XmlElement; kids: XmlElement[]; next: number; parts: string[] }[] = [];
  const open = (e: XmlElement) => stack.push({ el: e, kids: childElements(e), next: 0, parts: [] });
  open(el);
  for (;;) {
    const f = stack[stack.length - 1];
    if (f.next < f.kids.length) {
      open(f.kids[f.next++]);
      continue;
    }
    stack.pop();
    const attrs = f.el.attributes
      .map((a) => `${a.name}=${a.value ?? ''}`)
      .sort()
      .join(',');
    const body = f.parts.join(',') || textContent(text, f.el);
    const done = `${f.el.name}[${attrs}](${body})`;
    if (!stack.length) return done;
    stack[stack.length - 1].parts.push(done);
  }
}

/** A number as libvirt reads it (hex, octal or decimal), as a decimal string; other text as is. */
export function num(v: string | undefined, fallback = '0'): string {
  if (v === undefined) return fallback;
  const n = parseLibvirtUint(v);
  return n === undefined ? v.trim() : String(n);
}

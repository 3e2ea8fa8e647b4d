// Generates schemas/domain-vocabulary.json from libvirt's RelaxNG domain schema (domain.rng and the files it
// includes), so the language server knows every element, attribute and value libvirt's schema allows.
//   node out/scripts/gen-vocabulary.js [--schemas DIR] [--write | --check]
// DIR defaults to libvirt 11.3's schemas, downloaded once by scripts/libvirt-schemas.sh (why not the installed 9.0's:
// see there); /usr/share/libvirt/schemas is where an installed libvirt keeps them.
import { spawnSync } from 'child_process';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { basename, dirname, join, resolve } from 'path';
import type { XmlElement } from '../server/src/parser/nodes';
import { parseXml } from '../server/src/parser/parser';
import { attrValue, childElements, textContent } from '../server/src/parser/query';
import type { ContextJson, DataJson, DocJson, ValueTypeJson, VocabularyFile } from '../server/src/schema/format';
import { DOCS } from '../server/src/schema/docs-table';
import { ValueType } from '../server/src/schema/types';

const ROOT = resolve(__dirname, '..', '..');
export const VOCABULARY_FILE = join(ROOT, 'schemas', 'domain-vocabulary.json');
const INSTALLED_SCHEMAS = '/usr/share/libvirt/schemas';

/** libvirt 11.3's schemas (scripts/libvirt-schemas.sh downloads them once). */
export function defaultSchemas(): string {
  const r = spawnSync('bash', [join(ROOT, 'scripts', 'libvirt-schemas.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/libvirt-schemas.sh could not fetch libvirt 11.3's schemas:\n${r.stderr}`);
  return r.stdout.trim();
}

// ---- the RelaxNG grammar, read with our own parser ----

interface NameClass {
  names: string[];
  any: boolean;
}
interface ElementPat {
  k: 'element';
  id: number;
  nc: NameClass;
  foreign: boolean;
  body: Pat;
  define: string;
}
interface AttributePat {
  k: 'attribute';
  nc: NameClass;
  body: Pat;
}
type Pat =
  | ElementPat
  | AttributePat
  | { k: 'group' | 'interleave' | 'choice'; items: Pat[] }
  | { k: 'optional' | 'zeroOrMore' | 'oneOrMore' | 'mixed' | 'list'; body: Pat }
  | { k: 'ref'; name: string }
  | { k: 'empty' | 'text' | 'notAllowed' }
  | { k: 'data'; type: string; params: Record<string, string> }
  | { k: 'value'; value: string };

const CONTAINERS = new Set(['group', 'interleave', 'choice']);
const WRAPPERS = new Set(['optional', 'zeroOrMore', 'oneOrMore', 'mixed', 'list']);

class Grammar {
  readonly files: string[] = [];
  readonly elements: ElementPat[] = [];
  readonly start: Pat[] = [];
  private readonly parts = new Map<string, { combine?: string; pat: Pat }[]>();
  private readonly defines = new Map<string, Pat>();
  private currentDefine = '';
  /** The text of the file being read (includes nest, so it is saved and restored around them). */
  private text = '';

  load(file: string, skip = new Set<string>()): void {
    this.files.push(file);
    const outer = this.text;
    this.text = readFileSync(file, 'utf8');
    const root = parseXml(this.text).root;
    if (root?.name !== 'grammar') throw new Error(`${file}: not a RelaxNG grammar`);
    this.grammarContent(root, file, skip);
    this.text = outer;
  }

  private grammarContent(el: XmlElement, file: string, skip: Set<string>): void {
    for (const c of childElements(el)) {
      if (c.name === 'div') this.grammarContent(c, file, skip);
      else if (c.name === 'start') this.start.push(this.group(c, ''));
      else if (c.name === 'define') {
        const name = attrValue(c, 'name')!;
        if (skip.has(name)) continue;
        this.currentDefine = name;
        const list = this.parts.get(name) ?? [];
        list.push({ combine: attrValue(c, 'combine'), pat: this.group(c, attrValue(c, 'ns') ?? '') });
        this.parts.set(name, list);
      } else if (c.name === 'include') {
        const overrides = new Set(childElements(c, 'define').map((d) => attrValue(d, 'name')!));
        this.load(resolve(dirname(file), attrValue(c, 'href')!), overrides);
        this.grammarContent(c, file, new Set());
      } else if (!c.name.includes(':')) throw new Error(`${file}: unsupported grammar content <${c.name}>`);
    }
  }

  define(name: string): Pat {
    let pat = this.defines.get(name);
    if (pat) return pat;
    const list = this.parts.get(name);
    if (!list) throw new Error(`undefined define ${name}`);
    const combine = list.find((p) => p.combine)?.combine as 'choice' | 'interleave' | undefined;
    pat = list.length === 1 ? list[0].pat : { k: combine ?? 'choice', items: list.map((p) => p.pat) };
    this.defines.set(name, pat);
    return pat;
  }

  private group(el: XmlElement, ns: string): Pat {
    const items = childElements(el)
      .filter((c) => !c.name.includes(':'))
      .map((c) => this.pattern(c, ns));
    return items.length === 1 ? items[0] : items.length === 0 ? { k: 'empty' } : { k: 'group', items };
  }

  private pattern(el: XmlElement, inherited: string): Pat {
    const ns = attrValue(el, 'ns') ?? inherited;
    const n = el.name;
    if (n === 'element' || n === 'attribute') {
      const named = attrValue(el, 'name');
      const kids = childElements(el).filter((c) => !c.name.includes(':'));
      const nc = named !== undefined ? { names: [named], any: false } : this.nameClass(kids.shift()!);
      const bodyEl = { ...el, children: kids } as XmlElement;
      if (n === 'attribute') return { k: 'attribute', nc, body: kids.length ? this.group(bodyEl, ns) : { k: 'text' } };
      const id = this.elements.length;
      const pat: ElementPat = { k: 'element', id, nc, foreign: ns !== '', body: { k: 'empty' }, define: this.currentDefine };
      this.elements.push(pat);
      pat.body = this.group(bodyEl, ns);
      return pat;
    }
    if (CONTAINERS.has(n))
      return {
        k: n as 'group',
        items: childElements(el)
          .filter((c) => !c.name.includes(':'))
          .map((c) => this.pattern(c, ns)),
      };
    if (WRAPPERS.has(n)) return { k: n as 'optional', body: this.group(el, ns) };
    if (n === 'ref' || n === 'parentRef') return { k: 'ref', name: attrValue(el, 'name')! };
    if (n === 'empty' || n === 'text' || n === 'notAllowed') return { k: n };
    if (n === 'value') return { k: 'value', value: textContent(this.text, el) };
    if (n === 'data') {
      const params: Record<string, string> = {};
      for (const p of childElements(el, 'param')) params[attrValue(p, 'name')!] = textContent(this.text, p);
      return { k: 'data', type: attrValue(el, 'type')!, params };
    }
    throw new Error(`unsupported RelaxNG pattern <${n}>`);
  }

  private nameClass(el: XmlElement): NameClass {
    if (el.name === 'name') return { names: [textContent(this.text, el)], any: false };
    if (el.name === 'anyName' || el.name === 'nsName') return { names: [], any: true };
    if (el.name === 'choice') {
      const parts = childElements(el).map((c) => this.nameClass(c));
      return { names: parts.flatMap((p) => p.names), any: parts.some((p) => p.any) };
    }
    throw new Error(`unsupported name class <${el.name}>`);
  }
}

// ---- what each element pattern allows ----

interface Content {
  elements: ElementPat[];
  attrs: AttributePat[];
  anyElement: boolean;
}
type Names = Set<string> | 'all';

/** Known XML Schema datatypes; any other is accepted as any text (over-approximation). */
const DATATYPES = new Set([
  'string',
  'token',
  'NCName',
  'dateTime',
  'int',
  'integer',
  'long',
  'short',
  'unsignedInt',
  'unsignedLong',
  'unsignedShort',
  'positiveInteger',
  'nonNegativeInteger',
]);

class Analysis {
  private readonly contents = new Map<number, Content>();
  private readonly required = new Map<string, Names>();
  private readonly selected = new Map<string, { has: Pat; none: Pat }>();
  private readonly occurs = new Map<string, Map<string, number>>();

  constructor(private readonly g: Grammar) {}

  /** The element and attribute patterns directly inside an element (not inside its child elements). */
  content(e: ElementPat): Content {
    let c = this.contents.get(e.id);
    if (!c) {
      c = { elements: [], attrs: [], anyElement: false };
      this.collect(e.body, c, new Set());
      this.contents.set(e.id, c);
    }
    return c;
  }

  /** The same for a (pruned) body, or the grammar's start. */
  bodyContent(body: Pat): Content {
    const c: Content = { elements: [], attrs: [], anyElement: false };
    this.collect(body, c, new Set());
    return c;
  }

  private collect(p: Pat, out: Content, seen: Set<string>): void {
    switch (p.k) {
      case 'element':
        if (p.nc.any) out.anyElement = true;
        else if (!p.foreign) out.elements.push(p);
        return;
      case 'attribute':
        out.attrs.push(p);
        return;
      case 'ref':
        if (seen.has(p.name)) return;
        seen.add(p.name);
        this.collect(this.g.define(p.name), out, seen);
        return;
      case 'group':
      case 'interleave':
      case 'choice':
        for (const i of p.items) this.collect(i, out, seen);
        return;
      case 'optional':
      case 'zeroOrMore':
      case 'oneOrMore':
      case 'mixed':
      case 'list':
        this.collect(p.body, out, seen);
        return;
      default:
    }
  }

  /** How often each child element name may occur in p (Infinity: any number of times). */
  maxOccurs(p: Pat, active = new Set<string>()): Map<string, number> {
    switch (p.k) {
      case 'element':
        return new Map(p.foreign || p.nc.any ? [] : p.nc.names.map((n) => [n, 1]));
      case 'group':
      case 'interleave':
      case 'choice': {
        const out = new Map<string, number>();
        for (const i of p.items) {
          for (const [n, c] of this.maxOccurs(i, active))
            out.set(n, p.k === 'choice' ? Math.max(out.get(n) ?? 0, c) : (out.get(n) ?? 0) + c);
        }
        return out;
      }
      case 'optional':
        return this.maxOccurs(p.body, active);
      case 'zeroOrMore':
      case 'oneOrMore':
      case 'mixed':
      case 'list':
        return new Map([...this.maxOccurs(p.body, active).keys()].map((n) => [n, Infinity]));
      case 'ref': {
        if (active.has(p.name)) return new Map();
        let memo = this.occurs.get(p.name);
        if (!memo) {
          active.add(p.name);
          memo = this.maxOccurs(this.g.define(p.name), active);
          active.delete(p.name);
          this.occurs.set(p.name, memo);
        }
        return memo;
      }
      default:
        return new Map();
    }
  }

  /** Whether p allows text of its own (outside attributes and child elements). */
  hasText(p: Pat, seen = new Set<string>()): boolean {
    switch (p.k) {
      case 'text':
      case 'data':
      case 'value':
      case 'mixed':
        return true;
      case 'group':
      case 'interleave':
      case 'choice':
        return p.items.some((i) => this.hasText(i, seen));
      case 'optional':
      case 'zeroOrMore':
      case 'oneOrMore':
      case 'list':
        return this.hasText(p.body, seen);
      case 'ref':
        if (seen.has(p.name)) return false;
        seen.add(p.name);
        return this.hasText(this.g.define(p.name), seen);
      default:
        return false;
    }
  }

  /** Names of the attributes (or child elements) present in every alternative of p. */
  requiredNames(p: Pat, kind: 'attribute' | 'element', active = new Set<string>()): Names {
    switch (p.k) {
      case 'element':
      case 'attribute':
        return p.k === kind && p.nc.names.length === 1 && !p.nc.any && !(p.k === 'element' && p.foreign)
          ? new Set(p.nc.names)
          : new Set();
      case 'group':
      case 'interleave': {
        let out: Names = new Set();
        for (const i of p.items) out = union(out, this.requiredNames(i, kind, active));
        return out;
      }
      case 'choice': {
        let out: Names = 'all';
        for (const i of p.items) out = intersect(out, this.requiredNames(i, kind, active));
        return out;
      }
      case 'oneOrMore':
      case 'mixed':
      case 'list':
        return this.requiredNames(p.body, kind, active);
      case 'ref': {
        const key = `${kind} ${p.name}`;
        const memo = this.required.get(key);
        if (memo) return memo;
        if (active.has(key)) return new Set();
        active.add(key);
        const r = this.requiredNames(this.g.define(p.name), kind, active);
        active.delete(key);
        this.required.set(key, r);
        return r;
      }
      case 'notAllowed':
        return 'all';
      default:
        return new Set();
    }
  }

  /** The values an attribute (or text content) pattern accepts, as a union of alternatives. */
  valueType(p: Pat, out: ValueTypeJson = {}, top = true): ValueTypeJson {
    switch (p.k) {
      case 'choice':
        for (const i of p.items) this.valueType(i, out, top);
        break;
      case 'value':
        out.enum = [...(out.enum ?? []), p.value];
        break;
      case 'data': {
        if (!DATATYPES.has(p.type)) {
          out.any = true;
          break;
        }
        const d: DataJson = { type: p.type };
        if (p.params.pattern !== undefined) d.regex = jsRegex(p.params.pattern);
        if (p.params.minInclusive !== undefined) d.min = p.params.minInclusive;
        if (p.params.maxInclusive !== undefined) d.max = p.params.maxInclusive;
        if (p.params.minLength !== undefined) d.minLength = Number(p.params.minLength);
        if (p.params.maxLength !== undefined) d.maxLength = Number(p.params.maxLength);
        out.data = [...(out.data ?? []), d];
        break;
      }
      case 'ref':
        if (top) out.names = [...(out.names ?? []), p.name];
        this.valueType(this.g.define(p.name), out, false);
        break;
      case 'group':
      case 'interleave': {
        const items = p.items.filter((i) => i.k !== 'empty');
        if (items.length === 1) this.valueType(items[0], out, top);
        else out.any = true;
        break;
      }
      case 'empty':
        out.enum = [...(out.enum ?? []), ''];
        break;
      case 'notAllowed':
        break;
      default:
        out.any = true;
    }
    return out;
  }

  /**
   * The pattern restricted to the derivations where an attribute pattern named `attr` consumes the element's
   * `attr='value'`: an element that has the attribute matches only those (XML attributes are consumed once, and
   * an alternative whose `attr` rejects the value cannot consume it).
   */
  prune(p: Pat, attr: string, value: string): Pat {
    return this.select(p, attr, value).has;
  }

  /** `has`: derivations that consume the attribute; `none`: derivations that do not. */
  private select(p: Pat, attr: string, value: string): { has: Pat; none: Pat } {
    switch (p.k) {
      case 'attribute':
        if (p.nc.any) return { has: p, none: p };
        if (!p.nc.names.includes(attr)) return { has: NOT_ALLOWED, none: p };
        return { has: accepts(this.valueType(p.body), value) ? p : NOT_ALLOWED, none: p.nc.names.length > 1 ? p : NOT_ALLOWED };
      case 'group':
      case 'interleave': {
        const k = p.k;
        const parts = p.items.map((i) => this.select(i, attr, value));
        const none = seq(
          k,
          parts.map((x) => x.none),
        );
        const has = alt(
          parts.map((x, i) =>
            seq(
              k,
              parts.map((y, j) => (i === j ? x.has : y.none)),
            ),
          ),
        );
        return { has, none };
      }
      case 'choice': {
        const parts = p.items.map((i) => this.select(i, attr, value));
        return { has: alt(parts.map((x) => x.has)), none: alt(parts.map((x) => x.none)) };
      }
      case 'optional': {
        const b = this.select(p.body, attr, value);
        return { has: b.has, none: b.none.k === 'notAllowed' ? EMPTY : { k: 'optional', body: b.none } };
      }
      case 'zeroOrMore':
      case 'oneOrMore': {
        const b = this.select(p.body, attr, value);
        const many: Pat = b.none.k === 'notAllowed' ? EMPTY : { k: 'zeroOrMore', body: b.none };
        return {
          has: seq('group', [b.has, many]),
          none: p.k === 'zeroOrMore' ? many : b.none.k === 'notAllowed' ? NOT_ALLOWED : { k: 'oneOrMore', body: b.none },
        };
      }
      case 'ref': {
        const key = `${p.name} ${attr}=${value}`;
        let r = this.selected.get(key);
        if (!r) {
          const inner = this.select(this.g.define(p.name), attr, value);
          const same = (x: Pat) => (x === this.g.define(p.name) ? p : x);
          r = { has: same(inner.has), none: same(inner.none) };
          this.selected.set(key, r);
        }
        return r;
      }
      case 'notAllowed':
        return { has: NOT_ALLOWED, none: NOT_ALLOWED };
      default:
        return { has: NOT_ALLOWED, none: p };
    }
  }

  /** The element's content without its attributes: undefined when only attributes (or nothing) remain. */
  textPattern(p: Pat, seen = new Set<string>()): Pat | undefined {
    switch (p.k) {
      case 'attribute':
      case 'empty':
      case 'notAllowed':
        return undefined;
      case 'ref': {
        if (seen.has(p.name)) return undefined;
        const inner = this.textPattern(this.g.define(p.name), new Set([...seen, p.name]));
        return inner === this.g.define(p.name) ? p : inner;
      }
      case 'group':
      case 'interleave':
      case 'choice': {
        const items = p.items.map((i) => this.textPattern(i, seen)).filter((i): i is Pat => i !== undefined);
        if (items.length === 0) return undefined;
        if (items.length === 1 && p.k !== 'choice') return items[0];
        return items.length === p.items.length && items.every((x, i) => x === p.items[i]) ? p : { k: p.k, items };
      }
      case 'optional':
      case 'zeroOrMore':
        return this.textPattern(p.body, seen);
      default:
        return p;
    }
  }
}

const NOT_ALLOWED: Pat = { k: 'notAllowed' };
const EMPTY: Pat = { k: 'empty' };

/** Whether a value type (as the generator builds it, uncompiled) accepts a value: the runtime's rules. */
function accepts(t: ValueTypeJson, value: string): boolean {
  return new ValueType(normalizeType(t)).accepts(value);
}

/** A group (or interleave) of items: notAllowed if any item is, empty items dropped. */
function seq(k: 'group' | 'interleave', items: Pat[]): Pat {
  if (items.some((i) => i.k === 'notAllowed')) return NOT_ALLOWED;
  const kept = items.filter((i) => i.k !== 'empty');
  return kept.length === 0 ? EMPTY : kept.length === 1 ? kept[0] : { k, items: kept };
}

/** A choice of items: notAllowed ones dropped. */
function alt(items: Pat[]): Pat {
  const kept = items.filter((i) => i.k !== 'notAllowed');
  return kept.length === 0 ? NOT_ALLOWED : kept.length === 1 ? kept[0] : { k: 'choice', items: kept };
}

function union(a: Names, b: Names): Names {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...a, ...b]);
}

function intersect(a: Names, b: Names): Names {
  if (a === 'all') return b;
  if (b === 'all') return a;
  return new Set([...a].filter((x) => b.has(x)));
}

/** An XML Schema pattern as a JavaScript regex source: XSD has no anchors, so a bare ^ or $ is a literal. */
export function jsRegex(xsd: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < xsd.length; i++) {
    const c = xsd[i];
    if (c === '\\') {
      out += c + (xsd[i + 1] ?? '');
      i++;
      continue;
    }
    if (!inClass && c === '[') inClass = true;
    else if (inClass && c === ']') inClass = false;
    else if (!inClass && (c === '^' || c === '$')) {
      out += '\\' + c;
      continue;
    }
    out += c;
  }
  new RegExp(out);
  return out;
}

// ---- merged contexts, reached from <domain> by child names ----

interface Built {
  contexts: ContextJson[];
  types: ValueTypeJson[];
}
/** An element pattern with its body, possibly pruned to the alternatives an attribute value selects. */
interface Member {
  e: ElementPat;
  body: Pat;
}

/** Variants nest at most this deep (hostdev mode='subsystem' → type='pci'). */
const MAX_VARIANT_DEPTH = 2;
const DISCRIMINATOR_ORDER = ['type', 'mode', 'model', 'bus', 'name'];

function buildContexts(g: Grammar, a: Analysis): Built {
  const domain = a.bodyContent({ k: 'choice', items: g.start }).elements.filter((e) => e.nc.names.includes('domain'));
  if (!domain.length) throw new Error('the grammar does not start with <domain>');
  const contexts: ContextJson[] = [];
  const members: Member[][] = [];
  const depths: number[] = [];
  const index = new Map<string, number>();
  const types: ValueTypeJson[] = [];
  const typeIndex = new Map<string, number>();
  const intern = (t: ValueTypeJson): number => {
    const norm = normalizeType(t);
    const key = JSON.stringify(norm);
    let i = typeIndex.get(key);
    if (i === undefined) {
      i = types.length;
      types.push(norm);
      typeIndex.set(key, i);
    }
    return i;
  };
  const contextOf = (list: Member[], key: string, name: string, path: string, depth: number): number => {
    let i = index.get(key);
    if (i === undefined) {
      i = contexts.length;
      index.set(key, i);
      contexts.push({ name, path });
      members.push(list);
      depths.push(depth);
    }
    return i;
  };
  const childKey = (set: ElementPat[]) =>
    set
      .map((e) => e.id)
      .sort((x, y) => x - y)
      .join(',');
  contextOf(
    domain.map((e) => ({ e, body: e.body })),
    childKey(domain),
    'domain',
    'domain',
    0,
  );
  for (let i = 0; i < contexts.length; i++) {
    const ctx = contexts[i];
    const { children, ...fields } = describeMembers(a, members[i], intern);
    const base = signature({ children, ...fields });
    Object.assign(ctx, fields);
    if (children.size) {
      ctx.children = {};
      for (const n of [...children.keys()].sort()) {
        const set = children.get(n)!;
        ctx.children[n] = contextOf(
          set.map((e) => ({ e, body: e.body })),
          childKey(set),
          n,
          `${ctx.path}/${n}`,
          0,
        );
      }
    }
    if (depths[i] >= MAX_VARIANT_DEPTH) continue;
    const variant = bestVariant(a, ctx, base, members[i], intern, types);
    if (!variant) continue;
    ctx.variants = { attr: variant.attr, values: {} };
    const depth = depths[i] + 1;
    for (const [value, v] of variant.values) {
      // variants that will not be narrowed further are fully described by their signature: equal ones are shared
      const key = depth >= MAX_VARIANT_DEPTH ? `${i}:${v.signature}` : `${index.size}:${ctx.path}[@${variant.attr}='${value}']`;
      ctx.variants.values[value] = contextOf(v.members, key, ctx.name, `${ctx.path}[@${variant.attr}='${value}']`, depth);
    }
  }
  return { contexts, types };
}

type Fields = Omit<ContextJson, 'name' | 'path' | 'children' | 'variants'> & { children: Map<string, ElementPat[]> };

/** What a context allows: the union over its members (required: what every member requires). */
function describeMembers(a: Analysis, list: Member[], intern: (t: ValueTypeJson) => number): Fields {
  const out: Fields = { children: new Map() };
  const attrs = new Map<string, ValueTypeJson>();
  let required: Names = 'all';
  let requiredChildren: Names = 'all';
  let text: ValueTypeJson | undefined;
  let textAllowed = true;
  let anyText = false;
  const occurs = new Map<string, number>();
  for (const { e, body } of list) {
    const c = body === e.body ? a.content(e) : a.bodyContent(body);
    if (c.anyElement) out.anyChildren = true;
    for (const child of c.elements) {
      for (const n of child.nc.names) {
        const set = out.children.get(n) ?? [];
        if (!set.includes(child)) set.push(child);
        out.children.set(n, set);
      }
    }
    for (const at of c.attrs) {
      if (at.nc.any) out.anyAttrs = true;
      for (const n of at.nc.names) attrs.set(n, a.valueType(at.body, structuredClone(attrs.get(n) ?? {})));
    }
    for (const [n, c] of a.maxOccurs(body)) occurs.set(n, Math.max(occurs.get(n) ?? 0, c));
    if (a.hasText(body)) anyText = true;
    required = intersect(required, a.requiredNames(body, 'attribute'));
    requiredChildren = intersect(requiredChildren, a.requiredNames(body, 'element'));
    if (c.elements.length || c.anyElement) textAllowed = false;
    else {
      const tp = a.textPattern(body);
      if (tp) text = a.valueType(tp, text ?? {});
    }
  }
  const defines = [...new Set(list.map((m) => m.e.define))].sort();
  if (defines.length) out.defines = defines;
  if (attrs.size) {
    out.attrs = {};
    for (const n of [...attrs.keys()].sort()) out.attrs[n] = intern(attrs.get(n)!);
  }
  if (required !== 'all' && required.size) out.required = [...required].sort();
  if (requiredChildren !== 'all' && requiredChildren.size) out.requiredChildren = [...requiredChildren].sort();
  if (textAllowed && text && !text.any) out.text = intern(text);
  if (!anyText && !out.anyChildren) out.noText = true;
  const once = [...occurs]
    .filter(([, c]) => c === 1)
    .map(([n]) => n)
    .sort();
  if (once.length && !out.anyChildren) out.once = once;
  return out;
}

/**
 * The enumerated attribute whose values select different content (address type='pci' allows bus, slot…;
 * type='drive' controller, unit…), with each value's pruned members; undefined when no attribute does.
 */
function bestVariant(
  a: Analysis,
  ctx: ContextJson,
  base: string,
  list: Member[],
  intern: (t: ValueTypeJson) => number,
  types: ValueTypeJson[],
) {
  let best: { attr: string; values: Map<string, { members: Member[]; signature: string }>; score: number } | undefined;
  const candidates = Object.keys(ctx.attrs ?? {}).sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  for (const attr of candidates) {
    const t = types[ctx.attrs![attr]];
    if (t.any || t.data?.length || !t.enum || t.enum.length < 2) continue;
    const values = new Map<string, { members: Member[]; signature: string }>();
    let score = 0;
    for (const value of t.enum) {
      const pruned = list.map((m) => ({ e: m.e, body: a.prune(m.body, attr, value) })).filter((m) => m.body.k !== 'notAllowed');
      if (!pruned.length) continue;
      const f = describeMembers(a, pruned, intern);
      const sig = signature(f);
      // a value that changes nothing keeps the element in the merged context
      if (sig === base) continue;
      score++;
      values.set(value, { members: pruned, signature: sig });
    }
    // the conventional discriminators first (type before model), then the most selective
    if (score > 0 && (!best || (rank(attr) === rank(best.attr) && score > best.score))) best = { attr, values, score };
  }
  return best;
}

function rank(attr: string): number {
  const i = DISCRIMINATOR_ORDER.indexOf(attr);
  return i < 0 ? DISCRIMINATOR_ORDER.length : i;
}

/** What a context allows, as a comparable string. */
function signature(f: Fields): string {
  const children = [...f.children.entries()]
    .map(
      ([n, set]) =>
        `${n}:${set
          .map((e) => e.id)
          .sort((x, y) => x - y)
          .join(',')}`,
    )
    .sort();
  return JSON.stringify([children, f.attrs, f.anyAttrs, f.anyChildren, f.required, f.requiredChildren, f.text, f.noText, f.once]);
}

/** Sorted and deduplicated, so equal types intern to one entry; `any` absorbs everything else. */
function normalizeType(t: ValueTypeJson): ValueTypeJson {
  const names = t.names?.length ? { names: [...new Set(t.names)].sort() } : {};
  if (t.any) return { ...names, any: true };
  const out: ValueTypeJson = { ...names };
  if (t.enum?.length) out.enum = [...new Set(t.enum)].sort();
  if (t.data?.length) {
    const seen = new Map(t.data.map((d) => [JSON.stringify(d), d]));
    out.data = [...seen.keys()].sort().map((k) => seen.get(k)!);
  }
  return out;
}

/** A description must describe something the schema has: `parent/name@attr=value`, parent and the rest optional. */
function checkDocKey(key: string, built: Built): void {
  const m = /^(?:([\w-]+)\/)?([\w-]+)(?:@([\w-]+)(?:=(.+))?)?$/.exec(key);
  if (!m) throw new Error(`docs-table: malformed key ${key}`);
  const [, parent, name, attr, value] = m;
  const found = built.contexts.some((c) => {
    if (c.name !== name) return false;
    if (parent && !built.contexts.some((p) => p.name === parent && p.children && built.contexts[p.children[name]] === c))
      return false;
    if (!attr) return true;
    const t = c.attrs?.[attr];
    return t !== undefined && (value === undefined || (built.types[t].enum ?? []).includes(value));
  });
  if (!found) throw new Error(`docs-table: ${key} names nothing in the schema`);
}

// ---- output ----

/** Which libvirt the schemas are: .source.json beside them (scripts/libvirt-schemas.sh), else the installed libvirt. */
function libvirtVersion(schemas: string): { libvirt: string; package?: string } {
  const source = join(schemas, '.source.json');
  if (existsSync(source)) return JSON.parse(readFileSync(source, 'utf8')) as { libvirt: string; package?: string };
  if (resolve(schemas) !== INSTALLED_SCHEMAS) return { libvirt: 'unknown' };
  const v = spawnSync('virt-xml-validate', ['--version'], { encoding: 'utf8' });
  const libvirt = /\(libvirt\) (\S+)/.exec(v.stdout ?? '')?.[1] ?? 'unknown';
  const d = spawnSync('dpkg-query', ['-S', join(INSTALLED_SCHEMAS, 'domain.rng')], { encoding: 'utf8' });
  const pkg = d.status === 0 ? d.stdout.split(':')[0] : undefined;
  const ver = pkg ? spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' }).stdout : undefined;
  return { libvirt, ...(pkg && ver ? { package: `Debian ${pkg} ${ver}` } : {}) };
}

export function generateVocabulary(schemas = defaultSchemas()): VocabularyFile {
  const g = new Grammar();
  g.load(join(schemas, 'domain.rng'));
  const built = buildContexts(g, new Analysis(g));
  const docs: Record<string, DocJson> = {};
  for (const k of Object.keys(DOCS).sort()) {
    checkDocKey(k, built);
    docs[k] = DOCS[k];
  }
  return {
    $comment:
      "Generated by scripts/gen-vocabulary.ts from libvirt's RelaxNG domain schema: do not edit by hand. Descriptions: server/src/schema/docs-table.ts.",
    source: {
      generator: 'scripts/gen-vocabulary.ts',
      schema: 'domain.rng',
      files: [...new Set(g.files.map((f) => basename(f)))],
      ...libvirtVersion(schemas),
    },
    root: 0,
    types: built.types,
    contexts: built.contexts,
    docs,
  };
}

/** One context or type per line: diffs of a regenerated vocabulary stay readable. */
export function formatVocabulary(v: VocabularyFile): string {
  const list = (items: unknown[]) => `[\n${items.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]`;
  const docs = `{\n${Object.entries(v.docs)
    .map(([k, d]) => `    ${JSON.stringify(k)}: ${JSON.stringify(d)}`)
    .join(',\n')}\n  }`;
  return (
    `{\n  "$comment": ${JSON.stringify(v.$comment)},\n  "source": ${JSON.stringify(v.source)},\n  "root": ${v.root},\n` +
    `  "types": ${list(v.types)},\n  "contexts": ${list(v.contexts)},\n  "docs": ${docs}\n}\n`
  );
}

if (require.main === module) {
  const at = process.argv.indexOf('--schemas');
  const text = formatVocabulary(generateVocabulary(at > 0 ? process.argv[at + 1] : defaultSchemas()));
  if (process.argv.includes('--write')) {
    writeFileSync(VOCABULARY_FILE, text);
    console.log(`wrote ${VOCABULARY_FILE}`);
  } else if (process.argv.includes('--check')) {
    if (readFileSync(VOCABULARY_FILE, 'utf8') !== text) {
      console.error('schemas/domain-vocabulary.json is stale: run node out/scripts/gen-vocabulary.js --write');
      process.exit(1);
    }
  } else process.stdout.write(text);
}

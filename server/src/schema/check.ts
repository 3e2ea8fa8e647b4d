import type { DomainModel } from '../model/domain';
import { hasPlaceholder } from '../model/template';
import type { XmlAttribute, XmlElement } from '../parser/nodes';
import { textContent } from '../parser/query';
import type { Finding } from '../model/finding';
import type { SchemaCode, SchemaData } from './codes';
import { deferredTo } from './defer';
import { nearest } from './suggest';
import type { ValueType } from './types';
import { vocabulary, type Context, type Vocabulary } from './vocabulary';

export interface SchemaFinding extends Finding {
  code: SchemaCode;
  data: SchemaData;
}

const cache = new WeakMap<DomainModel, SchemaFinding[]>();

/**
 * The first this many findings of each schema code, and this many in all, are built (messages, "did you mean"
 * candidates); the rest are only counted, into one `omitted` finding per code, so a pasted megabyte of junk costs a
 * count per attribute and not a suggestion each. `service/validate.ts` turns those counts into its one notice.
 */
export const SCHEMA_FINDINGS_PER_CODE = 100;
export const SCHEMA_FINDINGS_PER_DOCUMENT = 400;

/** Every schema finding of a domain, computed once per parse and shared by the four schema rules. */
export function schemaFindings(model: DomainModel): SchemaFinding[] {
  let out = cache.get(model);
  if (!out) {
    out = [];
    const vocab = vocabulary();
    new Checker(vocab, model, out).run(model.domain, vocab.refine(vocab.root, model.domain));
    cache.set(model, out);
  }
  return out;
}

/** Namespaced elements (`<qemu:commandline>`) and elements in a default namespace of their own are not libvirt's. */
export function isForeign(el: XmlElement): boolean {
  return el.name.indexOf(':') >= 0 || hasOwnNamespace(el);
}

function hasOwnNamespace(el: XmlElement): boolean {
  for (const a of el.attributes) if (a.name === 'xmlns' && a.value !== '') return true;
  return false;
}

/** Namespace declarations and namespaced attributes are not the schema's. */
function isForeignAttribute(a: XmlAttribute): boolean {
  return a.name === 'xmlns' || a.name.indexOf(':') >= 0;
}

/** An element being checked: where its walk over the children is. */
interface Frame {
  el: XmlElement;
  ctx: Context;
  next: number;
  hasChildren: boolean;
  /** Allocated only for the few contexts that limit a child to one occurrence. */
  seen: Map<string, XmlElement> | undefined;
}

interface Omitted {
  count: number;
  start: number;
  end: number;
}

class Checker {
  private readonly text: string;
  private readonly built = new Map<SchemaCode, number>();
  private readonly omitted = new Map<SchemaCode, Omitted>();
  private total = 0;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly model: DomainModel,
    private readonly out: SchemaFinding[],
  ) {
    this.text = model.doc.text;
  }

  /** The tree walk, with an explicit stack (the schema nests <backingStore> without end; so can a hostile file). */
  run(root: XmlElement, rootCtx: Context): void {
    const stack: Frame[] = [];
    const enter = (el: XmlElement, ctx: Context) => {
      if (hasOwnNamespace(el)) return;
      this.attributes(el, ctx);
      stack.push({ el, ctx, next: 0, hasChildren: false, seen: undefined });
    };
    enter(root, rootCtx);
    while (stack.length) {
      const f = stack[stack.length - 1];
      const c = f.el.children[f.next++];
      if (!c) {
        stack.pop();
        this.leave(f);
        continue;
      }
      if (c.kind !== 'element') continue;
      f.hasChildren = true;
      if (c.name.indexOf(':') >= 0) continue;
      const cc = this.vocab.child(f.ctx, c.name);
      if (!cc) {
        if (!f.ctx.anyChildren && !hasOwnNamespace(c)) this.unknownElement(c, f.el, f.ctx);
        continue;
      }
      if (f.ctx.once.has(c.name)) {
        f.seen ??= new Map();
        const before = f.seen.get(c.name);
        if (before) this.repeated(c, f.el, before);
        else f.seen.set(c.name, c);
      }
      enter(c, this.vocab.refine(cc, c));
    }
    for (const [code, o] of this.omitted) {
      this.out.push({
        code,
        start: o.start,
        end: o.end,
        message: `${o.count} more ${code} findings are not reported`,
        data: { kind: 'omitted', name: '', candidates: [], omitted: o.count },
      });
    }
  }

  /** The element's own attributes: unknown ones, invalid values, missing required ones. Linear in their number. */
  private attributes(el: XmlElement, ctx: Context): void {
    let names: Set<string> | undefined;
    for (const a of el.attributes) {
      if (isForeignAttribute(a)) continue;
      const type = ctx.attrs.get(a.name);
      if (!type) {
        if (!ctx.anyAttrs) this.unknownAttribute(el, a, ctx, () => (names ??= new Set(el.attributes.map((x) => x.name))));
      } else if (a.value !== null && !type.accepts(a.value) && !hasPlaceholder(a.value)) this.invalidValue(el, a, type);
    }
    if (ctx.required.length) {
      names ??= new Set(el.attributes.map((x) => x.name));
      const missing = ctx.required.filter((n) => !names!.has(n));
      if (missing.length) {
        this.report('schema-missing-required', el, undefined, el.nameStart, el.nameEnd, () => ({
          message: `<${el.name}> is missing the required attribute${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}`,
          data: { kind: 'required-attribute', name: el.name, candidates: [], missing },
        }));
      }
    }
  }

  /** After the children: required children, and the element's text. */
  private leave({ el, ctx, hasChildren }: Frame): void {
    // a half-typed element (closed by recovery) is still being written: its children may be on their way
    if (ctx.requiredChildren.length && el.wellFormed) {
      const present = new Set<string>();
      for (const c of el.children) if (c.kind === 'element') present.add(c.name);
      const missing = ctx.requiredChildren.filter((n) => !present.has(n));
      if (missing.length) {
        this.report('schema-missing-required', el, undefined, el.nameStart, el.nameEnd, () => ({
          message: `<${el.name}> is missing the required child element${missing.length > 1 ? 's' : ''} ${missing.map((n) => `<${n}>`).join(', ')}`,
          data: { kind: 'required-element', name: el.name, candidates: [], missing },
        }));
      }
    }
    if (ctx.text && !hasChildren) this.textValue(el, ctx.text);
    else if (ctx.noText) this.strayText(el, ctx);
  }

  private repeated(el: XmlElement, parent: XmlElement, before: XmlElement): void {
    if (!this.room('schema-unknown-element', el.nameStart, el.nameEnd)) return;
    this.out.push({
      code: 'schema-unknown-element',
      start: el.nameStart,
      end: el.nameEnd,
      message: `<${parent.name}> allows one <${el.name}>: this second one is not allowed`,
      related: [{ start: before.nameStart, end: before.nameEnd, message: `the first <${el.name}>` }],
      data: { kind: 'element', name: el.name, candidates: [] },
    });
  }

  /** Text where only elements (or nothing) may be: `<model>virtio</model>` for `<model type='virtio'/>`. */
  private strayText(el: XmlElement, ctx: Context): void {
    const span = this.textSpan(el);
    if (!span) return;
    this.report('schema-invalid-value', el, undefined, span.start, span.end, () => {
      const value = textContent(this.text, el);
      // the usual slip: the value of a required attribute written as text
      const asAttr =
        ctx.required.find((a) => ctx.attrs.get(a)?.accepts(value)) ??
        [...ctx.attrs].find(([, t]) => t.enumValues.includes(value))?.[0];
      const hint = asAttr ? `: did you mean <${el.name} ${asAttr}='${value}'/>?` : '';
      return { message: `<${el.name}> holds no text${hint}`, data: { kind: 'text', name: value, candidates: [] } };
    });
  }

  /** From the first to the last non-blank character of the element's own text (no string is built: hot path). */
  private textSpan(el: XmlElement): { start: number; end: number } | undefined {
    const text = this.text;
    let start = -1;
    let end = -1;
    for (const c of el.children) {
      if (c.kind !== 'text' && c.kind !== 'cdata') continue;
      let i = c.start;
      let j = c.end;
      while (i < j && isBlank(text.charCodeAt(i))) i++;
      while (j > i && isBlank(text.charCodeAt(j - 1))) j--;
      if (i === j) continue;
      if (start < 0) start = i;
      end = j;
    }
    return start < 0 ? undefined : { start, end };
  }

  private unknownElement(el: XmlElement, parent: XmlElement, ctx: Context): void {
    this.report('schema-unknown-element', el, undefined, el.nameStart, el.nameEnd, () => {
      const candidates = nearest(el.name, ctx.children.keys());
      const hint = candidates.length ? `: did you mean <${candidates[0]}>?` : '';
      return {
        message: `unknown element <${el.name}> in <${parent.name}>${hint}`,
        data: { kind: 'element', name: el.name, candidates },
      };
    });
  }

  /** `names`: the element's attribute names, built once per element (once per attribute made this quadratic). */
  private unknownAttribute(el: XmlElement, a: XmlAttribute, ctx: Context, names: () => Set<string>): void {
    this.report('schema-unknown-attribute', el, a.name, a.nameStart, a.nameEnd, () => {
      const taken = names();
      const candidates = nearest(
        a.name,
        [...ctx.attrs.keys()].filter((n) => !taken.has(n)),
      );
      const hint = candidates.length ? `: did you mean '${candidates[0]}'?` : '';
      return {
        message: `unknown attribute '${a.name}' on <${el.name}>${hint}`,
        data: { kind: 'attribute', name: a.name, candidates },
      };
    });
  }

  private invalidValue(el: XmlElement, a: XmlAttribute, type: ValueType): void {
    const value = a.value ?? '';
    const start = a.valueEnd > a.valueStart ? a.valueStart : a.nameStart;
    const end = a.valueEnd > a.valueStart ? a.valueEnd : a.valueEnd + (a.quote ? 1 : 0);
    this.report('schema-invalid-value', el, a.name, start, end, () => {
      const candidates = value ? nearest(value, type.enumValues) : [];
      const hint = candidates.length ? `did you mean '${candidates[0]}'? ` : '';
      return {
        message: `'${value}' is not a valid ${a.name} of <${el.name}>: ${hint}expected ${type.describe()}`,
        data: { kind: 'value', name: value, attribute: a.name, candidates },
      };
    });
  }

  private textValue(el: XmlElement, type: ValueType): void {
    const span = this.textSpan(el);
    if (!span) return;
    const value = textContent(this.text, el);
    if (type.accepts(value) || hasPlaceholder(value)) return; // a template's placeholder: template-placeholder
    this.report('schema-invalid-value', el, undefined, span.start, span.end, () => {
      const candidates = nearest(value, type.enumValues);
      const hint = candidates.length ? `did you mean '${candidates[0]}'? ` : '';
      return {
        message: `'${value}' is not a valid value of <${el.name}>: ${hint}expected ${type.describe()}`,
        data: { kind: 'text', name: value, candidates },
      };
    });
  }

  /** Reports a finding unless a dedicated rule reports it; `build` (message, suggestions) runs only within the caps. */
  private report(
    code: SchemaCode,
    el: XmlElement,
    attr: string | undefined,
    start: number,
    end: number,
    build: () => { message: string; data: SchemaData },
  ): void {
    if (deferredTo(this.model, code, el, attr) || !this.room(code, start, end)) return;
    this.out.push({ code, start, end, ...build() });
  }

  /** Whether one more finding of `code` is built; past the caps it is counted instead. */
  private room(code: SchemaCode, start: number, end: number): boolean {
    const built = this.built.get(code) ?? 0;
    if (built < SCHEMA_FINDINGS_PER_CODE && this.total < SCHEMA_FINDINGS_PER_DOCUMENT) {
      this.built.set(code, built + 1);
      this.total++;
      return true;
    }
    const o = this.omitted.get(code);
    if (o) o.count++;
    else this.omitted.set(code, { count: 1, start, end });
    return false;
  }
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

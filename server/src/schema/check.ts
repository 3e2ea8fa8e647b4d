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

/** Every schema finding of a domain, computed once per parse and shared by the four schema rules. */
export function schemaFindings(model: DomainModel): SchemaFinding[] {
  let out = cache.get(model);
  if (!out) {
    out = [];
    const vocab = vocabulary();
    new Checker(vocab, model, out).element(model.domain, vocab.refine(vocab.root, model.domain));
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

class Checker {
  private readonly text: string;

  constructor(
    private readonly vocab: Vocabulary,
    private readonly model: DomainModel,
    private readonly out: SchemaFinding[],
  ) {
    this.text = model.doc.text;
  }

  element(el: XmlElement, ctx: Context): void {
    if (hasOwnNamespace(el)) return;
    for (const a of el.attributes) {
      if (isForeignAttribute(a)) continue;
      const type = ctx.attrs.get(a.name);
      if (!type) {
        if (!ctx.anyAttrs) this.unknownAttribute(el, a, ctx);
      } else if (a.value !== null && !type.accepts(a.value) && !hasPlaceholder(a.value)) this.invalidValue(el, a, type);
    }
    if (ctx.required.length) {
      const missing = ctx.required.filter((n) => !el.attributes.some((a) => a.name === n));
      if (missing.length) {
        this.report(
          'schema-missing-required',
          el,
          undefined,
          el.nameStart,
          el.nameEnd,
          `<${el.name}> is missing the required attribute${missing.length > 1 ? 's' : ''} ${missing.map((n) => `'${n}'`).join(', ')}`,
          { kind: 'required-attribute', name: el.name, candidates: [], missing },
        );
      }
    }
    // allocated only for the few contexts that limit a child to one occurrence
    let seen: Map<string, XmlElement> | undefined;
    let hasChildren = false;
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      hasChildren = true;
      if (c.name.indexOf(':') >= 0) continue;
      const cc = this.vocab.child(ctx, c.name);
      if (!cc) {
        if (!ctx.anyChildren && !hasOwnNamespace(c)) this.unknownElement(c, el, ctx);
        continue;
      }
      if (ctx.once.has(c.name)) {
        seen ??= new Map();
        const before = seen.get(c.name);
        if (before) this.repeated(c, el, before);
        else seen.set(c.name, c);
      }
      this.element(c, this.vocab.refine(cc, c));
    }
    // a half-typed element (closed by recovery) is still being written: its children may be on their way
    if (ctx.requiredChildren.length && el.wellFormed) {
      const missing = ctx.requiredChildren.filter((n) => !el.children.some((c) => c.kind === 'element' && c.name === n));
      if (missing.length) {
        this.report(
          'schema-missing-required',
          el,
          undefined,
          el.nameStart,
          el.nameEnd,
          `<${el.name}> is missing the required child element${missing.length > 1 ? 's' : ''} ${missing.map((n) => `<${n}>`).join(', ')}`,
          { kind: 'required-element', name: el.name, candidates: [], missing },
        );
      }
    }
    if (ctx.text && !hasChildren) this.textValue(el, ctx.text);
    else if (ctx.noText) this.strayText(el, ctx);
  }

  private repeated(el: XmlElement, parent: XmlElement, before: XmlElement): void {
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
    const value = textContent(this.text, el);
    // the usual slip: the value of a required attribute written as text
    const asAttr =
      ctx.required.find((a) => ctx.attrs.get(a)?.accepts(value)) ??
      [...ctx.attrs].find(([, t]) => t.enumValues.includes(value))?.[0];
    const hint = asAttr ? `: did you mean <${el.name} ${asAttr}='${value}'/>?` : '';
    this.report('schema-invalid-value', el, undefined, span.start, span.end, `<${el.name}> holds no text${hint}`, {
      kind: 'text',
      name: value,
      candidates: [],
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
    const candidates = nearest(el.name, ctx.children.keys());
    const hint = candidates.length ? `: did you mean <${candidates[0]}>?` : '';
    this.report(
      'schema-unknown-element',
      el,
      undefined,
      el.nameStart,
      el.nameEnd,
      `unknown element <${el.name}> in <${parent.name}>${hint}`,
      { kind: 'element', name: el.name, candidates },
    );
  }

  private unknownAttribute(el: XmlElement, a: XmlAttribute, ctx: Context): void {
    const taken = new Set(el.attributes.map((x) => x.name));
    const candidates = nearest(
      a.name,
      [...ctx.attrs.keys()].filter((n) => !taken.has(n)),
    );
    const hint = candidates.length ? `: did you mean '${candidates[0]}'?` : '';
    this.report(
      'schema-unknown-attribute',
      el,
      a.name,
      a.nameStart,
      a.nameEnd,
      `unknown attribute '${a.name}' on <${el.name}>${hint}`,
      { kind: 'attribute', name: a.name, candidates },
    );
  }

  private invalidValue(el: XmlElement, a: XmlAttribute, type: ValueType): void {
    const value = a.value ?? '';
    const candidates = value ? nearest(value, type.enumValues) : [];
    const hint = candidates.length ? `did you mean '${candidates[0]}'? ` : '';
    const start = a.valueEnd > a.valueStart ? a.valueStart : a.nameStart;
    const end = a.valueEnd > a.valueStart ? a.valueEnd : a.valueEnd + (a.quote ? 1 : 0);
    this.report(
      'schema-invalid-value',
      el,
      a.name,
      start,
      end,
      `'${value}' is not a valid ${a.name} of <${el.name}>: ${hint}expected ${type.describe()}`,
      { kind: 'value', name: value, attribute: a.name, candidates },
    );
  }

  private textValue(el: XmlElement, type: ValueType): void {
    const span = this.textSpan(el);
    if (!span) return;
    const value = textContent(this.text, el);
    if (type.accepts(value) || hasPlaceholder(value)) return; // a template's placeholder: template-placeholder
    const candidates = nearest(value, type.enumValues);
    const hint = candidates.length ? `did you mean '${candidates[0]}'? ` : '';
    this.report(
      'schema-invalid-value',
      el,
      undefined,
      span.start,
      span.end,
      `'${value}' is not a valid value of <${el.name}>: ${hint}expected ${type.describe()}`,
      { kind: 'text', name: value, candidates },
    );
  }

  private report(
    code: SchemaCode,
    el: XmlElement,
    attr: string | undefined,
    start: number,
    end: number,
    message: string,
    data: SchemaData,
  ): void {
    if (!deferredTo(this.model, code, el, attr)) this.out.push({ code, start, end, message, data });
  }
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import type { XmlElement } from '../parser/nodes';
import type { DocJson, VocabularyFile, VocabularySource } from './format';
import { ValueType } from './types';

/** Where an element stands in libvirt's domain vocabulary: what it may hold. */
export interface Context {
  index: number;
  name: string;
  path: string;
  children: ReadonlyMap<string, number>;
  /** Any element is allowed below (e.g. <metadata> content). */
  anyChildren: boolean;
  attrs: ReadonlyMap<string, ValueType>;
  anyAttrs: boolean;
  required: readonly string[];
  requiredChildren: readonly string[];
  text: ValueType | undefined;
  noText: boolean;
  once: ReadonlySet<string>;
  /** Narrower contexts selected by an attribute's value (see ContextJson.variants). */
  variants: { attr: string; values: ReadonlyMap<string, number> } | undefined;
}

const VOCABULARY_FILE_NAME = join('schemas', 'domain-vocabulary.json');

export class Vocabulary {
  readonly contexts: Context[];
  readonly root: Context;
  readonly source: VocabularySource;
  private readonly docs: Record<string, DocJson>;

  constructor(file: VocabularyFile) {
    const types = file.types.map((t) => new ValueType(t));
    this.contexts = file.contexts.map((c, index) => ({
      index,
      name: c.name,
      path: c.path,
      children: new Map(Object.entries(c.children ?? {})),
      anyChildren: c.anyChildren === true,
      attrs: new Map(Object.entries(c.attrs ?? {}).map(([k, t]) => [k, types[t]])),
      anyAttrs: c.anyAttrs === true,
      required: c.required ?? [],
      requiredChildren: c.requiredChildren ?? [],
      text: c.text !== undefined ? types[c.text] : undefined,
      noText: c.noText === true,
      once: new Set(c.once ?? []),
      variants: c.variants ? { attr: c.variants.attr, values: new Map(Object.entries(c.variants.values)) } : undefined,
    }));
    this.root = this.contexts[file.root];
    this.source = file.source;
    this.docs = file.docs;
  }

  child(ctx: Context, name: string): Context | undefined {
    const i = ctx.children.get(name);
    return i === undefined ? undefined : this.contexts[i];
  }

  /** The narrowest context the element's discriminating attributes select (`<address type='pci'>`). */
  refine(ctx: Context, el: XmlElement): Context {
    let c = ctx;
    while (c.variants) {
      const { attr, values } = c.variants;
      let value: string | null | undefined;
      for (const a of el.attributes) if (a.name === attr) value = a.value;
      if (value === null || value === undefined) break;
      const i = values.get(value) ?? (/[ \t\r\n]/.test(value) ? values.get(value.replace(/[ \t\r\n]+/g, ' ').trim()) : undefined);
      if (i === undefined) break;
      c = this.contexts[i];
    }
    return c;
  }

  /**
   * The context of an element of the document, from the root down its ancestors; undefined when some
   * ancestor is not in the vocabulary, is namespaced, or sits where anything is allowed.
   */
  contextOf(el: XmlElement): Context | undefined {
    const chain: XmlElement[] = [];
    for (let e: XmlElement | undefined = el; e; e = e.parent) chain.push(e);
    const top = chain.pop()!;
    if (top.name !== this.root.name) return undefined;
    let ctx: Context | undefined = this.refine(this.root, top);
    while (ctx && chain.length) {
      const e = chain.pop()!;
      const c: Context | undefined = this.child(ctx, e.name);
      ctx = c && this.refine(c, e);
    }
    return ctx;
  }

  /** The most specific description: `parent/name` before `name` (attr and value narrow it further). */
  doc(parent: string | undefined, name: string, attr?: string, value?: string): DocJson | undefined {
    const suffix = attr === undefined ? '' : value === undefined ? `@${attr}` : `@${attr}=${value}`;
    return (parent !== undefined ? this.docs[`${parent}/${name}${suffix}`] : undefined) ?? this.docs[`${name}${suffix}`];
  }
}

let loaded: Vocabulary | undefined;

/** The vocabulary, read once from schemas/ (next to the bundle or the compiled sources). */
export function vocabulary(): Vocabulary {
  if (!loaded) loaded = new Vocabulary(JSON.parse(readFileSync(findVocabularyFile(), 'utf8')) as VocabularyFile);
  return loaded;
}

function findVocabularyFile(): string {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = dirname(dir)) {
    const file = join(dir, VOCABULARY_FILE_NAME);
    if (existsSync(file)) return file;
  }
  throw new Error(`${VOCABULARY_FILE_NAME} not found above ${__dirname}`);
}

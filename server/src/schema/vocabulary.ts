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
  readonly root: Context;
  readonly source: VocabularySource;
  private readonly docs: Record<string, DocJson>;
  /**
   * Built on first use: a check (or a CLI run) reaches a few hundred of the ~1,400 contexts, and building every
   * map and value type up front was most of the time it took to load the vocabulary.
   */
  private readonly built: Context[] = [];
  private readonly types: ValueType[] = [];

  constructor(private readonly file: VocabularyFile) {
    this.root = this.context(file.root);
    this.source = file.source;
    this.docs = file.docs;
  }

  context(index: number): Context {
    return (this.built[index] ??= this.build(index));
  }

  /** The first context whose path is `path` (built on its own: the others stay unbuilt). */
  contextAt(path: string): Context | undefined {
    const i = this.file.contexts.findIndex((c) => c.path === path);
    return i < 0 ? undefined : this.context(i);
  }

  private type(index: number): ValueType {
    return (this.types[index] ??= new ValueType(this.file.types[index]));
  }

  private build(index: number): Context {
    const c = this.file.contexts[index];
    return {
      index,
      name: c.name,
      path: c.path,
      children: new Map(Object.entries(c.children ?? {})),
      anyChildren: c.anyChildren === true,
      attrs: new Map(Object.entries(c.attrs ?? {}).map(([k, t]) => [k, this.type(t)])),
      anyAttrs: c.anyAttrs === true,
      required: c.required ?? [],
      requiredChildren: c.requiredChildren ?? [],
      text: c.text !== undefined ? this.type(c.text) : undefined,
      noText: c.noText === true,
      once: new Set(c.once ?? []),
      variants: c.variants ? { attr: c.variants.attr, values: new Map(Object.entries(c.variants.values)) } : undefined,
    };
  }

  child(ctx: Context, name: string): Context | undefined {
    const i = ctx.children.get(name);
    return i === undefined ? undefined : this.context(i);
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
      c = this.context(i);
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

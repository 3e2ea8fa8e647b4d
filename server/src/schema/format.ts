/**
 * The shape of schemas/domain-vocabulary.json, written by scripts/gen-vocabulary.ts from libvirt's RelaxNG
 * schema. An element's meaning depends on where it is (<source> under <disk> is not <source> under
 * <interface>), so the vocabulary is a set of contexts: one per distinct set of schema element patterns an
 * element can stand for, reached from <domain> by child names. Each context is the union of what its patterns
 * allow: checking against it never rejects what libvirt's schema accepts.
 */
export interface VocabularyFile {
  $comment: string;
  source: VocabularySource;
  /** Index of the <domain> context. */
  root: number;
  types: ValueTypeJson[];
  contexts: ContextJson[];
  /** Descriptions and since-versions, keyed `name`, `parent/name`, `name@attr`, `parent/name@attr`, `name@attr=value`. */
  docs: Record<string, DocJson>;
}

export interface VocabularySource {
  generator: string;
  /** The schema file the vocabulary starts from, and every file it includes. */
  schema: string;
  files: string[];
  libvirt: string;
  /** The distribution package that installed the schemas, when known. */
  package?: string;
}

export interface ContextJson {
  name: string;
  /** The first path from <domain> that reaches this context (for reading; other paths may share it). */
  path: string;
  /** The RNG defines whose element patterns this context merges. */
  defines?: string[];
  /** Child element name → context index. */
  children?: Record<string, number>;
  /** Any element is allowed below (e.g. <metadata> content). */
  anyChildren?: true;
  /** Attribute name → value type index. */
  attrs?: Record<string, number>;
  anyAttrs?: true;
  /** Attributes every alternative requires. */
  required?: string[];
  /** Child elements every alternative requires. */
  requiredChildren?: string[];
  /** The type of the text content, for elements that hold text and no child elements. */
  text?: number;
  /** No alternative allows text here (only white space). */
  noText?: true;
  /** Child elements that may occur at most once. */
  once?: string[];
  /**
   * Narrower contexts selected by an attribute's value (address type='pci' → domain, bus, slot, function…).
   * An element whose attribute has none of these values stays in this (merged) context.
   */
  variants?: { attr: string; values: Record<string, number> };
}

/** A union of alternatives: a value is valid when any alternative accepts it. */
export interface ValueTypeJson {
  /** The RNG defines the alternatives come from (pciBus, unit…): a human name for hover. */
  names?: string[];
  enum?: string[];
  data?: DataJson[];
  /** Any text (RNG <text/>, or a type we do not model: over-approximated). */
  any?: true;
}

export interface DataJson {
  /** The XML Schema datatype: string, int, unsignedInt, unsignedLong… */
  type: string;
  /** The pattern facet as a JavaScript regular expression source (anchored when compiled). */
  regex?: string;
  min?: string;
  max?: string;
  minLength?: number;
  maxLength?: number;
}

export interface DocJson {
  doc?: string;
  since?: string;
}

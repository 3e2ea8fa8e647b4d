import type { DomainModel, Valued } from '../model/domain';
import type { XmlAttribute, XmlElement } from '../parser/nodes';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Related {
  start: number;
  end: number;
  message: string;
}

/** What a rule reports: offsets into the document, turned into LSP positions by the service. */
export interface Finding {
  message: string;
  start: number;
  end: number;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
  related?: Related[];
  /** Payload for the quick fixes of this code (architecture habit 4: fixes never read messages). */
  data?: Record<string, unknown>;
}

export type Report = (finding: Finding) => void;

/**
 * One rule per file, named after its code. The doc comment above `export const rule` in each file is the
 * rule's documentation: docs/rules.md is generated from it (scripts/gen-rules-doc.ts).
 */
export interface Rule {
  code: string;
  severity: Severity;
  /** One line, shown as the rules page heading's summary and as SARIF's shortDescription. */
  title: string;
  check(model: DomainModel, report: Report): void;
}

export interface Span {
  start: number;
  end: number;
}

/** The element's name in its start tag: `<teaming` → `teaming`. */
export function nameSpan(el: XmlElement): Span {
  return { start: el.nameStart, end: el.nameEnd };
}

/** The attribute's value between the quotes; the whole attribute when the value is empty. */
export function valueSpan(v: Valued | XmlAttribute): Span {
  const a = 'attr' in v ? v.attr : v;
  return a.valueEnd > a.valueStart ? { start: a.valueStart, end: a.valueEnd } : attrSpan(a);
}

/** The whole attribute: `type='x'`. */
export function attrSpan(v: Valued | XmlAttribute): Span {
  const a = 'attr' in v ? v.attr : v;
  return { start: a.nameStart, end: a.valueEnd + (a.quote ? 1 : 0) };
}

export function related(span: Span, message: string): Related {
  return { ...span, message };
}

/** `<interface type='hostdev'>` → "<interface type='hostdev'>", for messages. */
export function describe(el: XmlElement): string {
  const type = el.attributes.find((a) => a.name === 'type')?.value;
  return type ? `<${el.name} type='${type}'>` : `<${el.name}>`;
}

import type { HostContext } from '../host/context';
import type { DomainModel, Valued } from '../model/domain';
import type { Finding, Related, Severity } from '../model/finding';
import type { Span, XmlAttribute, XmlElement } from '../parser/nodes';

export type { Finding, Related, Severity } from '../model/finding';

export type Report = (finding: Finding) => void;

/** What a rule may know beyond the document: the host it is judged for, when there is one. */
export interface RuleEnv {
  host?: HostContext;
}

/**
 * One rule per file, named after its code. The doc comment above `export const rule` in each file is the
 * rule's documentation: docs/rules.md is generated from it (scripts/gen-rules-doc.ts).
 */
export interface Rule {
  code: string;
  severity: Severity;
  /** One line, shown as the rules page heading's summary and as SARIF's shortDescription. */
  title: string;
  check(model: DomainModel, report: Report, env?: RuleEnv): void;
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

/** The schema rules' codes, and the payload their "did you mean" fixes read. */
export const SCHEMA_CODES = [
  'schema-unknown-element',
  'schema-unknown-attribute',
  'schema-invalid-value',
  'schema-missing-required',
] as const;
export type SchemaCode = (typeof SCHEMA_CODES)[number];

/** What "did you mean" quick fixes need: the written name or value, and the nearest valid ones. */
export interface SchemaData extends Record<string, unknown> {
  /** 'omitted': not a finding but how many of this code were past the caps (schema/check.ts). */
  kind: 'element' | 'attribute' | 'value' | 'text' | 'required-attribute' | 'required-element' | 'omitted';
  /** The element name, attribute name or value as written; for missing-required, the element's name. */
  name: string;
  candidates: string[];
  /** The attribute whose value is wrong (kind 'value'). */
  attribute?: string;
  /** For missing-required: what is missing. */
  missing?: string[];
  /** For 'omitted': how many findings were only counted. */
  omitted?: number;
}

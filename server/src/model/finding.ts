import type { Span } from '../parser/nodes';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Related extends Span {
  message: string;
}

/** What a check reports: offsets into the document, turned into LSP positions by the service. */
export interface Finding extends Span {
  message: string;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
  related?: Related[];
  /** Payload for the quick fixes of this code (architecture habit 4: fixes never read messages). */
  data?: Record<string, unknown>;
}

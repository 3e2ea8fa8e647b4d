import type { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { HostContext } from '../host/context';
import { RULES, XML_SYNTAX, type Finding, type RuleEnv, type Severity } from '../rules';
import type { Parsed } from '../model/parsed';

export const SOURCE = 'migratable';
/** Where the generated rules page lives; each code is a heading there. */
export const DEFAULT_RULES_DOC = 'https://github.com/migratable-domains/migratable-domains/blob/main/docs/rules.md';

export type SeverityOverride = Severity | 'off';

export interface ValidationSettings {
  enable?: boolean;
  /** Per-code severity override, or 'off'. */
  rules?: Record<string, string>;
  /** Base URI of the rules page (codeDescription.href is `${rulesDoc}#${code}`). */
  rulesDoc?: string;
  /** The host the document is judged for (its own host, or the workspace's target host), when its facts are known. */
  host?: HostContext;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};
const OVERRIDES = new Set(['error', 'warning', 'information', 'hint', 'off']);

/**
 * Whether a diagnostic blocks live migration: every error, and the warnings that say so (the migration-* rules,
 * and teaming-not-pcie: QEMU refuses such a failover VF). Other warnings (a duplicate MAC, an unreferenced alias
 * libvirt drops) are advice. The status bar, the readiness report and `fix`'s "left" all use this one test.
 */
export function isBlocker(d: Diagnostic): boolean {
  if (d.severity === DiagnosticSeverity.Error) return true;
  const code = String(d.code);
  return d.severity === DiagnosticSeverity.Warning && (code.startsWith('migration-') || code === 'teaming-not-pcie');
}

export interface CancellationCheck {
  isCancellationRequested: boolean;
}

/**
 * Diagnostics of one document: syntax errors from the parser, then every rule over the domain model.
 * Documents whose root element is not <domain> get none.
 */
export function validate(
  document: TextDocument,
  parsed: Parsed,
  settings: ValidationSettings = {},
  token?: CancellationCheck,
): Diagnostic[] {
  if (settings.enable === false || !parsed.model) return [];
  const overrides = settings.rules ?? {};
  const docBase = settings.rulesDoc ?? DEFAULT_RULES_DOC;
  const out: Diagnostic[] = [];
  const push = (code: string, severity: Severity, f: Finding) => {
    const o = overrides[code];
    if (o === 'off') return;
    const sev = o && OVERRIDES.has(o) ? (o as Severity) : (f.severity ?? severity);
    const d: Diagnostic = {
      range: { start: document.positionAt(f.start), end: document.positionAt(f.end) },
      severity: SEVERITY[sev],
      code,
      codeDescription: { href: `${docBase}#${code}` },
      source: SOURCE,
      message: f.message,
    };
    if (f.related?.length) {
      d.relatedInformation = f.related.map((r) => ({
        location: { uri: document.uri, range: { start: document.positionAt(r.start), end: document.positionAt(r.end) } },
        message: r.message,
      }));
    }
    if (f.data) d.data = f.data;
    out.push(d);
  };
  for (const e of parsed.xml.errors) push(XML_SYNTAX, e.severity, { start: e.start, end: e.end, message: e.message });
  const env: RuleEnv = { host: settings.host };
  for (const rule of RULES) {
    if (token?.isCancellationRequested) return out;
    if (overrides[rule.code] === 'off') continue;
    try {
      rule.check(parsed.model, (f) => push(rule.code, rule.severity, f), env);
    } catch (err) {
      // a rule bug must never take the whole validation (or the server) down
      push(rule.code, 'hint', { start: 0, end: 0, message: `internal error in rule ${rule.code}: ${(err as Error).message}` });
    }
  }
  return out.sort(byPosition);
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

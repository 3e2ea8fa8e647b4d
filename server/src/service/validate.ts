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
 * How many diagnostics a document gets: the first `perCode` of each code and `total` in all; the rest are counted
 * into one notice (pasted junk made 16,000 squiggles, each a message to build, send and draw). Syntax errors are
 * capped by the parser.
 */
export interface ValidationLimits {
  perCode: number;
  total: number;
}
export const DEFAULT_LIMITS: ValidationLimits = { perCode: 100, total: 1000 };
/** What "Make Domain Migratable" sees: every fixable problem in one round. */
export const UNLIMITED: ValidationLimits = { perCode: Infinity, total: Infinity };

/** The payload of the notice, so quick fixes never take it for a problem: code → how many were left out. */
export interface OmittedData {
  omitted: Record<string, number>;
}

export function isNotice(d: Diagnostic): boolean {
  return d.data !== null && typeof d.data === 'object' && 'omitted' in d.data;
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
  limits: ValidationLimits = DEFAULT_LIMITS,
): Diagnostic[] {
  if (settings.enable === false || !parsed.model) return [];
  const overrides = settings.rules ?? {};
  const docBase = settings.rulesDoc ?? DEFAULT_RULES_DOC;
  const out: Diagnostic[] = [];
  const omitted = new Omitted();
  const perCode = new Map<string, number>();
  const push = (code: string, severity: Severity, f: Finding) => {
    const o = Object.hasOwn(overrides, code) ? overrides[code] : undefined;
    if (o === 'off') return;
    const override = o && OVERRIDES.has(o) ? (o as Severity) : undefined;
    const sev = override ?? f.severity ?? severity;
    // the schema checker counts what is past its own caps: that count joins the notice
    const counted = f.data?.kind === 'omitted' ? Number(f.data.omitted) : 0;
    const n = perCode.get(code) ?? 0;
    if (counted > 0 || (code !== XML_SYNTAX && n >= limits.perCode) || out.length >= limits.total) {
      omitted.add(code, counted || 1, counted > 0 ? (override ?? severity) : sev, f);
      return;
    }
    perCode.set(code, n + 1);
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
    if (Object.hasOwn(overrides, rule.code) && overrides[rule.code] === 'off') continue;
    try {
      rule.check(parsed.model, (f) => push(rule.code, rule.severity, f), env);
    } catch (err) {
      // a rule bug must never take the whole validation (or the server) down
      push(rule.code, 'hint', { start: 0, end: 0, message: `internal error in rule ${rule.code}: ${(err as Error).message}` });
    }
  }
  const notice = omitted.notice(limits);
  if (notice)
    out.push({
      range: { start: document.positionAt(notice.start), end: document.positionAt(notice.end) },
      severity: SEVERITY[notice.severity],
      code: notice.code,
      codeDescription: { href: `${docBase}#${notice.code}` },
      source: SOURCE,
      message: notice.message,
      data: { omitted: notice.counts } satisfies OmittedData,
    });
  return out.sort(byPosition);
}

const RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** What the caps left out: one notice, as severe as the worst it stands for (an error left out still fails `check`). */
class Omitted {
  private readonly counts = new Map<string, number>();
  private first: { start: number; end: number } | undefined;
  private severity: Severity = 'hint';

  add(code: string, n: number, severity: Severity, at: Finding): void {
    this.counts.set(code, (this.counts.get(code) ?? 0) + n);
    this.first ??= { start: at.start, end: at.end };
    if (RANK[severity] > RANK[this.severity]) this.severity = severity;
  }

  notice(limits: ValidationLimits) {
    if (!this.first) return undefined;
    const byCount = [...this.counts].sort((a, b) => b[1] - a[1]);
    const total = byCount.reduce((sum, [, n]) => sum + n, 0);
    const list = byCount.map(([code, n]) => `${code}: ${n}`).join(', ');
    return {
      ...this.first,
      code: byCount[0][0],
      severity: this.severity,
      counts: Object.fromEntries(byCount),
      message: `${total} more findings are not shown (${list}): a document gets the first ${limits.perCode} of each code, ${limits.total} in all`,
    };
  }
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

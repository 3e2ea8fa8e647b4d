import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { detectStyle } from '../edits/style';
import { applyEdits, EditHistory, toTextEdits } from '../edits/textEdits';
import { parse, type Parsed } from '../service/parsed';
import { isBlocker, SOURCE, validate } from '../service/validate';
import { FIXES } from './registry';
import type { Fix, FixContext, FixSettings, Problem } from './types';

export { generateMac } from './mac';
export { insertTeamingPairSnippet } from './snippet';
export { DEFAULT_FIX_SETTINGS, type FixSettings } from './types';
export { FIXES } from './registry';

/** The kind of the "Make Domain Migratable" source action (editor.codeActionsOnSave can ask for it). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.migratable`;
export const FIX_ALL_TITLE = 'Make Domain Migratable';
const MAX_ROUNDS = 200;

export interface FixAllResult {
  /** Non-overlapping edits against the document as given: one undo step. Empty when there is nothing to do. */
  edits: TextEdit[];
  /** One line per fix applied. */
  summary: string[];
  /** Errors and migration warnings left after the fixes (no safe fix: a choice, or not fixable here). */
  remaining: string[];
}

/**
 * Quick fixes for our diagnostics (found by code, payload in data), and the fix-all source action when
 * `only` asks for it. `random` feeds generated MACs (tests inject a seeded one).
 */
export function getCodeActions(document: TextDocument, parsed: Parsed, diagnostics: Diagnostic[], settings: FixSettings,
  only?: string[], random: () => number = Math.random): CodeAction[] {
  const current = fresh(document, parsed);
  const ctx = context(current, settings, random);
  if (!ctx) return [];
  const actions: CodeAction[] = [];
  if (!only || only.some((k) => covers(k, CodeActionKind.QuickFix))) {
    for (const d of diagnostics) {
      const problem = problemOf(document, d);
      if (!problem) continue;
      let preferred = false;
      for (const fix of build(ctx, problem)) {
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: { changes: { [document.uri]: toTextEdits(document, fix.edits) } },
        };
        if (fix.safe && !preferred) action.isPreferred = preferred = true;
        actions.push(action);
      }
    }
  }
  if (only?.some((k) => covers(k, FIX_ALL_KIND))) {
    const all = fixAll(document, current, settings, random);
    if (all.edits.length) {
      actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: { changes: { [document.uri]: all.edits } } });
    }
  }
  return actions;
}

/**
 * Every safe fix, applied one at a time (re-validating in between) until none is left, returned as one set of
 * edits against the original text. Idempotent: on its own result it finds nothing to do.
 */
export function fixAll(document: TextDocument, parsed: Parsed, settings: FixSettings, random: () => number = Math.random): FixAllResult {
  const first = fresh(document, parsed);
  if (!first.model) return { edits: [], summary: [], remaining: [] };
  if (first.xml.errors.some((e) => e.severity === 'error')) {
    return { edits: [], summary: [], remaining: ['the document has XML syntax errors: fix them first'] };
  }
  const history = new EditHistory(first.xml.text);
  const summary: string[] = [];
  const seen = new Set([first.xml.text]);
  let doc = document;
  let current = first;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const ctx = context(current, settings, random)!;
    const step = nextSafeFix(doc, ctx, settings, seen);
    if (!step) break;
    history.apply(step.fix.edits);
    summary.push(step.fix.summary);
    seen.add(step.text);
    doc = TextDocument.create(document.uri, document.languageId, document.version + round, step.text);
    current = step.parsed;
  }
  return { edits: toTextEdits(document, history.edits()), summary, remaining: remaining(doc, current, settings) };
}

function nextSafeFix(doc: TextDocument, ctx: FixContext, settings: FixSettings, seen: Set<string>) {
  const order = [...FIXES.keys()];
  const problems = validate(doc, ctx.parsed, { rules: settings.rules })
    .map((d) => problemOf(doc, d))
    .filter((p): p is Problem => p !== undefined)
    .sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code) || a.start - b.start);
  for (const problem of problems) {
    for (const fix of build(ctx, problem)) {
      if (!fix.safe || fix.edits.length === 0) continue;
      const text = applyEdits(ctx.text, fix.edits);
      if (seen.has(text)) continue;
      const parsed = parse({ uri: doc.uri, version: doc.version + 1, getText: () => text });
      if (parsed.xml.errors.some((e) => e.severity === 'error')) continue; // a fix must never break the XML
      return { fix, text, parsed };
    }
  }
  return undefined;
}

/** What is still wrong: errors, and warnings that block migration. */
function remaining(doc: TextDocument, parsed: Parsed, settings: FixSettings): string[] {
  return validate(doc, parsed, { rules: settings.rules })
    .filter(isBlocker)
    .map((d) => `line ${d.range.start.line + 1}: ${d.message} (${d.code})`);
}

function build(ctx: FixContext, problem: Problem): Fix[] {
  try {
    return FIXES.get(problem.code)!(ctx, problem);
  } catch {
    return []; // a builder bug must not take the code actions (or the server) down
  }
}

function problemOf(document: TextDocument, d: Diagnostic): Problem | undefined {
  if (typeof d.code !== 'string' || !FIXES.has(d.code) || (d.source !== undefined && d.source !== SOURCE)) return undefined;
  const data = d.data !== null && typeof d.data === 'object' ? d.data as Record<string, unknown> : {};
  return { code: d.code, start: document.offsetAt(d.range.start), end: document.offsetAt(d.range.end), data };
}

function context(parsed: Parsed, settings: FixSettings, random: () => number): FixContext | undefined {
  if (!parsed.model) return undefined;
  return { text: parsed.xml.text, parsed, model: parsed.model, style: detectStyle(parsed.xml), settings, random };
}

/** The parse of this very text (a stale one would put edits in the wrong places). */
function fresh(document: TextDocument, parsed: Parsed): Parsed {
  return parsed.xml.text === document.getText() ? parsed : parse(document);
}

/** Whether a requested kind (`only`) covers an action's kind: equal, or a parent in the dotted hierarchy. */
function covers(requested: string, kind: string): boolean {
  return requested === '' || kind === requested || kind.startsWith(requested + '.');
}

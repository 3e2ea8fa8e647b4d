import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { detectStyle, lineStart } from '../edits/style';
import { applyEdits, EditHistory, toOffsetEdits, toTextEdits } from '../edits/textEdits';
import { unifiedDiff } from '../edits/unifiedDiff';
import { FIXES, teamingPairSnippet, type Fix, type FixContext, type FixSettings, type Problem } from '../fixes';
import { freeAlias } from '../model/alias';
import { generateMac as freshMac } from '../model/mac';
import { parse, type Parsed } from '../model/parsed';
import { isBlocker, SOURCE, validate } from './validate';

/** The kind of the "Make Domain Migratable" source action (editor.codeActionsOnSave can ask for it). */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.migratable`;
const FIX_ALL_TITLE = 'Make Domain Migratable';
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
export function getCodeActions(
  document: TextDocument,
  parsed: Parsed,
  diagnostics: Diagnostic[],
  settings: FixSettings,
  only?: string[],
  random: () => number = Math.random,
): CodeAction[] {
  const current = fresh(document, parsed);
  const ctx = context(current, settings, random);
  if (!ctx) return [];
  const actions: CodeAction[] = [];
  if (!only || only.some((k) => covers(k, CodeActionKind.QuickFix))) {
    for (const d of diagnostics) {
      const problem = problemOf(document, d);
      if (!problem) continue;
      const fixes = build(ctx, problem);
      const preferred = fixes.find((f) => f.preferred) ?? fixes.find((f) => f.safe && f.preferred !== false);
      for (const fix of fixes) {
        const action: CodeAction = {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          edit: { changes: { [document.uri]: toTextEdits(document, fix.edits) } },
        };
        if (fix === preferred) action.isPreferred = true;
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
export function fixAll(
  document: TextDocument,
  parsed: Parsed,
  settings: FixSettings,
  random: () => number = Math.random,
): FixAllResult {
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

const ORDER = new Map([...FIXES.keys()].map((code, i) => [code, i]));

function nextSafeFix(doc: TextDocument, ctx: FixContext, settings: FixSettings, seen: Set<string>) {
  const problems = validate(doc, ctx.parsed, { rules: settings.rules, host: settings.host })
    .map((d) => problemOf(doc, d))
    .filter((p): p is Problem => p !== undefined)
    .sort((a, b) => ORDER.get(a.code)! - ORDER.get(b.code)! || a.start - b.start);
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
  return validate(doc, parsed, { rules: settings.rules, host: settings.host })
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
  const data = d.data !== null && typeof d.data === 'object' ? (d.data as Record<string, unknown>) : {};
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

/** A fresh unicast `52:54:00:…` MAC unused anywhere in the document. */
export function generateMac(parsed: Parsed, random: () => number = Math.random): string {
  return freshMac(parsed.xml.text, random);
}

/**
 * "Insert Teaming Pair" at `offset`: a virtio standby and a VF with one fresh MAC and a unique `ua-` alias, the
 * VF's host PCI address parts as tab stops. Starts on a new line when the cursor follows text.
 */
export function insertTeamingPairSnippet(
  document: TextDocument,
  parsed: Parsed,
  offset: number,
  settings: FixSettings,
  random: () => number = Math.random,
): string {
  const text = document.getText();
  const afterText = !/^[ \t]*$/.test(text.slice(lineStart(text, offset), offset));
  const style = detectStyle(parsed.xml);
  const indent = afterText ? style.indentUnit : '';
  const snippet = teamingPairSnippet({
    style,
    settings,
    stops: 'address',
    indent,
    mac: freshMac(text, random),
    alias: parsed.model ? freeAlias(parsed.model) : 'ua-standby0',
  });
  return (afterText ? '\n' + indent : '') + snippet + '$0';
}

export interface FixedText {
  fixed: string;
  /** A unified diff of the fix, `--- name` / `+++ name`. */
  diff: string;
  summary: string[];
  remaining: string[];
  /** Why the text was not fixed: it is not a libvirt domain. */
  skipped: string | undefined;
}

/** `migratable fix`: every safe fix of a domain's text, as the fixed text and a diff. */
export function fixText(uri: string, name: string, text: string, settings: FixSettings): FixedText {
  const document = TextDocument.create(uri, 'xml', 1, text);
  const parsed = parse(document);
  if (!parsed.model) return { fixed: text, diff: '', summary: [], remaining: [], skipped: notADomain(parsed) };
  const result = fixAll(document, parsed, settings);
  const fixed = TextDocument.applyEdits(document, result.edits);
  return {
    fixed,
    diff: unifiedDiff(text, toOffsetEdits(document, result.edits), name, name),
    summary: result.summary,
    remaining: result.remaining,
    skipped: undefined,
  };
}

/** Why a document gets no domain features: `not a libvirt domain: the root element is <project>`. */
export function notADomain(parsed: Parsed): string {
  const root = parsed.xml.root?.name;
  return root ? `not a libvirt domain: the root element is <${root}>` : 'not a libvirt domain: no root element';
}

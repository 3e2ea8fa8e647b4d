import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { detectStyle, lineStart } from '../edits/style';
import { applyEdits, EditHistory, toOffsetEdits, toTextEdits, type OffsetEdit } from '../edits/textEdits';
import { keepsWellFormed } from '../edits/wellFormed';
import { unifiedDiff } from '../edits/unifiedDiff';
import {
  deviceAt,
  FIXES,
  FreshNames,
  teamingPairSnippet,
  type Fix,
  type FixContext,
  type FixSettings,
  type Problem,
} from '../fixes';
import type { AnyDevice, DomainModel } from '../model/domain';
import { freeAlias } from '../model/alias';
import { generateMac as freshMac } from '../model/mac';
import { parse, type Parsed } from '../model/parsed';
import { isBlocker, isNotice, SOURCE, UNLIMITED, validate } from './validate';

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
 * `only` asks for it. `random` feeds generated MACs (tests inject a seeded one). A fix is offered only where its
 * result is at least as well-formed as the text (a fix into a half-typed value must not add syntax errors).
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
      const fixes = build(ctx, problem).filter((f) => keepsWellFormed(current.xml, f.edits));
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
 * Every safe fix, returned as one set of edits against the original text. Round by round: one validation, then
 * every safe fix of the first code that has one, applied together where they touch different devices (a fix that
 * shares a device, its partner or a name with one already taken waits for the next round), then one parse of the
 * result. Linear in the document and the number of fixes; idempotent: on its own result it finds nothing to do.
 */
export function fixAll(
  document: TextDocument,
  parsed: Parsed,
  settings: FixSettings,
  random: () => number = Math.random,
): FixAllResult {
  const first = fresh(document, parsed);
  if (!first.model) return { edits: [], summary: [], remaining: [] };
  if (hasSyntaxErrors(first)) {
    return { edits: [], summary: [], remaining: ['the document has XML syntax errors: fix them first'] };
  }
  const history = new EditHistory(first.xml.text);
  const summary: string[] = [];
  const seen = new Set([fingerprint(first.xml.text)]);
  let doc = document;
  let current = first;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const ctx = context(current, settings, random)!;
    const problems = fixable(doc, ctx, settings);
    // a batch that fails leaves names taken in its context: the careful path starts from a fresh one
    const step = batch(ctx, problems, seen) ?? oneFix(context(current, settings, random)!, problems, seen);
    if (!step) break;
    history.apply(step.edits);
    summary.push(...step.fixes.map((f) => f.summary));
    seen.add(fingerprint(step.parsed.xml.text));
    doc = TextDocument.create(document.uri, document.languageId, document.version + round, step.parsed.xml.text);
    current = step.parsed;
  }
  return { edits: toTextEdits(document, history.edits()), summary, remaining: remaining(doc, current, settings) };
}

const ORDER = new Map([...FIXES.keys()].map((code, i) => [code, i]));

interface Step {
  fixes: Fix[];
  edits: OffsetEdit[];
  parsed: Parsed;
}

/** The problems a safe fix may solve, in the order fix-all takes them: by code (FIXES order), then by place. */
function fixable(doc: TextDocument, ctx: FixContext, settings: FixSettings): Problem[] {
  return validate(doc, ctx.parsed, { rules: settings.rules, host: settings.host }, undefined, UNLIMITED)
    .map((d) => problemOf(doc, d))
    .filter((p): p is Problem => p !== undefined)
    .sort((a, b) => ORDER.get(a.code)! - ORDER.get(b.code)! || a.start - b.start);
}

/** The first safe fix of a problem that changes the text and keeps it well-formed. */
function firstSafe(ctx: FixContext, problem: Problem): Fix | undefined {
  return build(ctx, problem).find((f) => f.safe && changes(ctx.text, f.edits) && keepsWellFormed(ctx.parsed.xml, f.edits));
}

/**
 * Every problem of the first code with a safe fix gets its fix, unless the fix touches a device an earlier fix of
 * this round touches or depends on (then it waits for the next round, which sees the earlier fix applied).
 */
function batch(ctx: FixContext, problems: Problem[], seen: Set<string>): Step | undefined {
  const fixes: Fix[] = [];
  const taken = new Set<number>();
  let code: string | undefined;
  for (const problem of problems) {
    if (code !== undefined && problem.code !== code) break;
    const fix = firstSafe(ctx, problem);
    const reach = fix && footprint(ctx, problem, fix);
    if (!fix || !reach || [...reach].some((d) => taken.has(d))) {
      ctx.names.forget();
      continue;
    }
    ctx.names.commit(fix.edits);
    for (const d of reach) taken.add(d);
    fixes.push(fix);
    code = problem.code;
  }
  const edits = fixes.flatMap((f) => f.edits);
  let parsed: Parsed | undefined;
  try {
    const text = applyEdits(ctx.text, edits);
    // together they must still make a well-formed document fix-all has not been at (no fix undoes another)
    if (fixes.length && !seen.has(fingerprint(text))) parsed = parseAgain(ctx, text);
  } catch {
    // overlapping edits: a builder bug, the one-at-a-time path copes
  }
  return parsed && !hasSyntaxErrors(parsed) ? { fixes, edits, parsed } : undefined;
}

/** The careful path, when a batch would not do: the first safe fix whose result is new and well-formed, alone. */
function oneFix(ctx: FixContext, problems: Problem[], seen: Set<string>): Step | undefined {
  for (const problem of problems) {
    for (const fix of build(ctx, problem)) {
      if (!fix.safe || fix.edits.length === 0) continue;
      const text = applyEdits(ctx.text, fix.edits);
      if (seen.has(fingerprint(text))) continue;
      const parsed = parseAgain(ctx, text);
      if (hasSyntaxErrors(parsed)) continue; // a fix must never break the XML
      return { fixes: [fix], edits: fix.edits, parsed };
    }
  }
  return undefined;
}

/**
 * What a fix touches or reads, as device indexes: the device of the problem and of the places it relates, the
 * devices its edits change, their teaming partners, and the devices whose alias its edits write (persistent=).
 * Anything outside <devices> is one shared place (-1).
 */
function footprint(ctx: FixContext, problem: Problem, fix: Fix): Set<number> {
  const out = new Set<number>();
  const add = (offset: number) => out.add(deviceIndexAt(ctx.model, offset));
  add(problem.start);
  for (const r of problem.related ?? []) add(r);
  for (const e of fix.edits) {
    add(e.start);
    if (e.end > e.start) add(e.end - 1);
    for (const [, , value] of e.text.matchAll(QUOTED)) for (const i of aliasOwners(ctx, value)) out.add(i);
    for (const i of aliasOwners(ctx, e.text)) out.add(i);
  }
  for (const i of [...out]) for (const j of partnersOf(ctx, i)) out.add(j);
  return out;
}

const QUOTED = /=(['"])([^'"]*)\1/g;

/** Index of the device holding `offset` in model.devices, or -1 outside every device. */
function deviceIndexAt(model: DomainModel, offset: number): number {
  const dev = deviceAt(model, offset);
  return dev ? deviceIndex(model, dev) : -1;
}

const deviceIndexes = new WeakMap<DomainModel, Map<AnyDevice, number>>();

function deviceIndex(model: DomainModel, dev: AnyDevice): number {
  let m = deviceIndexes.get(model);
  if (!m) {
    m = new Map(model.devices.map((d, i) => [d, i]));
    deviceIndexes.set(model, m);
  }
  return m.get(dev) ?? -1;
}

const aliasIndexes = new WeakMap<DomainModel, Map<string, number[]>>();

/** Devices whose alias is `name` (a fix that writes persistent='name' depends on them). */
function aliasOwners(ctx: FixContext, name: string): number[] {
  let m = aliasIndexes.get(ctx.model);
  if (!m) {
    m = new Map();
    for (const a of ctx.model.aliases) {
      const i = deviceIndex(ctx.model, a.device);
      const list = m.get(a.name.value);
      if (list) list.push(i);
      else m.set(a.name.value, [i]);
    }
    aliasIndexes.set(ctx.model, m);
  }
  return m.get(name) ?? [];
}

const partnerIndexes = new WeakMap<DomainModel, Map<number, number[]>>();

/** The devices a device is teamed with, either way. */
function partnersOf(ctx: FixContext, i: number): number[] {
  let m = partnerIndexes.get(ctx.model);
  if (!m) {
    m = new Map();
    const link = (a: number, b: number) => {
      const list = m!.get(a);
      if (list) list.push(b);
      else m!.set(a, [b]);
    };
    for (const l of ctx.model.links) {
      const other = l.partner ?? l.targetAlias?.device;
      if (!other) continue;
      const a = deviceIndex(ctx.model, l.transient.owner);
      const b = deviceIndex(ctx.model, other);
      link(a, b);
      link(b, a);
    }
    partnerIndexes.set(ctx.model, m);
  }
  return i < 0 ? [] : (m.get(i) ?? []);
}

/** Whether the edits change the text at all. */
function changes(text: string, edits: OffsetEdit[]): boolean {
  return edits.some((e) => e.end - e.start !== e.text.length || text.slice(e.start, e.end) !== e.text);
}

function parseAgain(ctx: FixContext, text: string): Parsed {
  return parse({ uri: ctx.parsed.uri, version: ctx.parsed.version + 1, getText: () => text });
}

function hasSyntaxErrors(parsed: Parsed): boolean {
  return parsed.xml.errors.some((e) => e.severity === 'error');
}

/** Two 32-bit FNV-1a hashes and the length: which texts fix-all has been at, without keeping each text. */
function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 13);
  }
  return `${text.length}:${(a >>> 0).toString(36)}:${(b >>> 0).toString(36)}`;
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
  if (isNotice(d)) return undefined;
  const data = d.data !== null && typeof d.data === 'object' ? (d.data as Record<string, unknown>) : {};
  const related = (d.relatedInformation ?? [])
    .filter((r) => r.location.uri === document.uri)
    .map((r) => document.offsetAt(r.location.range.start));
  return { code: d.code, start: document.offsetAt(d.range.start), end: document.offsetAt(d.range.end), data, related };
}

function context(parsed: Parsed, settings: FixSettings, random: () => number): FixContext | undefined {
  if (!parsed.model) return undefined;
  return {
    text: parsed.xml.text,
    parsed,
    model: parsed.model,
    style: detectStyle(parsed.xml),
    settings,
    random,
    names: new FreshNames(parsed.model, parsed.xml.text, random),
  };
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

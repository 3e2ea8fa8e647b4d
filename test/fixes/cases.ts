import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { fixAll, getCodeActions, parse, validate } from '../../server/src/service';
import { doc } from '../helpers/docs';
import { ROOT } from '../helpers/paths';

/**
 * The fix fixtures: `NAME.xml` says on its first line what to apply, `NAME.fixed.xml` is the reviewed result.
 *   <!-- fix: all -->                          "Make Domain Migratable"
 *   <!-- fix: CODE "Title prefix" -->          the quick fix with that title, for the first diagnostic of CODE
 *   <!-- fix: CODE#2 "Title prefix" -->        … for the second diagnostic of CODE (in document order)
 * Generated MACs come from seeded(1), so the results are reproducible.
 */
export const FIX_FIXTURES = resolve(ROOT, 'test', 'fixes');

const DIRECTIVE = /^<!-- fix: (?:(all)|([a-z-]+)(?:#(\d+))? "([^"]+)") -->/m;

export interface FixCase {
  name: string;
  inputFile: string;
  expectedFile: string;
  input: string;
  expected: string;
  directive: string;
  edits: TextEdit[];
  /** The input with the edits applied (by the textdocument library, not by our code). */
  output: string;
}

import { seeded } from '../helpers/random';

export { doc, seeded };


/** The quick fixes offered for every diagnostic of the text. */
export function quickFixes(text: string, random = seeded(1), settings = {}): { doc: TextDocument; actions: CodeAction[] } {
  const d = doc(text);
  const parsed = parse(d);
  return { doc: d, actions: getCodeActions(d, parsed, validate(d, parsed), settings, undefined, random) };
}

/** The edits a fixture's directive asks for. */
export function editsFor(input: string, directive: RegExpExecArray): TextEdit[] {
  const d = doc(input);
  const parsed = parse(d);
  if (directive[1]) return fixAll(d, parsed, {}, seeded(1)).edits;
  const [, , code, nth, title] = directive;
  const diagnostic = validate(d, parsed).filter((x) => x.code === code)[Number(nth ?? 1) - 1];
  if (!diagnostic) throw new Error(`no diagnostic ${code}#${nth ?? 1}`);
  const actions = getCodeActions(d, parsed, [diagnostic], {}, undefined, seeded(1)).filter((a) => a.title.startsWith(title));
  if (actions.length !== 1) throw new Error(`${actions.length} quick fixes titled "${title}…" for ${code}`);
  return actions[0].edit!.changes![d.uri];
}

export function loadCases(): FixCase[] {
  return readdirSync(FIX_FIXTURES).filter((f) => f.endsWith('.xml') && !f.endsWith('.fixed.xml')).sort().map((f) => {
    const inputFile = join(FIX_FIXTURES, f);
    const expectedFile = inputFile.replace(/\.xml$/, '.fixed.xml');
    const input = readFileSync(inputFile, 'utf8');
    const directive = DIRECTIVE.exec(input);
    if (!directive) throw new Error(`${f}: no <!-- fix: … --> directive`);
    const edits = editsFor(input, directive);
    return {
      name: f.replace(/\.xml$/, ''), inputFile, expectedFile, input, directive: directive[0],
      expected: readFileSync(expectedFile, 'utf8'), edits, output: TextDocument.applyEdits(doc(input), edits),
    };
  });
}

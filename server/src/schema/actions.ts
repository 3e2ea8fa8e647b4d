import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import type { Parsed } from '../service/parsed';
import type { SchemaData } from './check';
import { elementAt, elementByName } from './locate';

const RENAMES = new Set(['schema-unknown-element', 'schema-unknown-attribute', 'schema-invalid-value']);

/**
 * "Did you mean" quick fixes for the schema diagnostics: replace the misspelt element name (start and end tag),
 * attribute name or value with each of the nearest valid ones in `data.candidates` (best first, preferred when
 * it is the only one); add a missing required attribute. Diagnostics from an older version of the text are
 * skipped: their range no longer holds what they reported.
 */
export function schemaCodeActions(document: TextDocument, parsed: Parsed, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const d of diagnostics) {
    const code = String(d.code);
    const data = d.data as SchemaData | undefined;
    if (!data || !code.startsWith('schema-')) continue;
    const start = document.offsetAt(d.range.start);
    const end = document.offsetAt(d.range.end);
    if (RENAMES.has(code)) {
      if (document.getText(d.range) !== data.name) continue;
      data.candidates.forEach((candidate, i) => {
        const edits = renameEdits(document, parsed, data, start, end, candidate);
        if (!edits) return;
        const what = data.kind === 'element' ? `<${candidate}>` : `'${candidate}'`;
        actions.push(action(document, `Change to ${what}`, d, edits, i === 0 && data.candidates.length === 1));
      });
    } else if (code === 'schema-missing-required' && data.kind === 'required-attribute') {
      const el = elementByName(parsed.xml, start);
      if (!el || el.name !== data.name) continue;
      const quote = el.attributes.find((a) => a.quote)?.quote || "'";
      const at = el.attributes.length ? attrEnd(el.attributes[el.attributes.length - 1]) : el.nameEnd;
      for (const name of data.missing ?? []) {
        if (el.attributes.some((a) => a.name === name)) continue;
        const edit: TextEdit = { range: { start: document.positionAt(at), end: document.positionAt(at) }, newText: ` ${name}=${quote}${quote}` };
        actions.push(action(document, `Add the required attribute '${name}'`, d, [edit], false));
      }
    }
  }
  return actions;
}

function renameEdits(document: TextDocument, parsed: Parsed, data: SchemaData, start: number, end: number, to: string): TextEdit[] | undefined {
  const replace = (s: number, e: number): TextEdit => ({ range: { start: document.positionAt(s), end: document.positionAt(e) }, newText: to });
  if (data.kind !== 'element') return [replace(start, end)];
  const el = elementByName(parsed.xml, start) ?? elementAt(parsed.xml, start);
  if (!el || el.nameStart !== start || el.name !== data.name) return undefined;
  const edits = [replace(start, end)];
  if (el.endTagStart !== undefined) edits.push(replace(el.endTagStart + 2, el.endTagStart + 2 + el.name.length));
  return edits;
}

function attrEnd(a: { valueEnd: number; quote: string; nameEnd: number; value: string | null }): number {
  return a.value === null ? a.nameEnd : a.valueEnd + (a.quote ? 1 : 0);
}

function action(document: TextDocument, title: string, diagnostic: Diagnostic, edits: TextEdit[], preferred: boolean): CodeAction {
  const a: CodeAction = { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [document.uri]: edits } } };
  if (preferred) a.isPreferred = true;
  return a;
}

import { renameElement } from '../edits/ops';
import type { OffsetEdit } from '../edits/textEdits';
import { escapeValue } from '../edits/xml';
import type { SchemaData } from '../schema/codes';
import { elementAt, elementByName } from '../schema/locate';
import type { Fix, FixBuilder } from './types';

/**
 * "Did you mean" for schema-unknown-element, schema-unknown-attribute and schema-invalid-value: replace the
 * misspelt element name (start and end tag), attribute name or value with each of the nearest valid ones in
 * `data.candidates` (best first, preferred when it is the only one). A diagnostic from an older version of the
 * text is skipped: its range no longer holds what it reported. Never applied by fix-all: a guess is a choice.
 */
export const didYouMean: FixBuilder = (ctx, problem) => {
  const data = problem.data as SchemaData;
  if (!Array.isArray(data.candidates) || ctx.text.slice(problem.start, problem.end) !== data.name) return [];
  const out: Fix[] = [];
  for (const candidate of data.candidates) {
    const edits = renameEdits(ctx.text, ctx.parsed.xml, data, problem.start, problem.end, candidate);
    if (!edits) continue;
    const what = data.kind === 'element' ? `<${candidate}>` : `'${candidate}'`;
    out.push({
      title: `Change to ${what}`,
      edits,
      safe: false,
      preferred: out.length === 0 && data.candidates.length === 1,
      summary: `changed '${data.name}' to '${candidate}'`,
    });
  }
  return out;
};

function renameEdits(
  text: string,
  doc: Parameters<typeof elementAt>[0],
  data: SchemaData,
  start: number,
  end: number,
  to: string,
): OffsetEdit[] | undefined {
  // a value goes between quotes of either kind, or into text: escaped for all of them (libvirt's names need none)
  // a value goes between quotes of either kind, or into text (libvirt's names need no escaping, a value might)
  if (data.kind !== 'element') return [{ start, end, text: data.kind === 'attribute' ? to : escapeValue(to) }];
  const el = elementByName(doc, start) ?? elementAt(doc, start);
  if (!el || el.nameStart !== start || el.name !== data.name) return undefined;
  return renameElement(text, el, to);
}

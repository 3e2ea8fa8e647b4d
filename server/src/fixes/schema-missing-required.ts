import { setAttribute } from '../edits/ops';
import type { SchemaData } from '../schema/codes';
import { elementByName } from '../schema/locate';
import type { Fix, FixBuilder } from './types';

/** schema-missing-required: add each missing required attribute, empty, for the user to fill in (not applied by fix-all). */
export const fix: FixBuilder = (ctx, problem) => {
  const data = problem.data as SchemaData;
  if (data.kind !== 'required-attribute') return [];
  const el = elementByName(ctx.parsed.xml, problem.start);
  if (!el || el.name !== data.name) return [];
  const out: Fix[] = [];
  for (const name of data.missing ?? []) {
    if (el.attributes.some((a) => a.name === name)) continue;
    out.push({
      title: `Add the required attribute '${name}'`,
      edits: [setAttribute(ctx.style, el, name, '')],
      safe: false,
      summary: `added the required attribute '${name}' to <${el.name}>`,
    });
  }
  return out;
};

import { setAttribute } from '../edits/ops';
import { suggestAlias } from '../model/alias';
import { isKeptAlias } from '../model/domain';
import { deviceAt } from './build';
import type { FixBuilder } from './types';

/** alias-dropped: rename to a `ua-` alias, and every persistent= that named the old one with it. */
export const fix: FixBuilder = (ctx, problem) => {
  const alias = deviceAt(ctx.model, problem.start)?.alias;
  const old = problem.data.name;
  if (!alias || alias.kept || alias.name.value !== old) return [];
  const taken = ctx.names.takenAliases();
  const suggested = problem.data.suggestion;
  const name = ctx.names.take(
    typeof suggested === 'string' && isKeptAlias(suggested) && !taken.has(suggested) ? suggested : suggestAlias(old, taken),
  );
  const refs = ctx.model.teamings.filter((t) => t.persistent?.value === old);
  return [
    {
      title: refs.length ? `Rename to '${name}' (and the persistent= that names it)` : `Rename to '${name}'`,
      edits: [
        setAttribute(ctx.style, alias.el, 'name', name),
        ...refs.map((t) => setAttribute(ctx.style, t.el, 'persistent', name)),
      ],
      safe: true,
      summary: `renamed the alias '${old}' to '${name}' (libvirt keeps only ua- aliases)${refs.length ? `, and the persistent= naming it` : ''}`,
    },
  ];
};

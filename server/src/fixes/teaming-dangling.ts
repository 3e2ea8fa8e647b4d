import { pointOrAdd, transientAt } from './build';
import type { FixBuilder } from './types';

/** teaming-dangling: name a standby that exists (safe when exactly one is free), or add one (safe when none is). */
export const fix: FixBuilder = (ctx, problem) => {
  const t = transientAt(ctx, problem.start);
  if (!t || t.persistent?.value !== problem.data.name) return [];
  return pointOrAdd(ctx, t);
};

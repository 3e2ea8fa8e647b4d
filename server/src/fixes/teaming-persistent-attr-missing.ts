import { pointOrAdd, transientAt } from './build';
import type { FixBuilder } from './types';

/** teaming-persistent-attr-missing: the same choices as a dangling persistent= (teaming-dangling). */
export const fix: FixBuilder = (ctx, problem) => {
  const t = transientAt(ctx, problem.start);
  if (!t || t.persistent?.value) return [];
  return pointOrAdd(ctx, t);
};

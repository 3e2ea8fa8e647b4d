import { removeAttribute } from '../edits/ops';
import { describeInterface } from '../model/describe';
import { deviceAt } from './build';
import type { FixBuilder } from './types';

/** teaming-persistent-attr-unexpected: the persistent side names no partner. */
export const fix: FixBuilder = (ctx, problem) => {
  const dev = deviceAt(ctx.model, problem.start);
  const t = dev?.kind !== 'other' ? dev?.teaming : undefined;
  if (!t || t.type?.value !== 'persistent' || !t.persistent) return [];
  return [
    {
      title: 'Remove persistent= (only the transient side names its partner)',
      edits: [removeAttribute(ctx.text, t.persistent.attr)],
      safe: true,
      summary: `removed persistent='${t.persistent.value}' from the persistent teaming of ${dev?.kind === 'interface' ? describeInterface(dev) : 'a device'}`,
    },
  ];
};

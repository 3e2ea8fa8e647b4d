import { describeVf } from '../model/describe';
import { addPartner, transientAt } from './build';
import type { FixBuilder } from './types';

/** teaming-multiple-transients: every VF but one (the one whose MAC matches, else the first) gets its own standby. */
export const fix: FixBuilder = (ctx, problem) => {
  const t = transientAt(ctx, problem.start);
  const link = ctx.model.links.find((l) => l.transient === t);
  if (!t || !link?.partner || t.persistent?.value !== problem.data.name) return [];
  const standby = link.partner;
  const rivals = ctx.model.links.filter((l) => l.partner === standby);
  const sameMac = (l: typeof link) =>
    l.transient.owner.kind === 'interface' &&
    !!standby.mac &&
    l.transient.owner.mac?.value.toLowerCase() === standby.mac.value.toLowerCase();
  const keeper = rivals.find(sameMac) ?? rivals[0];
  const plan = addPartner(ctx, t.owner, sameMac(link));
  if (!plan) return [];
  return [
    {
      title: 'Add a separate virtio failover partner for this VF',
      edits: plan.edits,
      safe: link !== keeper,
      summary: `gave ${describeVf(t.owner)} its own virtio failover partner '${plan.alias}' (MAC ${plan.mac}) instead of sharing '${problem.data.name}'`,
    },
  ];
};

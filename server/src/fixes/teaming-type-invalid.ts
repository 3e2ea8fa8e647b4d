import { removeAttribute, setAttribute } from '../edits/ops';
import { describeInterface } from '../model/describe';
import { isTaken, persistentInterfaces } from '../model/teaming';
import { deviceAt } from './build';
import type { Fix, FixBuilder } from './types';

/**
 * teaming-type-invalid: pick transient (the VF) or persistent (the virtio standby). Safe where the device says
 * which: a VF is transient; a virtio-capable interface without persistent= is persistent; with persistent= on a
 * type='network' interface (a VF pool), transient.
 */
export const fix: FixBuilder = (ctx, problem) => {
  const dev = deviceAt(ctx.model, problem.start);
  if (!dev || dev.kind === 'other' || !dev.teaming || problem.data.owner !== dev.kind) return [];
  const t = dev.teaming;
  const type = dev.kind === 'interface' ? dev.type?.value : 'hostdev';
  const isVf = dev.kind === 'hostdev' || type === 'hostdev';
  const named = !!t.persistent?.value;
  const out: Fix[] = [];
  if (isVf || type === 'network') {
    const edits = [setAttribute(ctx.style, t.el, 'type', 'transient')];
    if (!named) {
      const free = persistentInterfaces(ctx.model, dev).filter((c) => c.alias?.kept && !isTaken(ctx.model, c, dev));
      if (free.length === 1) edits.push(setAttribute(ctx.style, t.el, 'persistent', free[0].alias!.name.value));
    }
    out.push({
      title: "Set type='transient' (this is the VF)",
      edits,
      safe: isVf || named,
      summary: "set the teaming type to 'transient' on a VF",
    });
  }
  if (dev.kind === 'interface' && type !== 'hostdev') {
    const edits = [setAttribute(ctx.style, t.el, 'type', 'persistent')];
    if (t.persistent) edits.push(removeAttribute(ctx.text, t.persistent.attr));
    out.push({
      title: "Set type='persistent' (this is the virtio standby)",
      edits,
      safe: !named,
      summary: `set the teaming type to 'persistent' on the standby ${describeInterface(dev)}`,
    });
  }
  return out;
};

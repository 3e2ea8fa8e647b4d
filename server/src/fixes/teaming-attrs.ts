import { insertBefore, removeAttribute, setAttribute } from '../edits/ops';
import type { OffsetEdit } from '../edits/textEdits';
import { element } from '../edits/xml';
import { child } from '../parser/query';
import { describeInterface, deviceAt, editable, isTaken, persistentInterfaces } from './model';
import type { Fix, FixBuilder } from './types';

/** teaming-persistent-model: the standby becomes virtio-net (changes the model, or adds one before <teaming>). */
export const teamingPersistentModel: FixBuilder = (ctx, problem) => {
  const iface = deviceAt(ctx.model, problem.start);
  if (iface?.kind !== 'interface' || iface.teaming?.type?.value !== 'persistent' || iface.type?.value === 'hostdev') return [];
  const modelEl = child(iface.el, 'model');
  let edit: OffsetEdit;
  if (modelEl) edit = setAttribute(ctx.style, modelEl, 'type', 'virtio');
  else if (problem.data.hasModel === false && editable(iface)) edit = insertBefore(ctx.text, ctx.style, iface.teaming.el, element('model', [['type', 'virtio']]));
  else return [];
  return [{
    title: "Set <model type='virtio'/>",
    edits: [edit],
    safe: true,
    summary: `made the standby ${describeInterface(iface)} a virtio interface (<model type='virtio'/>${iface.model ? `, was '${iface.model.value}'` : ''})`,
  }];
};

/** teaming-persistent-attr-unexpected: the persistent side names no partner. */
export const teamingPersistentAttrUnexpected: FixBuilder = (ctx, problem) => {
  const dev = deviceAt(ctx.model, problem.start);
  const t = dev?.kind !== 'other' ? dev?.teaming : undefined;
  if (!t || t.type?.value !== 'persistent' || !t.persistent) return [];
  return [{
    title: 'Remove persistent= (only the transient side names its partner)',
    edits: [removeAttribute(ctx.text, t.persistent.attr)],
    safe: true,
    summary: `removed persistent='${t.persistent.value}' from the persistent teaming of ${dev?.kind === 'interface' ? describeInterface(dev) : 'a device'}`,
  }];
};

/**
 * teaming-type-invalid: pick transient (the VF) or persistent (the virtio standby). Safe where the device says
 * which: a VF is transient; a virtio-capable interface without persistent= is persistent; with persistent= on a
 * type='network' interface (a VF pool), transient.
 */
export const teamingTypeInvalid: FixBuilder = (ctx, problem) => {
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


import { insertBefore, setAttribute } from '../edits/ops';
import type { OffsetEdit } from '../edits/textEdits';
import { element } from '../edits/xml';
import { describeInterface } from '../model/describe';
import { child } from '../parser/query';
import { deviceAt, editable } from './build';
import type { FixBuilder } from './types';

/** teaming-persistent-model: the standby becomes virtio-net (changes the model, or adds one before <teaming>). */
export const fix: FixBuilder = (ctx, problem) => {
  const iface = deviceAt(ctx.model, problem.start);
  if (iface?.kind !== 'interface' || iface.teaming?.type?.value !== 'persistent' || iface.type?.value === 'hostdev') return [];
  const modelEl = child(iface.el, 'model');
  let edit: OffsetEdit;
  if (modelEl) edit = setAttribute(ctx.style, modelEl, 'type', 'virtio');
  else if (problem.data.hasModel === false && editable(iface))
    edit = insertBefore(ctx.text, ctx.style, iface.teaming.el, element('model', [['type', 'virtio']]));
  else return [];
  return [
    {
      title: "Set <model type='virtio'/>",
      edits: [edit],
      safe: true,
      summary: `made the standby ${describeInterface(iface)} a virtio interface (<model type='virtio'/>${iface.model ? `, was '${iface.model.value}'` : ''})`,
    },
  ];
};

import type { OffsetEdit } from '../edits/textEdits';
import { describeInterface, describeVf } from '../model/describe';
import type { NetInterface } from '../model/domain';
import { isUsableMac } from '../model/mac';
import { deviceAt, editable, setMac } from './build';
import type { FixBuilder } from './types';

/** teaming-mac-missing: the partner's MAC, or a fresh one written on both sides. */
export const fix: FixBuilder = (ctx, problem) => {
  const iface = deviceAt(ctx.model, problem.start);
  if (iface?.kind !== 'interface' || iface.mac || !editable(iface)) return [];
  let others: NetInterface[];
  if (problem.data.side === 'persistent') {
    others = ctx.model.links
      .filter((l) => l.partner === iface && l.transient.owner.kind === 'interface')
      .map((l) => l.transient.owner as NetInterface);
  } else {
    const partner = ctx.model.links.find((l) => l.transient.owner === iface)?.partner;
    others = partner ? [partner] : [];
  }
  const existing = others.map((o) => o.mac?.value).find(isUsableMac);
  const mac = existing ?? ctx.names.mac();
  const edits: OffsetEdit[] = [setMac(ctx, iface, mac)];
  if (!existing) for (const o of others) if (editable(o)) edits.push(setMac(ctx, o, mac));
  return [
    {
      title: existing ? `Add the partner's MAC ${mac}` : `Add a matching MAC ${mac} on both sides`,
      edits,
      safe: true,
      summary: existing
        ? `added the MAC ${mac} of its partner to ${problem.data.side === 'persistent' ? `the standby ${describeInterface(iface)}` : describeVf(iface)}`
        : `added the new MAC ${mac} to both sides of the teaming pair of ${describeInterface(iface)}`,
    },
  ];
};

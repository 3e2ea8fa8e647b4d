import { describeInterface, describeVf } from '../model/describe';
import { isUsableMac } from '../model/mac';
import { deviceAt, setMac } from './build';
import type { Fix, FixBuilder } from './types';

/** teaming-mac-mismatch: one side takes the other's MAC; the standby's by default (the VF's MAC is set by libvirt). */
export const fix: FixBuilder = (ctx, problem) => {
  const vf = deviceAt(ctx.model, problem.start);
  const link = ctx.model.links.find((l) => l.transient.owner === vf && l.partner);
  if (!link || vf?.kind !== 'interface' || !vf.mac || !link.partner!.mac) return [];
  const standby = link.partner!;
  const [vfMac, standbyMac] = [vf.mac.value, standby.mac!.value];
  if (problem.data.vfMac !== vfMac || problem.data.standbyMac !== standbyMac) return []; // stale diagnostic
  const out: Fix[] = [];
  if (isUsableMac(standbyMac)) {
    out.push({
      title: `Use the standby's MAC ${standbyMac} on the VF`,
      edits: [setMac(ctx, vf, standbyMac)],
      safe: true,
      summary: `set the MAC of ${describeVf(vf)} to its standby's ${standbyMac}`,
    });
  }
  if (isUsableMac(vfMac)) {
    out.push({
      title: `Use the VF's MAC ${vfMac} on the standby`,
      edits: [setMac(ctx, standby, vfMac)],
      safe: !isUsableMac(standbyMac),
      summary: `set the MAC of the standby ${describeInterface(standby)} to its VF's ${vfMac}`,
    });
  }
  return out;
};

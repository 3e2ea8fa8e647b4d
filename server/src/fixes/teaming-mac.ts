import type { OffsetEdit } from '../edits/textEdits';
import type { NetInterface } from '../model/domain';
import { generateMac, isUsableMac } from './mac';
import { describeInterface, describeVf, deviceAt, editable, intendedPartners, setMac } from './model';
import type { Fix, FixBuilder } from './types';

/** teaming-mac-mismatch: one side takes the other's MAC; the standby's by default (the VF's MAC is set by libvirt). */
export const teamingMacMismatch: FixBuilder = (ctx, problem) => {
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

/** teaming-mac-missing: the partner's MAC, or a fresh one written on both sides. */
export const teamingMacMissing: FixBuilder = (ctx, problem) => {
  const iface = deviceAt(ctx.model, problem.start);
  if (iface?.kind !== 'interface' || iface.mac || !editable(iface)) return [];
  let others: NetInterface[];
  if (problem.data.side === 'persistent') {
    others = ctx.model.links.filter((l) => l.partner === iface && l.transient.owner.kind === 'interface').map((l) => l.transient.owner as NetInterface);
  } else {
    const partner = ctx.model.links.find((l) => l.transient.owner === iface)?.partner;
    others = partner ? [partner] : [];
  }
  const existing = others.map((o) => o.mac?.value).find(isUsableMac);
  const mac = existing ?? generateMac(ctx.text, ctx.random);
  const edits: OffsetEdit[] = [setMac(ctx, iface, mac)];
  if (!existing) for (const o of others) if (editable(o)) edits.push(setMac(ctx, o, mac));
  return [{
    title: existing ? `Add the partner's MAC ${mac}` : `Add a matching MAC ${mac} on both sides`,
    edits,
    safe: true,
    summary: existing
      ? `added the MAC ${mac} of its partner to ${problem.data.side === 'persistent' ? `the standby ${describeInterface(iface)}` : describeVf(iface)}`
      : `added the new MAC ${mac} to both sides of the teaming pair of ${describeInterface(iface)}`,
  }];
};

/** mac-invalid, mac-multicast, mac-duplicate: a fresh MAC, on the interface and on its intended teaming partner. */
export function newMac(safe: boolean): FixBuilder {
  return (ctx, problem) => {
    const iface = deviceAt(ctx.model, problem.start);
    if (iface?.kind !== 'interface' || !iface.mac) return [];
    const mac = generateMac(ctx.text, ctx.random);
    const partners = intendedPartners(ctx.model, iface);
    return [{
      title: partners.length ? `Generate a new MAC ${mac} (on both sides of the teaming pair)` : `Generate a new MAC ${mac}`,
      edits: [setMac(ctx, iface, mac), ...partners.filter((p) => p.mac || editable(p)).map((p) => setMac(ctx, p, mac))],
      safe,
      summary: `replaced the MAC ${iface.mac.value} by the new ${mac}${partners.length ? ' on both sides of its teaming pair' : ''}`,
    }];
  };
}

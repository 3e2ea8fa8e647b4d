import { appendChild, insertBefore, prependChild, setAttribute } from '../edits/ops';
import type { OffsetEdit } from '../edits/textEdits';
import { element, type NewElement } from '../edits/xml';
import { suggestAlias } from '../model/alias';
import { describeInterface, describeVf } from '../model/describe';
import type { AnyDevice, DomainModel, Hostdev, NetInterface, Teaming } from '../model/domain';
import { isUsableMac } from '../model/mac';
import { intendedPartners, isTaken, persistentInterfaces } from '../model/teaming';
import { DEFAULT_SETTINGS } from '../protocol/settings';
import type { Fix, FixBuilder, FixContext, FixSettings } from './types';

/** Building blocks shared by the fixes of several codes; each code's own fix lives in fixes/CODE.ts. */

/** The device (a child of <devices>) a diagnostic lies in: a binary search, devices are in document order. */
export function deviceAt(model: DomainModel, offset: number): AnyDevice | undefined {
  const devices = model.devices;
  let lo = 0;
  let hi = devices.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (devices[mid].el.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const d = devices[lo];
  return d && d.el.start <= offset && offset < d.el.end ? d : undefined;
}

/** Whether edits may go inside this element: it is properly closed and has children to add to. */
export function editable(dev: AnyDevice): boolean {
  return dev.el.wellFormed && !dev.el.selfClosing && dev.el.endTagStart !== undefined;
}

/** The virtio standby a fix adds: on the configured network (or bridge), with the VF's MAC and a `ua-` alias. */
export function standbyElement(settings: FixSettings, mac: string, alias: string): NewElement {
  const source = settings.standbyBridge
    ? element('source', [['bridge', settings.standbyBridge]])
    : element('source', [['network', settings.standbyNetwork || DEFAULT_SETTINGS.standbyNetwork]]);
  return element(
    'interface',
    [['type', settings.standbyBridge ? 'bridge' : 'network']],
    [
      element('mac', [['address', mac]]),
      source,
      element('model', [['type', 'virtio']]),
      element('teaming', [['type', 'persistent']]),
      element('alias', [['name', alias]]),
    ],
  );
}

/** Sets an interface's MAC: the address of its <mac>, or a new <mac> as its first child. */
export function setMac(ctx: FixContext, iface: NetInterface, mac: string): OffsetEdit {
  return iface.macEl
    ? setAttribute(ctx.style, iface.macEl, 'address', mac)
    : prependChild(ctx.text, ctx.style, iface.el, element('mac', [['address', mac]]));
}

/** Makes a device the transient side naming `alias`: fixes its <teaming>, or adds one. */
export function setTransient(ctx: FixContext, dev: NetInterface | Hostdev, alias: string): OffsetEdit[] {
  const t = dev.teaming;
  if (!t)
    return [
      appendChild(
        ctx.text,
        ctx.style,
        dev.el,
        element('teaming', [
          ['type', 'transient'],
          ['persistent', alias],
        ]),
      ),
    ];
  const edits: OffsetEdit[] = [];
  if (t.type?.value !== 'transient') edits.push(setAttribute(ctx.style, t.el, 'type', 'transient'));
  if (t.persistent?.value !== alias) edits.push(setAttribute(ctx.style, t.el, 'persistent', alias));
  return edits;
}

export interface PartnerPlan {
  edits: OffsetEdit[];
  alias: string;
  mac: string;
}

/**
 * A new virtio standby right before the VF, with the VF's MAC (a fresh one on both when the VF has none
 * usable, or when `freshMac`), and the VF's teaming naming it.
 */
export function addPartner(ctx: FixContext, vf: NetInterface | Hostdev, freshMac = false): PartnerPlan | undefined {
  if (!editable(vf)) return undefined;
  const alias = ctx.names.alias();
  const own = vf.kind === 'interface' ? vf.mac?.value : undefined;
  const mac = !freshMac && isUsableMac(own) ? own : ctx.names.mac();
  const edits: OffsetEdit[] = [insertBefore(ctx.text, ctx.style, vf.el, standbyElement(ctx.settings, mac, alias))];
  if (vf.kind === 'interface' && own !== mac) edits.push(setMac(ctx, vf, mac));
  edits.push(...setTransient(ctx, vf, alias));
  return { edits, alias, mac };
}

/** A planned partner (addPartner) as the fix "Add a virtio failover partner"; `note` ends its summary. */
export function partnerFix(plan: PartnerPlan, vf: NetInterface | Hostdev, title: string, safe: boolean, note = ''): Fix {
  return {
    title,
    edits: plan.edits,
    safe,
    summary: `added the virtio failover partner '${plan.alias}' (MAC ${plan.mac}) for ${describeVf(vf)}${note}`,
  };
}

/** The transient <teaming> a diagnostic lies in. */
export function transientAt(ctx: FixContext, offset: number): Teaming | undefined {
  const dev = deviceAt(ctx.model, offset);
  const t = dev?.kind !== 'other' ? dev?.teaming : undefined;
  return t?.type?.value === 'transient' && t.el.start <= offset && offset <= t.el.end ? t : undefined;
}

/**
 * A transient teaming that names no usable standby: point it at each standby there is (safe when exactly one is
 * free), or add one (safe when none is).
 */
export function pointOrAdd(ctx: FixContext, t: Teaming): Fix[] {
  const vf = t.owner;
  const candidates = persistentInterfaces(ctx.model, vf).filter(editable);
  const free = candidates.filter((c) => !isTaken(ctx.model, c, vf));
  const out = candidates.map((c) => pointAt(ctx, t, c, free.length === 1 && free[0] === c));
  if (free.length === 0) {
    const plan = addPartner(ctx, vf);
    if (plan) out.push(partnerFix(plan, vf, 'Add a virtio failover partner', true));
  }
  return out;
}

/** Points persistent= at a standby, giving the standby an alias libvirt keeps when it has none. */
function pointAt(ctx: FixContext, t: Teaming, standby: NetInterface, safe: boolean): Fix {
  const edits: OffsetEdit[] = [];
  let name: string;
  let what: string;
  if (standby.alias?.kept) {
    name = standby.alias.name.value;
    what = `Point at '${name}'`;
  } else if (standby.alias) {
    const old = standby.alias.name.value;
    name = ctx.names.take(suggestAlias(old, ctx.names.takenAliases()));
    edits.push(setAttribute(ctx.style, standby.alias.el, 'name', name));
    for (const other of ctx.model.teamings) {
      if (other !== t && other.persistent?.value === old) edits.push(setAttribute(ctx.style, other.el, 'persistent', name));
    }
    what = `Rename the alias '${old}' to '${name}' and point at it`;
  } else {
    name = ctx.names.alias();
    edits.push(appendChild(ctx.text, ctx.style, standby.el, element('alias', [['name', name]])));
    what = `Point at ${describeInterface(standby)} (giving it the alias '${name}')`;
  }
  edits.push(setAttribute(ctx.style, t.el, 'persistent', name));
  return { title: what, edits, safe, summary: `pointed the teaming of ${describeVf(t.owner)} at the standby '${name}'` };
}

/** A fresh MAC on the interface and on its intended teaming partner (mac-invalid, mac-multicast, mac-duplicate). */
export function freshMacFix(safe: boolean): FixBuilder {
  return (ctx, problem) => {
    const iface = deviceAt(ctx.model, problem.start);
    if (iface?.kind !== 'interface' || !iface.mac) return [];
    const mac = ctx.names.mac();
    const partners = intendedPartners(ctx.model, iface);
    return [
      {
        title: partners.length ? `Generate a new MAC ${mac} (on both sides of the teaming pair)` : `Generate a new MAC ${mac}`,
        edits: [setMac(ctx, iface, mac), ...partners.filter((p) => p.mac || editable(p)).map((p) => setMac(ctx, p, mac))],
        safe,
        summary: `replaced the MAC ${iface.mac.value} by the new ${mac}${partners.length ? ' on both sides of its teaming pair' : ''}`,
      },
    ];
  };
}

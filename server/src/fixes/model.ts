import { appendChild, insertBefore, prependChild, setAttribute } from '../edits/ops';
import type { OffsetEdit } from '../edits/textEdits';
import { element, type NewElement } from '../edits/xml';
import { type AnyDevice, type DomainModel, type Hostdev, type NetInterface } from '../model/domain';
import { hostPciAddress } from '../service/readiness';
import { generateMac, isUsableMac } from './mac';
import { DEFAULT_FIX_SETTINGS, type Fix, type FixContext, type FixSettings } from './types';

/** The device (a child of <devices>) a diagnostic lies in. */
export function deviceAt(model: DomainModel, offset: number): AnyDevice | undefined {
  return model.devices.find((d) => d.el.start <= offset && offset < d.el.end);
}

/** Whether edits may go inside this element: it is properly closed and has children to add to. */
export function editable(dev: AnyDevice): boolean {
  return dev.el.wellFormed && !dev.el.selfClosing && dev.el.endTagStart !== undefined;
}

export function isVfInterface(dev: AnyDevice | undefined): dev is NetInterface {
  return dev?.kind === 'interface' && dev.type?.value === 'hostdev';
}

/** `ua-standby0`, `ua-standby1`, …: the first not used as an alias nor named by any persistent=. */
export function freeAlias(model: DomainModel, base = 'ua-standby'): string {
  const taken = new Set([...model.aliases.map((a) => a.name.value), ...model.teamings.map((t) => t.persistent?.value)]);
  for (let i = 0; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
}

/** Interfaces this one is meant to pair with: one names the other's alias in its transient persistent=. */
export function intendedPartners(model: DomainModel, iface: NetInterface): NetInterface[] {
  const names = (x: NetInterface, y: NetInterface) =>
    x.teaming?.type?.value === 'transient' && !!x.teaming.persistent?.value && x.teaming.persistent.value === y.alias?.name.value;
  return model.interfaces.filter((o) => o !== iface && (names(o, iface) || names(iface, o)));
}

/** Interfaces with persistent teaming that another VF could name (not `exclude`). */
export function persistentInterfaces(model: DomainModel, exclude?: AnyDevice): NetInterface[] {
  return model.interfaces.filter((i) => i !== exclude && i.teaming?.type?.value === 'persistent' && i.type?.value !== 'hostdev');
}

/** Whether some VF already pairs with this standby. */
export function isTaken(model: DomainModel, standby: NetInterface, except?: AnyDevice): boolean {
  return model.links.some((l) => l.partner === standby && l.transient.owner !== except);
}

export function standbyElement(settings: FixSettings, mac: string, alias: string): NewElement {
  const source = settings.standbyBridge
    ? element('source', [['bridge', settings.standbyBridge]])
    : element('source', [['network', settings.standbyNetwork || DEFAULT_FIX_SETTINGS.standbyNetwork]]);
  return element('interface', [['type', settings.standbyBridge ? 'bridge' : 'network']], [
    element('mac', [['address', mac]]),
    source,
    element('model', [['type', 'virtio']]),
    element('teaming', [['type', 'persistent']]),
    element('alias', [['name', alias]]),
  ]);
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
  if (!t) return [appendChild(ctx.text, ctx.style, dev.el, element('teaming', [['type', 'transient'], ['persistent', alias]]))];
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

/** A planned partner (addPartner) as the fix "Add a virtio failover partner"; `note` ends its summary. */
export function partnerFix(plan: PartnerPlan, vf: NetInterface | Hostdev, title: string, safe: boolean, note = ''): Fix {
  return { title, edits: plan.edits, safe, summary: `added the virtio failover partner '${plan.alias}' (MAC ${plan.mac}) for ${describeVf(vf)}${note}` };
}

/**
 * A new virtio standby right before the VF, with the VF's MAC (a fresh one on both when the VF has none
 * usable, or when `freshMac`), and the VF's teaming naming it.
 */
export function addPartner(ctx: FixContext, vf: NetInterface | Hostdev, freshMac = false): PartnerPlan | undefined {
  if (!editable(vf)) return undefined;
  const alias = freeAlias(ctx.model);
  const own = vf.kind === 'interface' ? vf.mac?.value : undefined;
  const mac = !freshMac && isUsableMac(own) ? own : generateMac(ctx.text, ctx.random);
  const edits: OffsetEdit[] = [insertBefore(ctx.text, ctx.style, vf.el, standbyElement(ctx.settings, mac, alias))];
  if (vf.kind === 'interface' && own !== mac) edits.push(setMac(ctx, vf, mac));
  edits.push(...setTransient(ctx, vf, alias));
  return { edits, alias, mac };
}

/** "the VF 0000:3b:02.0", for summaries. */
export function describeVf(dev: AnyDevice): string {
  const address = hostPciAddress(dev);
  const tag = dev.el.name === 'hostdev' ? '<hostdev>' : `<${dev.el.name} type='${dev.kind === 'interface' ? dev.type?.value ?? '' : ''}'>`;
  return address ? `the VF ${address}` : `the VF ${tag}`;
}

export function describeInterface(iface: NetInterface): string {
  if (iface.alias) return `'${iface.alias.name.value}'`;
  if (iface.mac) return `the interface with MAC ${iface.mac.value}`;
  return `the <interface type='${iface.type?.value ?? ''}'>`;
}


import type { XmlElement } from '../parser/nodes';
import { attrValue } from '../parser/query';
import type { AnyDevice, DomainModel, NetInterface } from './domain';

/** What a guest needs to fail over between a VF and its virtio standby (libvirt-facts §1); no tool can see it from the XML. */
export const GUEST_FAILOVER_SUPPORT = 'Linux >= 4.18 with net_failover, or virtio-win >= 0.1.189';

/** An `<interface type='hostdev'>`: a VF passed through as a NIC. */
export function isVfInterface(dev: AnyDevice | undefined): dev is NetInterface {
  return dev?.kind === 'interface' && dev.type?.value === 'hostdev';
}

/** Interfaces with persistent teaming that a VF could name (not `exclude`). */
export function persistentInterfaces(model: DomainModel, exclude?: AnyDevice): NetInterface[] {
  return model.interfaces.filter((i) => i !== exclude && i.teaming?.type?.value === 'persistent' && i.type?.value !== 'hostdev');
}

/** Whether some VF (other than `except`) already pairs with this standby. */
export function isTaken(model: DomainModel, standby: NetInterface, except?: AnyDevice): boolean {
  return model.links.some((l) => l.partner === standby && l.transient.owner !== except);
}

/** Whether `a` and `b` form a valid teaming pair (one is the resolved partner of the other's transient teaming). */
export function arePaired(model: DomainModel, a: NetInterface, b: NetInterface): boolean {
  return model.links.some(
    (l) => l.partner && ((l.partner === a && l.transient.owner === b) || (l.partner === b && l.transient.owner === a)),
  );
}

/**
 * The interfaces this one is meant to pair with, valid or not: one names the other's alias in its transient
 * `persistent=` (or as the `failover_pair_id` of a `<qemu:override>`). While a start tag is half-typed the parser nests
 * the following siblings inside it, so this interface's own `<teaming>` and `<alias>` are looked for anywhere inside it.
 */
export function intendedPartners(model: DomainModel, iface: NetInterface): NetInterface[] {
  const index = partnerIndex(model);
  const mine = transientTarget(iface, true, index.overrides);
  const myAlias = iface.alias?.name.value ?? attrValue(descendant(iface.el, 'alias'), 'name');
  const found = new Set<NetInterface>();
  for (const o of (mine !== undefined && index.byAlias.get(mine)) || []) if (o !== iface) found.add(o);
  for (const o of (myAlias !== undefined && index.byTarget.get(myAlias)) || []) if (o !== iface) found.add(o);
  // in document order, as the interfaces are
  return [...found].sort((a, b) => index.order.get(a)! - index.order.get(b)!);
}

interface PartnerIndex {
  overrides: Map<NetInterface, string>;
  /** Interfaces by their own `<alias name>`. */
  byAlias: Map<string, NetInterface[]>;
  /** Interfaces by the alias they name as their persistent partner. */
  byTarget: Map<string, NetInterface[]>;
  order: Map<NetInterface, number>;
}

const partnerIndexes = new WeakMap<DomainModel, PartnerIndex>();

/** Once per model: a lookup per keystroke stays linear however many interfaces share a MAC (mac-duplicate asks per interface). */
function partnerIndex(model: DomainModel): PartnerIndex {
  let index = partnerIndexes.get(model);
  if (!index) {
    const overrides = overrideTargets(model);
    index = { overrides, byAlias: new Map(), byTarget: new Map(), order: new Map() };
    const add = (m: Map<string, NetInterface[]>, k: string | undefined, x: NetInterface) => {
      if (k === undefined) return;
      const list = m.get(k);
      if (list) list.push(x);
      else m.set(k, [x]);
    };
    model.interfaces.forEach((x, i) => {
      index!.order.set(x, i);
      add(index!.byAlias, x.alias?.name.value, x);
      add(index!.byTarget, transientTarget(x, false, overrides), x);
    });
    partnerIndexes.set(model, index);
  }
  return index;
}

/** The alias an interface names as its persistent partner, as a transient `<teaming>` or through `<qemu:override>`. */
function transientTarget(x: NetInterface, tolerant: boolean, overrides: Map<NetInterface, string>): string | undefined {
  const teaming = x.teaming?.el ?? (tolerant ? descendant(x.el, 'teaming') : undefined);
  if (attrValue(teaming, 'type') === 'transient') return attrValue(teaming, 'persistent') || undefined;
  return overrides.get(x);
}

const overrideCache = new WeakMap<DomainModel, Map<NetInterface, string>>();

/** The `failover_pair_id` each `<qemu:override>` primary names, once per model. */
function overrideTargets(model: DomainModel): Map<NetInterface, string> {
  let out = overrideCache.get(model);
  if (!out) {
    out = new Map();
    for (const l of model.links) {
      const name = l.transient.persistent?.value;
      if (l.transient.via === 'qemu-override' && l.transient.owner.kind === 'interface' && name) out.set(l.transient.owner, name);
    }
    overrideCache.set(model, out);
  }
  return out;
}

/** The first element named `name` below `el`, in document order (iterative: nesting depth is the user's). */
function descendant(el: XmlElement, name: string): XmlElement | undefined {
  const stack: XmlElement[] = [];
  const pushChildren = (e: XmlElement) => {
    for (let i = e.children.length - 1; i >= 0; i--) {
      const c = e.children[i];
      if (c.kind === 'element') stack.push(c);
    }
  };
  pushChildren(el);
  while (stack.length) {
    const cur = stack.pop()!;
    if (cur.name === name) return cur;
    pushChildren(cur);
  }
  return undefined;
}

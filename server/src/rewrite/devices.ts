import { isPciPassthrough, type AnyDevice } from '../model/domain';
import type { XmlElement } from '../parser/nodes';
import { attrValue, child, path } from '../parser/query';
import { startTag, type RewriteContext } from './context';
import { formatPci, parsePciText, PCI_PARTS, PCI_WIDTHS, spellLike, xmlPciAddress } from '../model/pci';
import { mapped, pointer } from './profile';

interface Placed {
  dev: AnyDevice;
  addressEl: XmlElement;
  /** The source key when the profile mapped it. */
  mapped: string | undefined;
}

/** Rewrites each VF's and PCI hostdev's host address; devices are found by place in the document, never by MAC. */
export function rewriteHostdevs(ctx: RewriteContext): void {
  const byDestination = new Map<string, Placed[]>();
  for (const dev of ctx.model.devices) {
    if (!isPciPassthrough(dev)) continue;
    const addressEl = path(dev.el, 'source', 'address');
    if (!addressEl) continue;
    const source = xmlPciAddress(addressEl);
    if (!source) {
      ctx.problem(
        'rewrite-hostdev-unmapped',
        'error',
        `the host PCI address of ${ctx.describe(dev)} cannot be read, so it cannot be mapped`,
        startTag(addressEl),
      );
      continue;
    }
    const key = formatPci(source);
    const ptr = pointer('hostdevs', key);
    const dest = mapped(ctx.profile.hostdevs, key);
    const destAddr = dest === undefined ? undefined : parsePciText(dest);
    const written = dest ?? ctx.profile.unusable?.[ptr];
    if (!destAddr) {
      ctx.problem(
        'rewrite-hostdev-unmapped',
        'error',
        written === undefined
          ? `no destination for ${ctx.describe(dev)} at host PCI ${key}: map "${key}" in the profile's "hostdevs" to the destination VF`
          : `no destination for ${ctx.describe(dev)} at host PCI ${key}: the profile's "hostdevs" maps it to "${written}": replace that with the destination VF's PCI address`,
        startTag(addressEl),
      );
      add(byDestination, key, { dev, addressEl, mapped: undefined });
      continue;
    }
    ctx.used.add(ptr);
    for (const p of PCI_PARTS) {
      if (source[p] !== destAddr[p]) ctx.set(addressEl, p, spellLike(attrValue(addressEl, p), destAddr[p], PCI_WIDTHS[p]));
    }
    const after = formatPci(destAddr);
    if (after !== key)
      ctx.changes.push({
        what: `host PCI address of ${ctx.describe(dev)}`,
        start: addressEl.start,
        end: addressEl.end,
        before: key,
        after,
      });
    add(byDestination, after, { dev, addressEl, mapped: key });
  }
  for (const [address, devs] of byDestination) {
    if (devs.length < 2 || devs.every((d) => !d.mapped)) continue;
    const [first, ...rest] = devs;
    for (const d of rest) {
      const ptr = pointer('hostdevs', (d.mapped ?? first.mapped)!);
      ctx.problem(
        'rewrite-vf-conflict',
        'error',
        `${ctx.describe(d.dev)} and ${ctx.describe(first.dev)} would both use the destination VF ${address}: one VF can be given to one device only`,
        startTag(d.addressEl),
        ctx.profileSpan(ptr, 'value'),
      );
    }
  }
}

function add(map: Map<string, Placed[]>, key: string, p: Placed): void {
  const list = map.get(key);
  if (list) list.push(p);
  else map.set(key, [p]);
}

/** Network and bridge sources of interfaces; a VF taken from a pool network needs no host address. */
export function rewriteInterfaces(ctx: RewriteContext): void {
  for (const iface of ctx.model.interfaces) {
    const type = iface.type?.value;
    const source = child(iface.el, 'source');
    if (!source || (type !== 'network' && type !== 'bridge')) continue;
    const attr = type;
    const section = type === 'network' ? 'networks' : 'bridges';
    const name = attrValue(source, attr);
    if (name === undefined) continue;
    const dest = mapped(ctx.profile[section], name);
    if (dest !== undefined) {
      ctx.used.add(pointer(section, name));
      ctx.setValue(`${attr} of ${ctx.describe(iface)}`, source, attr, dest);
    }
    if (type === 'network' && iface.teaming?.type?.value === 'transient') {
      const there = dest ?? name;
      ctx.problem(
        'rewrite-vf-pool',
        'information',
        `${ctx.describe(iface)} takes its VF from the pool network '${there}' (<forward mode='hostdev'>): the destination's pool picks a free VF, so nothing host-specific needs rewriting for it (the destination must define '${there}' as a VF pool)`,
        startTag(iface.el),
      );
    }
  }
}

/** Mediated devices: the UUID of the mdev on the destination host. */
export function rewriteMdevs(ctx: RewriteContext): void {
  for (const dev of ctx.model.hostdevs) {
    if (dev.type?.value !== 'mdev') continue;
    const addressEl = path(dev.el, 'source', 'address');
    const uuid = attrValue(addressEl, 'uuid')?.toLowerCase();
    const dest = uuid === undefined ? undefined : mapped(ctx.profile.mdevs, uuid);
    if (!addressEl || uuid === undefined || dest === undefined) continue;
    ctx.used.add(pointer('mdevs', uuid));
    if (dest !== uuid) ctx.setValue(`mdev UUID of ${ctx.describe(dev)}`, addressEl, 'uuid', dest);
  }
}

import { attrValue, child } from '../parser/query';
import type { XmlElement } from '../parser/nodes';
import type { AnyDevice, NetInterface } from './domain';
import { hostPciAddress } from './pci';

/**
 * How devices are named in messages, summaries, hover and completion: one wording everywhere. Front ends that
 * render Markdown format these plain strings themselves.
 */

/** `<interface type='hostdev'>`, `<hostdev>`: the start tag's name and type. */
function elementLabel(el: XmlElement): string {
  const type = attrValue(el, 'type');
  return type !== undefined ? `<${el.name} type='${type}'>` : `<${el.name}>`;
}

/** Where a VF comes from: `host PCI 0000:3b:02.0`, `VF pool network 'sriov-pool'`, or its start tag. */
export function vfOrigin(dev: AnyDevice): string {
  const address = hostPciAddress(dev);
  if (address) return `host PCI ${address}`;
  const network = attrValue(child(dev.el, 'source'), 'network');
  return network ? `VF pool network '${network}'` : elementLabel(dev.el);
}

/** `the VF 0000:3b:02.0`, or `the VF <interface type='hostdev'>` when it has no host address. */
export function describeVf(dev: AnyDevice): string {
  const address = hostPciAddress(dev);
  if (address) return `the VF ${address}`;
  return `the VF ${dev.kind === 'interface' ? `<interface type='${dev.type?.value ?? ''}'>` : `<${dev.el.name}>`}`;
}

/** `'ua-backup0'`, `the interface with MAC …`, or `the <interface type='network'>`. */
export function describeInterface(iface: NetInterface): string {
  if (iface.alias) return `'${iface.alias.name.value}'`;
  if (iface.mac) return `the interface with MAC ${iface.mac.value}`;
  return `the <interface type='${iface.type?.value ?? ''}'>`;
}

/** The start tag, the alias and the MAC, as far as they are written: `<interface type='network'> ua-backup0 52:54:00:…`. */
export function interfaceSummary(
  iface: NetInterface,
  parts: { alias?: boolean; mac?: boolean } = { alias: true, mac: true },
): string {
  return [
    `<interface type='${iface.type?.value ?? '?'}'>`,
    parts.alias ? iface.alias?.name.value : undefined,
    parts.mac ? iface.mac?.value : undefined,
  ]
    .filter(Boolean)
    .join(' ');
}

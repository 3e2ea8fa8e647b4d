import type { XmlAttribute, XmlDocument, XmlElement } from '../parser/nodes';
import { attribute, child, childElements, path } from '../parser/query';

/** An attribute's value together with where it is written (for ranges and edits). */
export interface Valued {
  value: string;
  attr: XmlAttribute;
  el: XmlElement;
}

export interface Device {
  /** The device element under <devices> (interface, hostdev, disk, …). */
  el: XmlElement;
  alias: Alias | undefined;
  teaming: Teaming | undefined;
  /** The guest-side <address> (child of the device, not of <source>). */
  guestAddress: XmlElement | undefined;
}

export interface NetInterface extends Device {
  kind: 'interface';
  type: Valued | undefined;
  mac: Valued | undefined;
  /** The <mac> element, even when it has no address attribute. */
  macEl: XmlElement | undefined;
  model: Valued | undefined;
}

export interface Hostdev extends Device {
  kind: 'hostdev';
  mode: Valued | undefined;
  type: Valued | undefined;
}

export interface OtherDevice extends Device {
  kind: 'other';
}

export type AnyDevice = NetInterface | Hostdev | OtherDevice;

export interface Teaming {
  el: XmlElement;
  owner: NetInterface | Hostdev;
  type: Valued | undefined;
  persistent: Valued | undefined;
  /**
   * Set when the device is a failover primary through `<qemu:override>` (`failover_pair_id` on its alias) rather than a
   * `<teaming>` element: QEMU accepts any PCI Express NIC as the primary. `el` is then the `<qemu:property>`.
   */
  via?: 'qemu-override';
}

export interface Alias {
  el: XmlElement;
  name: Valued;
  device: AnyDevice;
  /** Whether libvirt keeps this alias at define: user aliases are `ua-` followed by [A-Za-z0-9_-]. */
  kept: boolean;
}

export type TargetProblem = 'no-alias' | 'self' | 'dropped' | 'not-interface' | 'not-persistent';

/** A transient teaming element and what its persistent= resolves to. */
export interface TransientLink {
  transient: Teaming;
  /** The persistent interface, when persistent= names a kept alias of an interface with persistent teaming. */
  partner: NetInterface | undefined;
  problem: TargetProblem | undefined;
  /** The alias persistent= names, when one exists (for related information). */
  targetAlias: Alias | undefined;
}

export interface DomainModel {
  doc: XmlDocument;
  domain: XmlElement;
  devicesEl: XmlElement | undefined;
  devices: AnyDevice[];
  interfaces: NetInterface[];
  hostdevs: Hostdev[];
  aliases: Alias[];
  teamings: Teaming[];
  links: TransientLink[];
  machine: Valued | undefined;
  arch: Valued | undefined;
  /** The <os><type> element, where the machine type is written. */
  osType: XmlElement | undefined;
}

/** libvirt keeps a user alias only when it is `ua-` followed by [A-Za-z0-9_-] (libvirt-facts §3). */
const USER_ALIAS = /^ua-[A-Za-z0-9_-]*$/;

export function isKeptAlias(name: string): boolean {
  return USER_ALIAS.test(name);
}

export function valued(el: XmlElement | undefined, name: string): Valued | undefined {
  const attr = attribute(el, name);
  if (!el || !attr || attr.value === null) return undefined;
  return { value: attr.value, attr, el };
}

export function buildDomainModel(doc: XmlDocument): DomainModel | undefined {
  const domain = doc.root;
  if (!domain || domain.name !== 'domain') return undefined;
  const devicesEl = child(domain, 'devices');
  const devices: AnyDevice[] = [];
  const interfaces: NetInterface[] = [];
  const hostdevs: Hostdev[] = [];
  const aliases: Alias[] = [];
  const teamings: Teaming[] = [];

  for (const el of childElements(devicesEl)) {
    // one pass over the device's children: these lookups run for every device on every keystroke
    let guestAddress: XmlElement | undefined, macEl: XmlElement | undefined, modelEl: XmlElement | undefined;
    let aliasEl: XmlElement | undefined, teamingEl: XmlElement | undefined;
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      switch (c.name) {
        case 'address':
          guestAddress ??= c;
          break;
        case 'mac':
          macEl ??= c;
          break;
        case 'model':
          modelEl ??= c;
          break;
        case 'alias':
          aliasEl ??= c;
          break;
        case 'teaming':
          teamingEl ??= c;
          break;
      }
    }
    let dev: AnyDevice;
    if (el.name === 'interface') {
      const iface: NetInterface = {
        el,
        alias: undefined,
        teaming: undefined,
        guestAddress,
        kind: 'interface',
        type: valued(el, 'type'),
        mac: valued(macEl, 'address'),
        macEl,
        model: valued(modelEl, 'type'),
      };
      interfaces.push(iface);
      dev = iface;
    } else if (el.name === 'hostdev') {
      const hd: Hostdev = {
        el,
        alias: undefined,
        teaming: undefined,
        guestAddress,
        kind: 'hostdev',
        mode: valued(el, 'mode'),
        type: valued(el, 'type'),
      };
      hostdevs.push(hd);
      dev = hd;
    } else {
      dev = { el, alias: undefined, teaming: undefined, guestAddress, kind: 'other' };
    }
    devices.push(dev);
    const name = valued(aliasEl, 'name');
    if (aliasEl && name) {
      dev.alias = { el: aliasEl, name, device: dev, kept: isKeptAlias(name.value) };
      aliases.push(dev.alias);
    }
    if (teamingEl && dev.kind !== 'other') {
      dev.teaming = { el: teamingEl, owner: dev, type: valued(teamingEl, 'type'), persistent: valued(teamingEl, 'persistent') };
      teamings.push(dev.teaming);
    }
  }

  const byName = new Map<string, Alias[]>();
  for (const a of aliases) {
    const list = byName.get(a.name.value);
    if (list) list.push(a);
    else byName.set(a.name.value, [a]);
  }
  const links = [
    ...teamings.filter((t) => t.type?.value === 'transient' && t.persistent),
    ...overridePrimaries(domain, byName),
  ].map((t) => resolveLink(t, byName));
  const osType = path(domain, 'os', 'type');
  return {
    doc,
    domain,
    devicesEl,
    devices,
    interfaces,
    hostdevs,
    aliases,
    teamings,
    links,
    machine: valued(osType, 'machine'),
    arch: valued(osType, 'arch'),
    osType,
  };
}

const QEMU_NS = 'http://libvirt.org/schemas/domain/qemu/1.0';

/**
 * Devices made failover primaries by `<qemu:override><qemu:device alias='ua-vf0'><qemu:frontend><qemu:property
 * name='failover_pair_id' value='ua-backup0'/>`: libvirt passes the property to QEMU as if a transient teaming had
 * named the standby. Whatever prefix the document binds to libvirt's QEMU namespace.
 */
function overridePrimaries(domain: XmlElement, byName: Map<string, Alias[]>): Teaming[] {
  const prefix = domain.attributes.find((a) => a.name.startsWith('xmlns:') && a.value === QEMU_NS)?.name.slice('xmlns:'.length);
  if (!prefix) return [];
  const out: Teaming[] = [];
  for (const override of childElements(domain, `${prefix}:override`)) {
    for (const device of childElements(override, `${prefix}:device`)) {
      const owner = byName.get(attribute(device, 'alias')?.value ?? '')?.[0]?.device;
      if (!owner || owner.kind === 'other') continue;
      for (const frontend of childElements(device, `${prefix}:frontend`)) {
        for (const property of childElements(frontend, `${prefix}:property`)) {
          const name = valued(property, 'name');
          const value = valued(property, 'value');
          if (name?.value !== 'failover_pair_id' || !value) continue;
          out.push({ el: property, owner, type: { ...name, value: 'transient' }, persistent: value, via: 'qemu-override' });
        }
      }
    }
  }
  return out;
}

function resolveLink(transient: Teaming, byName: Map<string, Alias[]>): TransientLink {
  const name = transient.persistent!.value;
  const named = byName.get(name) ?? [];
  const good = named.find((a) => a.kept && a.device.kind === 'interface' && a.device.teaming?.type?.value === 'persistent');
  if (good) {
    // a USB (or other non-VF) hostdev is refused by teaming-hostdev-invalid; it forms no pair
    const partner = canBeTransient(transient.owner) ? (good.device as NetInterface) : undefined;
    return { transient, partner, problem: undefined, targetAlias: good };
  }
  const first = named[0];
  let problem: TargetProblem = 'no-alias';
  if (first) {
    if (first.device === transient.owner) problem = 'self';
    else if (!first.kept) problem = 'dropped';
    else if (first.device.kind !== 'interface') problem = 'not-interface';
    else problem = 'not-persistent';
  }
  return { transient, partner: undefined, problem, targetAlias: first };
}

/** Only a VF can be the transient side: an interface, or a PCI subsystem hostdev (libvirt refuses the rest). */
function canBeTransient(owner: NetInterface | Hostdev): boolean {
  return owner.kind === 'interface' || isPciPassthrough(owner);
}

/** A device that holds a host PCI address in `<source><address>`: a VF interface or a PCI subsystem `<hostdev>`. */
export function isPciPassthrough(dev: AnyDevice): boolean {
  if (dev.kind === 'interface') return dev.type?.value === 'hostdev';
  if (dev.kind === 'hostdev') return (dev.mode?.value ?? 'subsystem') === 'subsystem' && dev.type?.value === 'pci';
  return false;
}

/** Valid teaming pairs: each transient whose persistent= resolves to a persistent interface. */
export function pairs(model: DomainModel): { transient: Teaming; partner: NetInterface }[] {
  const out: { transient: Teaming; partner: NetInterface }[] = [];
  for (const l of model.links) if (l.partner) out.push({ transient: l.transient, partner: l.partner });
  return out;
}

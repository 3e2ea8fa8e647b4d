import type { XmlElement } from '../parser/nodes';
import { attribute, path } from '../parser/query';
import { isPciPassthrough, type AnyDevice } from './domain';

export interface PciAddress {
  domain: number;
  bus: number;
  slot: number;
  function: number;
}

export const PCI_PARTS = ['domain', 'bus', 'slot', 'function'] as const;
const LIMITS: Record<(typeof PCI_PARTS)[number], number> = { domain: 0xffff, bus: 0xff, slot: 0x1f, function: 7 };
/** The widths libvirt writes (`0x0000`, `0x3b`, `0x02`, `0x0`), used when an attribute must be added. */
export const PCI_WIDTHS: Record<(typeof PCI_PARTS)[number], number> = { domain: 4, bus: 2, slot: 2, function: 1 };

const HEX = '(?:0[xX])?([0-9a-fA-F]{1,4})';
/** `[DDDD:]BB:SS.F`, each part hex with or without `0x`, any case; or a node device name `pci_0000_3b_02_0`. */
const PROFILE_PCI = new RegExp(`^(?:${HEX}:)?${HEX}:${HEX}\\.${HEX}$`);
const NODEDEV_PCI = /^pci_([0-9a-fA-F]{1,4})_([0-9a-fA-F]{1,2})_([0-9a-fA-F]{1,2})_([0-7])$/;

/** Reads a PCI address as users write it in a profile (lspci's hex, with or without domain and `0x`). */
export function parsePciText(text: string): PciAddress | undefined {
  const m = PROFILE_PCI.exec(text) ?? NODEDEV_PCI.exec(text);
  if (!m) return undefined;
  const [domain, bus, slot, fn] = [m[1] ?? '0', m[2], m[3], m[4]].map((s) => parseInt(s, 16));
  return inRange({ domain, bus, slot, function: fn });
}

function inRange(a: PciAddress): PciAddress | undefined {
  return PCI_PARTS.every((p) => a[p] <= LIMITS[p]) ? a : undefined;
}

/** The canonical spelling `0000:3b:02.0`. */
export function formatPci(a: PciAddress): string {
  const h = (n: number, w: number) => n.toString(16).padStart(w, '0');
  return `${h(a.domain, 4)}:${h(a.bus, 2)}:${h(a.slot, 2)}.${a.function.toString(16)}`;
}

/** An unsigned number as libvirt reads XML attributes (strtoul base 0: `0x` hex, leading `0` octal, else decimal). */
export function parseLibvirtUint(v: string): number | undefined {
  const t = v.trim();
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) return parseInt(t.slice(2), 16);
  if (/^0[0-7]+$/.test(t)) return parseInt(t.slice(1), 8);
  if (/^\d+$/.test(t)) return parseInt(t, 10);
  return undefined;
}

/** The PCI address an `<address domain bus slot function>` element names (missing parts are 0, as in libvirt). */
export function xmlPciAddress(el: XmlElement): PciAddress | undefined {
  const out: Partial<PciAddress> = {};
  for (const p of PCI_PARTS) {
    const raw = attribute(el, p)?.value;
    const n = raw === undefined || raw === null ? 0 : parseLibvirtUint(raw);
    if (n === undefined) return undefined;
    out[p] = n;
  }
  return inRange(out as PciAddress);
}

/** Writes `n` in the spelling of `old` (prefix, case, width, base) so a round trip restores the same bytes. */
export function spellLike(old: string | undefined, n: number, width: number): string {
  if (old === undefined) return '0x' + n.toString(16).padStart(width, '0');
  const t = old.trim();
  if (/^0[xX]/.test(t)) {
    const digits = t.slice(2);
    const hex = n.toString(16).padStart(digits.length, '0');
    return t.slice(0, 2) + (/[A-F]/.test(digits) && !/[a-f]/.test(digits) ? hex.toUpperCase() : hex);
  }
  if (/^0[0-7]+$/.test(t)) return '0' + n.toString(8).padStart(t.length - 1, '0');
  return n.toString(10);
}

/** `0000:3b:02.0` for a device whose `<source>` holds a host PCI address (numbers read as libvirt reads them). */
export function hostPciAddress(dev: AnyDevice): string | undefined {
  const a = isPciPassthrough(dev) ? path(dev.el, 'source', 'address') : undefined;
  const address = a ? xmlPciAddress(a) : undefined;
  return address ? formatPci(address) : undefined;
}

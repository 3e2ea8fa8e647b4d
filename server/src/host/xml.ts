import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatPci, parseLibvirtUint, type PciAddress } from '../model/pci';

/**
 * libvirt's own output is well-formed XML, so it is read with a strict parser (fast-xml-parser), not the project's
 * tolerant editor parser; the result is reduced to a small element tree that every host parser walks the same way.
 */
export interface El {
  name: string;
  attrs: ReadonlyMap<string, string>;
  children: El[];
  /** The element's own text (character data directly inside it, concatenated). */
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type Ordered = Record<string, unknown>;

function convert(node: Ordered): El | undefined {
  const name = Object.keys(node).find((k) => k !== ':@');
  if (!name || name === '#text' || name.startsWith('?') || name.startsWith('!')) return undefined;
  const attrs = new Map<string, string>();
  const rawAttrs = node[':@'];
  if (rawAttrs && typeof rawAttrs === 'object') {
    for (const [k, v] of Object.entries(rawAttrs as Record<string, unknown>)) attrs.set(k, String(v));
  }
  const children: El[] = [];
  let text = '';
  const body = node[name];
  if (Array.isArray(body)) {
    for (const item of body as Ordered[]) {
      if (item && typeof item === 'object' && '#text' in item) text += String(item['#text']);
      else if (item && typeof item === 'object') {
        const c = convert(item);
        if (c) children.push(c);
      }
    }
  }
  return { name, attrs, children, text };
}

export interface ParsedXml {
  root?: El;
  /** Why the document could not be read (or only partly). */
  problems: string[];
}

/** Parses one XML document; never throws. A document that is not well-formed is reported, and not read. */
export function parseXml(xml: string, expectedRoot?: string): ParsedXml {
  const problems: string[] = [];
  if (!xml.trim()) return { problems: ['empty document'] };
  // libvirt never writes one; a host that does is not trusted with entity declarations
  if (/<!DOCTYPE/i.test(xml)) return { problems: ['a DOCTYPE (libvirt writes none): not read'] };
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return { problems: [`not well-formed XML (line ${valid.err.line}): ${valid.err.msg}`] };
  }
  let tree: unknown;
  try {
    tree = parser.parse(xml);
  } catch (e) {
    return { problems: [`unreadable XML: ${(e as Error).message}`] };
  }
  const roots = Array.isArray(tree) ? (tree as Ordered[]).map(convert).filter((e): e is El => !!e) : [];
  const root = roots[0];
  if (!root) return { problems: ['no root element'] };
  if (expectedRoot && root.name !== expectedRoot) {
    problems.push(`root element is <${root.name}>, expected <${expectedRoot}>`);
    return { problems };
  }
  return { root, problems };
}

export const child = (el: El | undefined, name: string): El | undefined => el?.children.find((c) => c.name === name);
export const childrenOf = (el: El | undefined, name: string): El[] => el?.children.filter((c) => c.name === name) ?? [];
export const attr = (el: El | undefined, name: string): string | undefined => el?.attrs.get(name);
/** Trimmed text of a child element, undefined when absent or empty. */
export function childText(el: El | undefined, name: string): string | undefined {
  const t = child(el, name)?.text.trim();
  return t ? t : undefined;
}

/** Every descendant named `name`, depth first. */
export function descendants(el: El, name: string): El[] {
  const out: El[] = [];
  const walk = (e: El) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

const PARTS = ['domain', 'bus', 'slot', 'function'] as const;
const LIMITS = { domain: 0xffff, bus: 0xff, slot: 0x1f, function: 7 };

/**
 * The canonical address (`0000:3b:02.0`) of an `<address domain bus slot function>` element; numbers are read as
 * libvirt reads them (base 0: `0x` hex, leading 0 octal, else decimal) and a missing part is 0, as in libvirt.
 */
export function addressOf(el: El | undefined): string | undefined {
  if (!el) return undefined;
  const out: Partial<PciAddress> = {};
  for (const p of PARTS) {
    const raw = el.attrs.get(p);
    const n = raw === undefined ? 0 : parseLibvirtUint(raw);
    if (n === undefined || n > LIMITS[p]) return undefined;
    out[p] = n;
  }
  return formatPci(out as PciAddress);
}

/** `yes`/`no` (and libvirt's `on`/`off`) as a boolean. */
export function yesNo(v: string | undefined): boolean | undefined {
  if (v === 'yes' || v === 'on') return true;
  if (v === 'no' || v === 'off') return false;
  return undefined;
}

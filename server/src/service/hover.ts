import type { Position, TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupKind, type Hover } from 'vscode-languageserver-types';
import { interfaceSummary } from '../model/describe';
import type { DomainModel, NetInterface, Teaming } from '../model/domain';
import { isLocalMac, isMacShape, isMulticastMac } from '../model/mac';
import type { Parsed } from '../model/parsed';
import { arePaired } from '../model/teaming';
import type { XmlAttribute, XmlElement } from '../parser/nodes';
import { isForeign } from '../schema';
import { spotAt } from '../schema/locate';
import { attributeType, contextFor } from '../schema/lookup';
import { vocabulary } from '../schema/vocabulary';
import { code, markdownText } from './markdown';

/**
 * Hover: what an element, attribute or value is for, the values allowed and since which libvirt version; on a
 * <teaming> the pair it belongs to; on a MAC whether it is unicast and locally administered, and which other
 * interface carries it.
 */
export function getHover(document: TextDocument, parsed: Parsed, position: Position): Hover | null {
  if (!parsed.model) return null;
  const spot = spotAt(parsed.xml, document.offsetAt(position));
  const range = (start: number, end: number) => ({ start: document.positionAt(start), end: document.positionAt(end) });
  const model = parsed.model;
  let lines: (string | undefined)[];
  let span: [number, number];
  if (spot.kind === 'name' || spot.kind === 'endName') {
    const el = spot.el;
    lines = elementHover(el, model, document);
    // an end tag's range starts at its `<`: the cursor may be on the `/`
    span = spot.kind === 'name' ? [el.nameStart, el.nameEnd] : [el.endTagStart!, el.endTagStart! + 2 + el.name.length];
  } else if (spot.kind === 'attrName') {
    lines = attributeHover(spot.el, spot.attr);
    span = [spot.attr.nameStart, spot.attr.nameEnd];
  } else if (spot.kind === 'attrValue') {
    lines = valueHover(spot.el, spot.attr, model, document);
    span = [spot.attr.valueStart, spot.attr.valueEnd];
  } else if (spot.kind === 'content' && spot.el) {
    const text = textHover(parsed.xml.text, spot.el, document.offsetAt(position));
    if (!text) return null;
    lines = text.lines;
    span = text.span;
  } else return null;
  const value = lines.filter((l): l is string => !!l).join('\n\n');
  const offset = document.offsetAt(position);
  // LSP: a hover's range contains the position it answers for
  if (!value || offset < span[0] || offset > span[1]) return null;
  return { contents: { kind: MarkupKind.Markdown, value }, range: range(...span) };
}

const tag = (name: string) => code(`<${name}>`);
const doc = (text: string | undefined) => (text ? markdownText(text) : undefined);
const since = (v: string | undefined) => (v ? `*Since libvirt ${v}.*` : undefined);

function elementHover(el: XmlElement, model: DomainModel | undefined, document: TextDocument): (string | undefined)[] {
  if (isForeign(el)) return [`**${tag(el.name)}**`, 'Not checked: an element of another XML namespace.'];
  const ctx = contextFor(el);
  const about = vocabulary().doc(el.parent?.name, el.name);
  if (!ctx)
    return [
      `**${tag(el.name)}**`,
      el.parent && contextFor(el.parent) ? `Not allowed in ${tag(el.parent.name)} by libvirt's domain schema.` : undefined,
    ];
  const required = ctx.required.length ? `Required attributes: ${ctx.required.map(code).join(', ')}.` : undefined;
  const attrs = [...ctx.attrs.keys()].filter((a) => !ctx.required.includes(a));
  const lines = [
    `**${tag(el.name)}**`,
    doc(about?.doc),
    since(about?.since),
    required,
    attrs.length ? `Attributes: ${attrs.map(code).join(', ')}.` : undefined,
    ctx.children.size ? `Children: ${[...ctx.children.keys()].map(tag).join(', ')}.` : undefined,
    ctx.text ? `Text: ${ctx.text.describe()}.` : undefined,
  ];
  if (el.name === 'teaming' && model) lines.push(teamingPair(model, el, document));
  return lines;
}

function attributeHover(el: XmlElement, attr: XmlAttribute): (string | undefined)[] {
  const ctx = contextFor(el);
  const type = attributeType(el, attr.name);
  if (!ctx || !type)
    return [
      `**${code(attr.name)}**`,
      ctx && !ctx.anyAttrs && !attr.name.includes(':')
        ? `Not an attribute of ${tag(el.name)} in libvirt's domain schema.`
        : undefined,
    ];
  const about = vocabulary().doc(el.parent?.name, el.name, attr.name);
  return [
    `**${code(attr.name)}** of ${tag(el.name)}${ctx.required.includes(attr.name) ? ' (required)' : ''}`,
    doc(about?.doc),
    since(about?.since),
    `Value: ${type.describe(30)}.`,
  ];
}

function valueHover(
  el: XmlElement,
  attr: XmlAttribute,
  model: DomainModel | undefined,
  document: TextDocument,
): (string | undefined)[] {
  const value = attr.value ?? '';
  const type = attributeType(el, attr.name);
  const valueDoc = vocabulary().doc(el.parent?.name, el.name, attr.name, value);
  const lines: (string | undefined)[] = [
    `${code(value)}: ${code(attr.name)} of ${tag(el.name)}`,
    doc(valueDoc?.doc),
    since(valueDoc?.since),
  ];
  if (type && !type.accepts(value)) lines.push(`Not valid: libvirt's schema expects ${type.describe(30)}.`);
  else if (type?.enumValues.length) lines.push(`Allowed: ${type.enumValues.map(code).join(', ')}.`);
  if (!model) return lines;
  const line = (e: XmlElement) => document.positionAt(e.start).line + 1;
  if (el.name === 'mac' && attr.name === 'address') lines.push(...macHover(model, el, value, line));
  if (el.name === 'teaming' && attr.name === 'persistent') lines.push(teamingPair(model, el, document));
  if (el.name === 'alias' && attr.name === 'name') {
    const alias = model.aliases.find((a) => a.el === el);
    if (alias && !alias.kept)
      lines.push('libvirt drops this alias at define: user aliases are `ua-` followed by letters, digits, `_` or `-`.');
    const users = model.teamings.filter((t) => t.persistent?.value === value);
    if (users.length)
      lines.push(
        `Named by ${users.length} transient teaming element${users.length > 1 ? 's' : ''} (line ${users.map((t) => line(t.el)).join(', ')}).`,
      );
  }
  return lines;
}

/** On the text of an element that holds a typed value (`<on_poweroff>destroy</on_poweroff>`). */
function textHover(
  text: string,
  el: XmlElement,
  offset: number,
): { lines: (string | undefined)[]; span: [number, number] } | undefined {
  const type = contextFor(el)?.text;
  const node = el.children.find((c) => c.kind === 'text' && c.start <= offset && offset <= c.end);
  if (!type || !node || el.children.some((c) => c.kind === 'element')) return undefined;
  const raw = text.slice(node.start, node.end);
  const value = raw.trim();
  if (!value) return undefined;
  const start = node.start + raw.indexOf(value);
  const lines = [
    `${code(value)}: the value of ${tag(el.name)}`,
    type.accepts(value) ? undefined : `Not valid: libvirt's schema expects ${type.describe(30)}.`,
  ];
  if (type.accepts(value) && type.enumValues.length) lines.push(`Allowed: ${type.enumValues.map(code).join(', ')}.`);
  return { lines, span: [start, start + value.length] };
}

function macHover(model: DomainModel, el: XmlElement, mac: string, line: (e: XmlElement) => number): string[] {
  if (!isMacShape(mac)) return ['Not a MAC address: six two-digit hex octets separated by colons.'];
  const out = [
    `${isMulticastMac(mac) ? '**Multicast**: libvirt refuses it, an interface MAC must be unicast (first octet even)' : 'Unicast'}; ` +
      `${isLocalMac(mac) ? 'locally administered' : 'universally administered (a vendor OUI)'}` +
      `${/^52:54:00/i.test(mac) ? ' — the QEMU/KVM prefix 52:54:00 libvirt generates' : ''}.`,
  ];
  const owner = model.interfaces.find((i) => i.macEl === el);
  const others = model.interfaces.filter((i) => i !== owner && i.mac?.value.toLowerCase() === mac.toLowerCase());
  for (const o of others) {
    const pair = owner && arePaired(model, owner, o);
    out.push(
      `Also on ${describe(o)} (line ${line(o.el)})${pair ? ': its teaming partner, as it must be.' : ': not its teaming partner — the same MAC on two interfaces confuses the guest.'}`,
    );
  }
  return out;
}

function describe(i: NetInterface): string {
  return `${code(interfaceSummary(i, {}))}${i.alias ? ` ${code(i.alias.name.value)}` : ''}`;
}

/** A teaming side's MAC as the guest will see it. */
function macOf(owner: Teaming['owner']): string {
  if (owner.kind === 'interface') return owner.mac ? `MAC ${code(owner.mac.value)}` : 'no MAC';
  return 'no MAC (a plain `<hostdev>` cannot set one)';
}

/** The teaming pair a <teaming> element (or its persistent=) belongs to, as a sentence. */
function teamingPair(model: DomainModel, el: XmlElement, document: TextDocument): string {
  const t = model.teamings.find((x) => x.el === el);
  if (!t)
    return `Not part of a teaming pair: ${tag('teaming')} belongs directly in an ${tag('interface')} or ${tag('hostdev')} under ${tag('devices')}.`;
  const line = (e: XmlElement) => document.positionAt(e.start).line + 1;
  const where = (x: Teaming) =>
    `${x.owner.kind === 'interface' ? describe(x.owner) : code(`<hostdev type='${x.owner.type?.value ?? '?'}'>`)} (line ${line(x.owner.el)})`;
  if (t.type?.value === 'transient') {
    const link = model.links.find((l) => l.transient === t);
    if (link?.partner) {
      return `**Teaming pair**: this transient VF ${where(t)}, ${macOf(t.owner)}, fails over to the persistent ${describe(link.partner)} (line ${line(link.partner.el)}), ${macOf(link.partner)}.`;
    }
    return `**Teaming**: transient, but persistent=${code(t.persistent?.value ?? '')} names no persistent virtio interface: it pairs with nothing.`;
  }
  if (t.type?.value === 'persistent') {
    const vfs = model.links.filter((l) => l.partner?.teaming === t);
    if (!vfs.length) return `**Teaming**: persistent standby ${where(t)}; no transient device names its alias yet.`;
    return `**Teaming pair**: this persistent standby ${where(t)}, ${macOf(t.owner)}, backs the transient ${vfs.map((l) => `${where(l.transient)}, ${macOf(l.transient.owner)}`).join(' and ')}.`;
  }
  return '**Teaming**: type= must be `persistent` (the virtio standby) or `transient` (the VF).';
}

import type { Style } from '../edits/style';
import { escapeSnippet, teamingPairSnippet } from '../fixes';
import { freeAlias } from '../model/alias';
import type { DomainModel } from '../model/domain';
import { attrValue, child } from '../parser/query';
import type { Context } from '../schema/vocabulary';

function choice(values: readonly string[]): string {
  return values.map((v) => v.replace(/[$}\\,|]/g, '\\$&')).join(',');
}

/** A new element as a snippet, and the attribute whose free value is its first tab stop, if any. */
export interface ElementSnippet {
  body: string;
  firstValue?: string;
}

/**
 * A new element as a snippet: its required attributes as tab stops (a choice when enumerated); self-closing when
 * it holds nothing, on one line when it holds text, otherwise open on its own lines with the cursor inside (as
 * VS Code's HTML support does: typing the children then lands inside, not after the end tag). The snippet's tab
 * and newlines take the editor's indentation.
 */
export function elementSnippet(name: string, ctx: Context, quote: string): ElementSnippet {
  let stop = 1;
  let firstValue: string | undefined;
  const attrs = ctx.required
    .map((a) => {
      const type = ctx.attrs.get(a);
      const values = type?.enumValues ?? [];
      if (values.length > 1 && values.length <= 20) return ` ${a}=${quote}\${${stop++}|${choice(values)}|}${quote}`;
      if (values.length === 1) return ` ${a}=${quote}${escapeSnippet(values[0])}${quote}`;
      if (stop === 1) firstValue = a;
      return ` ${a}=${quote}$${stop++}${quote}`;
    })
    .join('');
  const tag = escapeSnippet(name);
  const empty = ctx.children.size === 0 && !ctx.anyChildren && ctx.noText;
  const holdsElements = ctx.children.size > 0 || ctx.anyChildren;
  const body = empty ? `${tag}${attrs}/>` : holdsElements ? `${tag}${attrs}>\n\t$0\n</${tag}>` : `${tag}${attrs}>$0</${tag}>`;
  return { body, firstValue };
}

export interface DeviceSnippet {
  label: string;
  /** The element name typed to find it. */
  name: string;
  detail: string;
  body: string;
}

/** Whole devices for <devices>: what is written most, and the teaming pair this extension is about. */
export function deviceSnippets(model: DomainModel, style: Style, freshMac: () => string): DeviceSnippet[] {
  const q = style.quote;
  const network = model.interfaces.map((i) => attrValue(child(i.el, 'source'), 'network')).find((n) => !!n) ?? 'default';
  const mac = freshMac();
  const pci = (stop: number) =>
    `<address type=${q}pci${q} domain=${q}0x\${${stop}:0000}${q} bus=${q}0x\${${stop + 1}:00}${q} ` +
    `slot=${q}0x\${${stop + 2}:00}${q} function=${q}0x\${${stop + 3}:0}${q}/>`;
  // VS Code replaces the tabs by the editor's indentation; the pair follows the same rule
  const pair = teamingPairSnippet({
    style: { ...style, indentUnit: '\t' },
    settings: { standbyNetwork: network },
    mac,
    alias: freeAlias(model),
    stops: 'all',
  });
  return [
    {
      label: 'disk (qcow2 file, virtio)',
      name: 'disk',
      detail: 'a disk image file on virtio',
      body: [
        `disk type=${q}file${q} device=${q}disk${q}>`,
        `\t<driver name=${q}qemu${q} type=${q}\${1|qcow2,raw|}${q}/>`,
        `\t<source file=${q}\${2:/var/lib/libvirt/images/disk.qcow2}${q}/>`,
        `\t<target dev=${q}\${3:vda}${q} bus=${q}virtio${q}/>`,
        '</disk>$0',
      ].join('\n'),
    },
    {
      label: 'interface (virtio on a network)',
      name: 'interface',
      detail: 'a virtio NIC with a fresh MAC',
      body: [
        `interface type=${q}network${q}>`,
        `\t<mac address=${q}\${1:${mac}}${q}/>`,
        `\t<source network=${q}\${2:${escapeSnippet(network)}}${q}/>`,
        `\t<model type=${q}virtio${q}/>`,
        '</interface>$0',
      ].join('\n'),
    },
    {
      label: 'hostdev (PCI passthrough)',
      name: 'hostdev',
      detail: 'a host PCI device (blocks live migration without teaming)',
      body: [
        `hostdev mode=${q}subsystem${q} type=${q}pci${q} managed=${q}yes${q}>`,
        '\t<source>',
        `\t\t${pci(1)}`,
        '\t</source>',
        '</hostdev>$0',
      ].join('\n'),
    },
    {
      label: 'interface (SR-IOV VF, hostdev)',
      name: 'interface',
      detail: 'a VF passed through (blocks live migration until paired with a virtio standby)',
      body: [
        `interface type=${q}hostdev${q} managed=${q}yes${q}>`,
        `\t<mac address=${q}\${1:${mac}}${q}/>`,
        '\t<source>',
        `\t\t${pci(2)}`,
        '\t</source>',
        '</interface>$0',
      ].join('\n'),
    },
    {
      label: 'interface pair (teaming: virtio standby + SR-IOV VF)',
      name: 'interface',
      detail: 'a live-migratable VF: virtio-net failover, one MAC, linked by alias',
      body: pair.slice(1) + '$0',
    },
  ];
}

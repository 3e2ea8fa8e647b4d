import type { Style } from '../edits/style';
import { escapeSnippet, teamingPairSnippet } from '../fixes';
import { freeAlias } from '../model/alias';
import type { DomainModel } from '../model/domain';
import { attrValue, child } from '../parser/query';
import type { Context } from '../schema/vocabulary';

function choice(values: readonly string[]): string {
  return values.map((v) => v.replace(/[$}\\,|]/g, '\\$&')).join(',');
}

/**
 * A new element as a snippet: its required attributes as tab stops (a choice when enumerated), self-closing
 * when it holds nothing, otherwise open with the cursor inside.
 */
export function elementSnippet(name: string, ctx: Context, quote: string): string {
  let stop = 1;
  const attrs = ctx.required
    .map((a) => {
      const type = ctx.attrs.get(a);
      const values = type?.enumValues ?? [];
      const holder =
        values.length > 1 && values.length <= 20
          ? `\${${stop++}|${choice(values)}|}`
          : values.length === 1
            ? escapeSnippet(values[0])
            : `$${stop++}`;
      return ` ${a}=${quote}${holder}${quote}`;
    })
    .join('');
  const empty = ctx.children.size === 0 && !ctx.anyChildren && ctx.noText;
  return empty ? `${escapeSnippet(name)}${attrs}/>` : `${escapeSnippet(name)}${attrs}>$0</${escapeSnippet(name)}>`;
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
      label: 'interface pair (teaming: virtio standby + SR-IOV VF)',
      name: 'interface',
      detail: 'a live-migratable VF: virtio-net failover, one MAC, linked by alias',
      body: pair.slice(1) + '$0',
    },
  ];
}

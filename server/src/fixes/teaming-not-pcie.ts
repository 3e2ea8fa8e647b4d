import { removeAttribute, setAttribute } from '../edits/ops';
import { lineIndent } from '../edits/style';
import type { OffsetEdit } from '../edits/textEdits';
import { element, render } from '../edits/xml';
import { describeVf } from '../model/describe';
import type { DomainModel } from '../model/domain';
import { parseLibvirtUint } from '../model/pci';
import type { XmlElement } from '../parser/nodes';
import { attribute, attrValue, child, childElements } from '../parser/query';
import { deviceAt } from './build';
import type { Fix, FixBuilder, FixContext } from './types';

/**
 * teaming-not-pcie.
 * - The VF on a PCI bridge, on a function other than 0, multifunction, or sharing its slot: move it to a
 *   `pcie-root-port` of its own (a new controller with a free index; the VF's guest address on its bus, slot 0,
 *   function 0). Safe on a PCI Express machine: the VF is unplugged for every migration anyway, and nothing else
 *   moves.
 * - An i440fx machine: switching to q35 is a different machine (a new chipset, other devices and addresses in the
 *   guest), so it is never applied by Make Domain Migratable; it is offered, explicitly named, only where libvirt
 *   can place everything again (no IDE, no fixed guest PCI addresses, no PCI controller but the root).
 */
export const fix: FixBuilder = (ctx, problem) => {
  if (problem.data.kind === 'machine') return machineFix(ctx);
  const vf = deviceAt(ctx.model, problem.start);
  const address = vf?.guestAddress;
  if (!vf || !address || attrValue(address, 'type') !== 'pci' || !hasPcieRoot(ctx.model)) return [];
  const index = freeBusIndex(ctx.model);
  const bus = `0x${index.toString(16).padStart(2, '0')}`;
  const edits: OffsetEdit[] = [addController(ctx, vf.el, index)];
  const set = (name: string, value: string) => {
    const current = attrValue(address, name);
    if (current === undefined || parseLibvirtUint(current) !== parseLibvirtUint(value))
      edits.push(setAttribute(ctx.style, address, name, value));
  };
  if (attrValue(address, 'domain') !== undefined) set('domain', '0x0000');
  set('bus', bus);
  set('slot', '0x00');
  set('function', '0x0');
  const multi = attribute(address, 'multifunction');
  if (multi) edits.push(removeAttribute(ctx.text, multi));
  return [
    {
      title: `Move the VF to its own pcie-root-port (a new controller, index ${index})`,
      edits,
      safe: true,
      summary: `moved ${describeVf(vf)} to its own pcie-root-port (controller index ${index}, guest bus ${bus}, slot 0)`,
    },
  ];
};

/** Machines with a PCI Express root where libvirt has pcie-root-port: x86 q35, and the ARM/RISC-V virt machines. */
function hasPcieRoot(model: DomainModel): boolean {
  const arch = model.arch?.value ?? 'x86_64';
  const machine = model.machine?.value ?? '';
  if (arch === 'x86_64' || arch === 'i686') return machine === 'q35' || machine.startsWith('pc-q35');
  return (arch === 'aarch64' || arch.startsWith('riscv')) && machine.startsWith('virt');
}

/** One more than every PCI controller index and every guest PCI bus in use: a bus nobody claims. */
function freeBusIndex(model: DomainModel): number {
  let max = 0;
  for (const dev of model.devices) {
    if (dev.el.name === 'controller' && attrValue(dev.el, 'type') === 'pci')
      max = Math.max(max, parseLibvirtUint(attrValue(dev.el, 'index') ?? '') ?? 0);
    if (dev.guestAddress && attrValue(dev.guestAddress, 'type') === 'pci')
      max = Math.max(max, parseLibvirtUint(attrValue(dev.guestAddress, 'bus') ?? '') ?? 0);
  }
  return max + 1;
}

/** `<controller type='pci' index='N' model='pcie-root-port'/>` after the last controller, else before the VF. */
function addController(ctx: FixContext, vf: XmlElement, index: number): OffsetEdit {
  const port = element('controller', [
    ['type', 'pci'],
    ['index', String(index)],
    ['model', 'pcie-root-port'],
  ]);
  const last = childElements(ctx.model.devicesEl, 'controller').pop();
  const anchor = last ?? vf;
  const indent = lineIndent(ctx.text, anchor);
  const body = render(port, ctx.style, indent);
  return last
    ? { start: last.end, end: last.end, text: ctx.style.eol + indent + body }
    : { start: vf.start, end: vf.start, text: body + ctx.style.eol + indent };
}

/** i440fx → q35 as one explicit, never automatic action, where libvirt can lay out the new machine by itself. */
function machineFix(ctx: FixContext): Fix[] {
  const { model } = ctx;
  const osType = model.osType;
  const arch = model.arch?.value ?? 'x86_64';
  if (!osType || (arch !== 'x86_64' && arch !== 'i686') || !relocatable(model)) return [];
  const old = model.machine?.value;
  const i440fx = old && /^pc-i440fx-(.+)$/.exec(old);
  const q35 = i440fx ? `pc-q35-${i440fx[1]}` : 'q35';
  const edits: OffsetEdit[] = [setAttribute(ctx.style, osType, 'machine', q35)];
  const root = childElements(model.devicesEl, 'controller').find(
    (c) => attrValue(c, 'type') === 'pci' && attrValue(c, 'model') === 'pci-root',
  );
  if (root) edits.push(setAttribute(ctx.style, root, 'model', 'pcie-root'));
  return [
    {
      title: `Change the machine to '${q35}' (q35 is a different machine: the guest sees a new chipset and new PCI addresses)`,
      edits,
      safe: false,
      summary: `changed the machine from '${old ?? 'pc'}' to '${q35}'`,
    },
  ];
}

/** No IDE (q35 has none), no fixed guest PCI address and no PCI controller but the root: libvirt places it all anew. */
function relocatable(model: DomainModel): boolean {
  for (const dev of model.devices) {
    if (dev.guestAddress && attrValue(dev.guestAddress, 'type') === 'pci') return false;
    const type = attrValue(dev.el, 'type');
    if (dev.el.name === 'controller' && (type === 'ide' || (type === 'pci' && attrValue(dev.el, 'model') !== 'pci-root')))
      return false;
    if (dev.el.name === 'disk' && attrValue(child(dev.el, 'target'), 'bus') === 'ide') return false;
  }
  return true;
}

import type { DomainModel, Valued } from '../model/domain';
import { valued } from '../model/domain';
import { parseLibvirtUint } from '../model/pci';
import type { XmlElement } from '../parser/nodes';
import { attrValue, childElements } from '../parser/query';
import { nameSpan, related, valueSpan, type Rule } from './rule';

// controllers whose bus is conventional PCI in QEMU (pxb, i82801b11-bridge, pci-bridge, pcie-pci-bridge)
const BRIDGES = new Set(['pci-bridge', 'pcie-to-pci-bridge', 'dmi-to-pci-bridge', 'pci-expander-bus']);

/**
 * QEMU's failover needs the VF (the primary) on PCI Express and alone in its slot.
 *
 * libvirt accepts the domain, but QEMU refuses the VF: `failover primary device must be on PCIExpress bus`
 * on an i440fx (`pc`, `pc-i440fx-…`) machine — the default machine on x86 when none is given — or on the bus of
 * a `pci-bridge`, `pcie-to-pci-bridge`, `dmi-to-pci-bridge` or `pci-expander-bus` controller; and
 * `failover: primary device must be in its own PCI slot` when the VF's guest address has a function other
 * than 0, `multifunction='on'`, or shares its slot with another device.
 *
 * On bus 0 of a q35 machine (`pcie.0`, the root complex itself) the VF cannot be plugged: QEMU hides a failover
 * primary until the guest acknowledges the standby and then hot-plugs it, and `pcie.0` takes no hot-plugged device.
 * libvirt accepts the domain; QEMU 10.0 refuses to start it (`Bus 'pcie.0' does not support hotplugging`); QEMU 7.2
 * starts it, logs the same words as a warning, and the guest never sees its VF (it runs on virtio only; seen with a
 * real guest).
 * Use a `q35` machine and let libvirt place the VF on its own root port.
 */
export const rule: Rule = {
  code: 'teaming-not-pcie',
  severity: 'warning',
  title: 'the VF of a pair cannot sit on PCI Express',
  check(model, report) {
    const vfs = model.links.filter((l) => l.partner).map((l) => l.transient.owner);
    if (vfs.length === 0) return;

    const arch = model.arch?.value ?? 'x86_64';
    const machine = model.machine?.value;
    if ((arch === 'x86_64' || arch === 'i686') && isI440fx(machine)) {
      report({
        ...(model.machine ? valueSpan(model.machine) : nameSpan(model.osType ?? model.domain)),
        message: machine
          ? `failover primary device must be on PCIExpress bus: machine '${machine}' (i440fx) has no PCI Express; use a q35 machine`
          : "failover primary device must be on PCIExpress bus: without machine=, x86 domains get i440fx ('pc'), which has no PCI Express; use machine='q35'",
        related: vfs.slice(0, 10).map((vf) => related(nameSpan(vf.el), 'a teaming VF')),
        data: { kind: 'machine' },
      });
    }

    const bridges = new Map<number, Valued>();
    for (const c of childElements(model.devicesEl, 'controller')) {
      const index = numeric(attrValue(c, 'index'));
      const modelAttr = valued(c, 'model');
      if (attrValue(c, 'type') === 'pci' && index !== undefined && modelAttr && BRIDGES.has(modelAttr.value))
        bridges.set(index, modelAttr);
    }
    let slots: Map<string, XmlElement[]> | undefined;
    const q35 = (arch === 'x86_64' || arch === 'i686') && (machine === 'q35' || !!machine?.startsWith('pc-q35'));
    for (const vf of vfs) {
      const addr = vf.guestAddress;
      if (!addr || attrValue(addr, 'type') !== 'pci') continue;
      const bus = valued(addr, 'bus');
      const slot = valued(addr, 'slot');
      const fn = valued(addr, 'function');
      const multi = valued(addr, 'multifunction');
      const bridge = bus && bridges.get(numeric(bus.value) ?? -1);
      if (bus && bridge) {
        report({
          ...valueSpan(bus),
          message: `failover primary device must be on PCIExpress bus: bus ${bus.value} is a ${bridge.value}`,
          related: [related(valueSpan(bridge), 'the bridge controller')],
          data: { kind: 'bridge' },
        });
      }
      if (fn && numeric(fn.value) !== 0) {
        report({
          ...valueSpan(fn),
          message: `failover: primary device must be in its own PCI slot: function ${fn.value} shares a slot`,
          data: { kind: 'function' },
        });
      } else if (multi?.value === 'on') {
        report({
          ...valueSpan(multi),
          message: "failover: primary device must be in its own PCI slot: multifunction='on' shares the slot",
          data: { kind: 'multifunction' },
        });
      } else {
        slots ??= slotIndex(model);
        const sharer =
          bus && slot && slots.get(slotKey(attrValue(addr, 'domain'), bus.value, slot.value))?.find((el) => el !== vf.el);
        if (sharer) {
          report({
            ...valueSpan(slot),
            message: `failover: primary device must be in its own PCI slot: <${sharer.name}> uses the same slot`,
            related: [related(nameSpan(sharer), 'the other device in this slot')],
            data: { kind: 'slot' },
          });
        } else if (bus && numeric(bus.value) === 0 && q35) {
          report({
            ...valueSpan(bus),
            message:
              "Bus 'pcie.0' does not support hotplugging: QEMU plugs the VF only once the guest has acknowledged the " +
              'standby, and bus 0 of a q35 machine takes no hot-plugged device (QEMU 10 refuses to start the domain; ' +
              'QEMU 7.2 starts it and the VF never appears: virtio only); put it on a pcie-root-port',
            data: { kind: 'root-bus' },
          });
        }
      }
    }
  },
};

/** i440fx machine types: `pc`, `pc-i440fx-7.2`, `pc-1.3`…; q35 ones are `q35` and `pc-q35-…`. */
function isI440fx(machine: string | undefined): boolean {
  if (machine === undefined) return true;
  return (machine === 'pc' || machine.startsWith('pc-')) && !machine.startsWith('pc-q35');
}

/** A PCI address part as libvirt reads it (0x hex, leading-0 octal, decimal); undefined when absent or unreadable. */
function numeric(s: string | undefined): number | undefined {
  return s === undefined ? undefined : parseLibvirtUint(s);
}

function slotKey(domain: string | undefined, bus: string | undefined, slot: string | undefined): string {
  return `${numeric(domain) ?? 0}:${numeric(bus)}:${numeric(slot)}`;
}

/** Devices by guest PCI slot, built once per check (the VFs are looked up in it). */
function slotIndex(model: DomainModel): Map<string, XmlElement[]> {
  const index = new Map<string, XmlElement[]>();
  for (const dev of model.devices) {
    const a = dev.guestAddress;
    if (!a || attrValue(a, 'type') !== 'pci') continue;
    const key = slotKey(attrValue(a, 'domain'), attrValue(a, 'bus'), attrValue(a, 'slot'));
    const list = index.get(key);
    if (list) list.push(dev.el);
    else index.set(key, [dev.el]);
  }
  return index;
}

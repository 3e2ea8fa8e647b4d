import type { DomainModel } from '../model/domain';
import { nameSpan, related, valueSpan, type Rule } from './rule';

const VIRTIO_MODELS = new Set(['virtio', 'virtio-transitional', 'virtio-non-transitional']);

/**
 * The persistent side of a teaming pair must be a virtio-net interface: QEMU implements failover in
 * virtio-net (`virtio-net-pci …,failover=on`).
 *
 * libvirt's QEMU driver refuses it at define: `virtio-net teaming persistent interface must be
 * <model type='virtio'/>, not 'e1000e'`. An interface without `<model>` gets libvirt's default model: rtl8139
 * on x86, but virtio on s390, on ARM and RISC-V `virt` machines and for `type='vdpa'`, where no model is fine.
 * An `<interface type='hostdev'>` has no virtio model and cannot be the persistent side.
 * `virtio-transitional` and `virtio-non-transitional` are virtio too.
 */
export const rule: Rule = {
  code: 'teaming-persistent-model',
  severity: 'error',
  title: 'persistent teaming on an interface whose model is not virtio',
  check(model, report) {
    for (const iface of model.interfaces) {
      const t = iface.teaming;
      if (t?.type?.value !== 'persistent') continue;
      if (iface.type?.value === 'hostdev') {
        report({
          ...valueSpan(iface.type),
          message:
            "an <interface type='hostdev'> cannot be the persistent side of a teaming pair: it must be a virtio interface (e.g. type='network' with <model type='virtio'/>); the VF takes <teaming type='transient'/>",
          related: [related(nameSpan(t.el), 'the persistent teaming')],
        });
      } else if (!iface.model && !defaultsToVirtio(model, iface.type?.value)) {
        report({
          ...valueSpan(t.type!),
          message:
            "virtio-net teaming persistent interface must be <model type='virtio'/>: this interface has no <model>, and the default here is not virtio (rtl8139 on x86)",
          data: { hasModel: false },
        });
      } else if (iface.model && !VIRTIO_MODELS.has(iface.model.value)) {
        report({
          ...valueSpan(iface.model),
          message: `virtio-net teaming persistent interface must be <model type='virtio'/>, not '${iface.model.value}'`,
          related: [related(nameSpan(t.el), 'the persistent teaming')],
          data: { hasModel: true },
        });
      }
    }
  },
};

/** libvirt's QEMU driver picks virtio when <model> is absent here (qemuDomainDefaultNetModel). */
function defaultsToVirtio(model: DomainModel, type: string | undefined): boolean {
  if (type === 'vdpa') return true;
  const arch = model.arch?.value ?? 'x86_64';
  const machine = model.machine?.value ?? '';
  const virt = machine === 'virt' || machine.startsWith('virt-');
  return /^s390x?$/.test(arch) || (virt && /^(armv6l|armv7l|aarch64|riscv32|riscv64)$/.test(arch));
}

import { nameSpan, related, valueSpan, type Rule } from './rule';

/**
 * Teaming on a plain `<hostdev>` (libvirt >= 7.1.0) is only for a PCI VF, and only as the transient side.
 *
 * libvirt refuses at define: `teaming hostdev devices must have type='transient'`, and, on a USB or other
 * non-PCI hostdev, `teaming is only supported for pci hostdev devices`.
 */
export const rule: Rule = {
  code: 'teaming-hostdev-invalid',
  severity: 'error',
  title: 'teaming on a plain <hostdev> that is not a transient PCI device',
  check(model, report) {
    for (const hd of model.hostdevs) {
      const t = hd.teaming;
      if (!t) continue;
      const mode = hd.mode?.value ?? 'subsystem';
      if (mode !== 'subsystem' || hd.type?.value !== 'pci') {
        report({
          ...nameSpan(t.el),
          message: 'teaming is only supported for pci hostdev devices',
          related: [related(hd.type ? valueSpan(hd.type) : nameSpan(hd.el), 'the hostdev type')],
        });
      } else if (t.type?.value === 'persistent') {
        report({
          ...valueSpan(t.type),
          message: "teaming hostdev devices must have type='transient': the persistent side is the virtio interface",
        });
      }
    }
  },
};

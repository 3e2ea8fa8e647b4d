import { valueSpan, nameSpan, type Rule } from './rule';

/**
 * A PCI passthrough device (a plain `<hostdev mode='subsystem' type='pci'>` or an `<interface type='hostdev'>`)
 * without transient teaming blocks live migration.
 *
 * libvirt refuses `virsh migrate`: `cannot migrate a domain with <hostdev mode='subsystem' type='pci'>`
 * (with QEMU >= 6: `cannot migrate domain: VFIO device doesn't support migration`). Pair the VF with a virtio
 * standby (`<teaming>`), so that QEMU unplugs it before migration and the guest keeps running on virtio.
 * USB hostdevs do not block migration.
 */
export const rule: Rule = {
  code: 'migration-hostdev',
  severity: 'warning',
  title: 'a PCI hostdev or VF interface without transient teaming',
  check(model, report) {
    for (const iface of model.interfaces) {
      if (iface.type?.value !== 'hostdev' || iface.teaming?.type?.value === 'transient') continue;
      report({
        ...valueSpan(iface.type),
        message:
          "cannot live-migrate: this VF (<interface type='hostdev'>) has no virtio failover partner; libvirt refuses to migrate a domain with a PCI passthrough device",
        data: { device: 'interface', hasTeaming: iface.teaming !== undefined },
      });
    }
    for (const hd of model.hostdevs) {
      if ((hd.mode?.value ?? 'subsystem') !== 'subsystem' || hd.type?.value !== 'pci' || hd.teaming?.type?.value === 'transient')
        continue;
      report({
        ...(hd.type ? valueSpan(hd.type) : nameSpan(hd.el)),
        message:
          "cannot migrate a domain with <hostdev mode='subsystem' type='pci'>: pair this VF with a virtio standby through <teaming>",
        data: { device: 'hostdev', hasTeaming: hd.teaming !== undefined },
      });
    }
  },
};

import { attrValue } from '../parser/query';
import { nameSpan, valueSpan, type Rule } from './rule';

const REFUSED_SUBSYSTEMS = new Set(['scsi', 'scsi_host', 'mdev']);

/**
 * SCSI, scsi_host and mdev hostdevs, and any `<hostdev mode='capabilities'>`, block live migration; teaming
 * cannot help there.
 *
 * libvirt refuses `virsh migrate`: `cannot migrate a domain with <hostdev mode='subsystem' type='scsi'>`
 * (likewise `mode='capabilities'`). USB hostdevs are allowed; PCI ones are `migration-hostdev`. In a QEMU
 * domain (`<domain type='kvm'>` or `'qemu'`) a capabilities hostdev is an error, since libvirt's QEMU driver
 * refuses it at define: `hostdev mode 'capabilities' is not supported in kvm`.
 */
export const rule: Rule = {
  code: 'migration-hostdev-unsupported',
  severity: 'warning',
  title: 'a SCSI, scsi_host, mdev or capabilities hostdev',
  check(model, report) {
    const virtType = attrValue(model.domain, 'type');
    const qemu = virtType === 'kvm' || virtType === 'qemu';
    for (const hd of model.hostdevs) {
      const mode = hd.mode?.value ?? 'subsystem';
      const type = hd.type?.value;
      if (mode === 'capabilities') {
        report({
          ...(hd.mode ? valueSpan(hd.mode) : nameSpan(hd.el)),
          severity: qemu ? 'error' : undefined,
          message: qemu
            ? `hostdev mode 'capabilities' is not supported in ${virtType}: libvirt refuses to define it (it is for LXC containers)`
            : `cannot migrate a domain with <hostdev mode='capabilities'>`,
        });
      } else if (mode === 'subsystem' && type && REFUSED_SUBSYSTEMS.has(type)) {
        report({ ...valueSpan(hd.type!), message: `cannot migrate a domain with <hostdev mode='subsystem' type='${type}'>` });
      }
    }
  },
};

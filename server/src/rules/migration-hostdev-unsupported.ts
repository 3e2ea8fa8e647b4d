import { nameSpan, valueSpan, type Rule } from './rule';

const REFUSED_SUBSYSTEMS = new Set(['scsi', 'scsi_host', 'mdev']);

/**
 * SCSI, scsi_host and mdev hostdevs, and any `<hostdev mode='capabilities'>`, block live migration; teaming
 * cannot help there.
 *
 * libvirt refuses `virsh migrate`: `cannot migrate a domain with <hostdev mode='subsystem' type='scsi'>`
 * (likewise `mode='capabilities'`). USB hostdevs are allowed; PCI ones are `migration-hostdev`.
 */
export const rule: Rule = {
  code: 'migration-hostdev-unsupported',
  severity: 'warning',
  title: 'a SCSI, scsi_host, mdev or capabilities hostdev',
  check(model, report) {
    for (const hd of model.hostdevs) {
      const mode = hd.mode?.value ?? 'subsystem';
      const type = hd.type?.value;
      if (mode === 'capabilities') {
        report({ ...(hd.mode ? valueSpan(hd.mode) : nameSpan(hd.el)), message: `cannot migrate a domain with <hostdev mode='capabilities'>` });
      } else if (mode === 'subsystem' && type && REFUSED_SUBSYSTEMS.has(type)) {
        report({ ...valueSpan(hd.type!), message: `cannot migrate a domain with <hostdev mode='subsystem' type='${type}'>` });
      }
    }
  },
};

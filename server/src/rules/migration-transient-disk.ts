import { child, childElements } from '../parser/query';
import { nameSpan, type Rule } from './rule';

/**
 * A transient disk (`<transient/>`: changes are thrown away when the domain stops) blocks live migration.
 *
 * libvirt refuses `virsh migrate` for a domain with a transient disk: the overlay lives only on the source host.
 */
export const rule: Rule = {
  code: 'migration-transient-disk',
  severity: 'warning',
  title: 'a transient disk',
  check(model, report) {
    for (const disk of childElements(model.devicesEl, 'disk')) {
      const transient = child(disk, 'transient');
      if (!transient) continue;
      report({
        ...nameSpan(transient),
        message: 'migration of a domain with a transient disk is not supported: its overlay lives only on this host',
      });
    }
  },
};

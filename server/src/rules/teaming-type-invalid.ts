import { nameSpan, valueSpan, type Rule } from './rule';

/**
 * `<teaming>` needs `type='persistent'` (on the virtio standby) or `type='transient'` (on the VF).
 *
 * libvirt refuses any other value at define: `unknown teaming type 'bogus'` (`none` included). A bare
 * `<teaming/>` without `type` is worse: libvirt's parser silently drops the element (its schema rejects it),
 * so the interface is not teamed at all.
 */
export const rule: Rule = {
  code: 'teaming-type-invalid',
  severity: 'error',
  title: '<teaming> with a missing or unknown type',
  check(model, report) {
    for (const t of model.teamings) {
      const type = t.type?.value;
      if (type === 'persistent' || type === 'transient') continue;
      if (t.type === undefined) {
        report({
          ...nameSpan(t.el),
          message: "<teaming> has no type: libvirt silently drops it; use type='persistent' (virtio standby) or type='transient' (the VF)",
          data: { owner: t.owner.kind },
        });
      } else {
        report({
          ...valueSpan(t.type),
          message: `unknown teaming type '${type}': use 'persistent' (virtio standby) or 'transient' (the VF)`,
          data: { owner: t.owner.kind },
        });
      }
    }
  },
};

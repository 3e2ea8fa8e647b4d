import { attrSpan, nameSpan, valueSpan, type Rule } from './rule';

/**
 * `<teaming>` needs `type='persistent'` (on the virtio standby) or `type='transient'` (on the VF).
 *
 * libvirt refuses any other value at define: `unknown teaming type 'bogus'` (`none` included), and a
 * `<teaming persistent='…'/>` without `type` likewise: `unknown teaming type '(null)'`. A bare `<teaming/>`
 * (or `type=''`) without `persistent=` is worse: libvirt's parser silently drops the element (its schema
 * rejects it), so the interface is not teamed at all.
 */
export const rule: Rule = {
  code: 'teaming-type-invalid',
  severity: 'error',
  title: '<teaming> with a missing or unknown type',
  check(model, report) {
    for (const t of model.teamings) {
      const type = t.type?.value;
      if (type === 'persistent' || type === 'transient') continue;
      // libvirt reads an empty attribute as an absent one
      const span = t.type ? attrSpan(t.type) : nameSpan(t.el);
      if (type) {
        report({
          ...valueSpan(t.type!),
          message: `unknown teaming type '${type}': use 'persistent' (virtio standby) or 'transient' (the VF)`,
          data: { owner: t.owner.kind },
        });
      } else if (t.persistent?.value) {
        report({
          ...span,
          message:
            "unknown teaming type '(null)': <teaming> has no type; use type='transient' on the VF (or type='persistent', without persistent=, on the virtio standby)",
          data: { owner: t.owner.kind },
        });
      } else {
        report({
          ...span,
          message:
            "<teaming> has no type: libvirt silently drops it; use type='persistent' (virtio standby) or type='transient' (the VF)",
          data: { owner: t.owner.kind },
        });
      }
    }
  },
};

import { nameSpan, valueSpan, type Rule } from './rule';

/**
 * A transient teaming element must name its virtio partner: `<teaming type='transient' persistent='ua-…'/>`.
 *
 * libvirt refuses it at define: `teaming persistent attribute must be set if teaming type is 'transient'`
 * on an interface, `missing required persistent attribute in hostdev teaming element` on a `<hostdev>`.
 * An empty `persistent=''` counts as missing.
 */
export const rule: Rule = {
  code: 'teaming-persistent-attr-missing',
  severity: 'error',
  title: 'transient teaming without persistent=',
  check(model, report) {
    for (const t of model.teamings) {
      // libvirt reads persistent='' as no attribute at all
      if (t.type?.value !== 'transient' || t.persistent?.value) continue;
      report({
        ...(t.type ? valueSpan(t.type) : nameSpan(t.el)),
        message:
          t.owner.kind === 'hostdev'
            ? "missing required persistent attribute in hostdev teaming element: name the virtio standby's alias, persistent='ua-…'"
            : "teaming persistent attribute must be set if teaming type is 'transient': name the virtio standby's alias, persistent='ua-…'",
      });
    }
  },
};

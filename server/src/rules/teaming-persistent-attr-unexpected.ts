import { attrSpan, type Rule } from './rule';

/**
 * Only the transient side names its partner; the persistent side must not carry `persistent=`.
 *
 * libvirt refuses it at define: `teaming persistent attribute not allowed if teaming type is 'persistent'`.
 */
export const rule: Rule = {
  code: 'teaming-persistent-attr-unexpected',
  severity: 'error',
  title: 'persistent teaming with persistent=',
  check(model, report) {
    for (const t of model.teamings) {
      if (t.type?.value !== 'persistent' || !t.persistent) continue;
      report({
        ...attrSpan(t.persistent),
        message: "teaming persistent attribute not allowed if teaming type is 'persistent'",
      });
    }
  },
};

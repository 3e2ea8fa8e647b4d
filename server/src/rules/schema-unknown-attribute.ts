import { schemaFindings } from '../schema/check';
import type { Rule } from './rule';

/**
 * An attribute libvirt's domain schema does not allow on this element: a misspelt name (`tpye='network'`), or an
 * attribute that belongs to another variant of the element (`bus=` on `<address type='drive'>` is fine, `slot=` is
 * not).
 *
 * libvirt's schema rejects the document; at define, libvirt's parser ignores attributes it does not read, so the
 * value is silently lost. Reported on the attribute's name, with the nearest unused valid names as quick fixes.
 * Namespace declarations and namespaced attributes are not checked.
 */
export const rule: Rule = {
  code: 'schema-unknown-attribute',
  severity: 'error',
  title: "an attribute libvirt's schema does not allow on this element",
  check(model, report) {
    for (const f of schemaFindings(model)) if (f.code === 'schema-unknown-attribute') report(f);
  },
};

import { schemaFindings } from '../schema/check';
import type { Rule } from './rule';

/**
 * An element without an attribute or child element that libvirt's domain schema requires in every form of it:
 * `<interface>` without `type`, `<disk>` without `<target>`, `<clock>` without `offset`. (A `<teaming>` without
 * `type` is reported as `teaming-type-invalid`, which says what libvirt does with it.)
 *
 * libvirt's schema rejects the document, and libvirt's parser refuses most of these at define (for example
 * `missing target information for device`). Reported on the element's name. Requirements that depend on the
 * element's variant (a `<source network>` for `<interface type='network'>`) are not reported here.
 */
export const rule: Rule = {
  code: 'schema-missing-required',
  severity: 'error',
  title: 'a required attribute or child element is missing',
  check(model, report) {
    for (const f of schemaFindings(model)) if (f.code === 'schema-missing-required') report(f);
  },
};

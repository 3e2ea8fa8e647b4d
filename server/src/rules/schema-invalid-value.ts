import { schemaFindings } from '../schema/check';
import type { Rule } from './rule';

/**
 * An attribute value or element text that libvirt's domain schema does not accept: an unknown enumerated value
 * (`type='netwrok'`), a number out of range (`bus='0x100'` in a PCI address), or text of the wrong shape
 * (`<memory>1G</memory>`).
 *
 * libvirt's schema rejects the document, and libvirt's parser usually refuses the value at define (for example
 * `unknown interface type 'netwrok'`, `Invalid PCI address bus='0x100', must be <= 0xFF`). Reported on the value,
 * with the nearest valid values as quick fixes when the value is one of a list.
 */
export const rule: Rule = {
  code: 'schema-invalid-value',
  severity: 'error',
  title: "a value libvirt's schema does not accept",
  check(model, report) {
    for (const f of schemaFindings(model)) if (f.code === 'schema-invalid-value') report(f);
  },
};

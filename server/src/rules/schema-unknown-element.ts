import { schemaFindings } from '../schema/check';
import type { Rule } from './rule';

/**
 * An element libvirt's domain schema does not allow where it is written: a misspelt name (`<intreface>`), or an
 * element of another parent (`<teaming>` directly under `<devices>`).
 *
 * libvirt's schema rejects the document (`virt-xml-validate`: "Extra element devices in interleave", reported on
 * `<devices>`, not on the culprit); at define, libvirt's parser silently ignores elements it does not know, so the
 * setting is lost without a word. Reported on the element's name, with the nearest valid names as quick fixes.
 * Namespaced elements (`<qemu:commandline>`) and the content of `<metadata>` are not checked.
 */
export const rule: Rule = {
  code: 'schema-unknown-element',
  severity: 'error',
  title: "an element libvirt's schema does not allow here",
  check(model, report) {
    for (const f of schemaFindings(model)) if (f.code === 'schema-unknown-element') report(f);
  },
};

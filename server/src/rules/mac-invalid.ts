import { isMacShape } from '../model/mac';
import { hasPlaceholder } from '../model/template';
import { valueSpan, type Rule } from './rule';

/**
 * A `<mac address>` is six two-digit hex octets separated by colons, e.g. `52:54:00:6d:90:02`.
 *
 * libvirt's schema rejects anything else, and its parser refuses what it cannot read:
 * `unable to parse mac address 'x'`. (The parser does read one-digit octets such as `52:54:0:6d:90:2`, but the
 * schema, and so `virsh define --validate`, rejects them.)
 */
export const rule: Rule = {
  code: 'mac-invalid',
  severity: 'error',
  title: 'a MAC address that is not six hex octets',
  check(model, report) {
    for (const iface of model.interfaces) {
      if (!iface.mac || isMacShape(iface.mac.value) || hasPlaceholder(iface.mac.value)) continue;
      report({
        ...valueSpan(iface.mac),
        message: `'${iface.mac.value}' is not a MAC address: write six two-digit hex octets separated by colons, e.g. 52:54:00:6d:90:02`,
      });
    }
  },
};

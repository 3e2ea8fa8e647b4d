import { pairs, type NetInterface } from '../model/domain';
import { nameSpan, related, valueSpan, type Rule } from './rule';

/**
 * Both interfaces of a teaming pair need an explicit `<mac address>`, and the same one.
 *
 * libvirt accepts a pair without MACs and generates a different random MAC for each side; the guest's
 * `net_failover` pairs the VF with its standby by MAC, so the pair never forms and traffic breaks during
 * migration. (A plain `<hostdev>` VF cannot carry a MAC: see `teaming-hostdev-mac`.)
 */
export const rule: Rule = {
  code: 'teaming-mac-missing',
  severity: 'error',
  title: 'a teaming pair interface without <mac address>',
  check(model, report) {
    for (const { transient, partner } of pairs(model)) {
      const vf = transient.owner;
      const sides: [NetInterface, NetInterface | undefined, string][] = [
        [partner, vf.kind === 'interface' ? vf : undefined, 'persistent'],
      ];
      if (vf.kind === 'interface') sides.push([vf, partner, 'transient']);
      for (const [iface, other, side] of sides) {
        if (iface.mac) continue;
        const otherMac = other?.mac?.value;
        report({
          ...nameSpan(iface.macEl ?? iface.el),
          message:
            `this ${side} teaming interface has no <mac address>: libvirt generates a different MAC for each side and the guest cannot pair them` +
            (otherMac ? ` (its partner uses ${otherMac})` : ''),
          related: other ? [related(other.mac ? valueSpan(other.mac) : nameSpan(other.el), 'its teaming partner')] : undefined,
          data: { side, otherMac },
        });
      }
    }
  },
};

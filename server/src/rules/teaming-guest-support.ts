import { pairs } from '../model/domain';
import { GUEST_FAILOVER_SUPPORT } from '../model/teaming';
import { nameSpan, related, valueSpan, type Rule } from './rule';

/**
 * On each valid teaming pair: the guest must support virtio-net failover, which no tool can see from the XML.
 *
 * Linux >= 4.18 with the `net_failover` driver, or Windows with virtio-win >= 0.1.189. Without it the VF is never
 * plugged into the guest and the guest runs on virtio only.
 */
export const rule: Rule = {
  code: 'teaming-guest-support',
  severity: 'information',
  title: 'the guest needs net_failover support',
  check(model, report) {
    for (const { transient, partner } of pairs(model)) {
      report({
        ...nameSpan(transient.el),
        message: `teaming pair with '${transient.persistent!.value}': the guest needs virtio-net failover (${GUEST_FAILOVER_SUPPORT}), else the VF never appears`,
        related: [related(valueSpan(partner.alias!.name), 'the virtio standby')],
      });
    }
  },
};

import { pairs } from '../model/domain';
import { nameSpan, type Rule } from './rule';

/**
 * A plain `<hostdev>` VF cannot carry a MAC address in the domain XML, yet the guest pairs the VF with its
 * virtio standby by MAC.
 *
 * Set the VF's MAC on the host to the standby's (`ip link set PF vf N mac …`), on every host the domain may
 * run on, or use `<interface type='hostdev'>` with a `<mac>`, where libvirt sets it for you.
 */
export const rule: Rule = {
  code: 'teaming-hostdev-mac',
  severity: 'information',
  title: 'a plain <hostdev> VF whose MAC must be set on the host',
  check(model, report) {
    for (const { transient, partner } of pairs(model)) {
      if (transient.owner.kind !== 'hostdev') continue;
      const mac = partner.mac?.value;
      report({
        ...nameSpan(transient.el),
        message: `a <hostdev> cannot carry a MAC: set this VF's MAC on every host to ${mac ?? "the standby's MAC"} (ip link set <PF> vf <N> mac …), or use <interface type='hostdev'> with <mac>`,
        data: { mac },
      });
    }
  },
};

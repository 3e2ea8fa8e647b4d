import { pairs } from '../model/domain';
import { hasPlaceholder } from '../model/template';
import { related, valueSpan, type Rule } from './rule';

/**
 * The VF and its virtio standby must have the same MAC address.
 *
 * libvirt never compares them. The guest's `net_failover` driver pairs the two devices by MAC: with different
 * MACs the VF comes up as an unrelated NIC, and the guest loses the connection when QEMU unplugs the VF for
 * migration.
 */
export const rule: Rule = {
  code: 'teaming-mac-mismatch',
  severity: 'error',
  title: "the teaming pair's MACs differ",
  check(model, report) {
    for (const { transient, partner } of pairs(model)) {
      const vf = transient.owner;
      if (vf.kind !== 'interface' || !vf.mac || !partner.mac) continue;
      if (vf.mac.value.toLowerCase() === partner.mac.value.toLowerCase()) continue;
      if (hasPlaceholder(vf.mac.value) || hasPlaceholder(partner.mac.value)) continue; // known once the template is filled
      report({
        ...valueSpan(vf.mac),
        message: `the VF's MAC ${vf.mac.value} differs from its virtio standby's ${partner.mac.value}: the guest pairs them by MAC, so failover cannot work`,
        related: [related(valueSpan(partner.mac), "the standby's MAC")],
        data: { vfMac: vf.mac.value, standbyMac: partner.mac.value },
      });
    }
  },
};

import type { NetInterface } from '../model/domain';
import { intendedPartners } from '../model/teaming';
import { related, valueSpan, type Rule } from './rule';

/**
 * One MAC address on two interfaces that are not one teaming pair.
 *
 * libvirt accepts it, but two NICs with one MAC confuse the guest and host tooling (cloud-init stops with
 * "duplicate mac found", udev names flip, DHCP leases collide). Only a teaming pair shares a MAC on purpose.
 */
export const rule: Rule = {
  code: 'mac-duplicate',
  severity: 'warning',
  title: 'one MAC on two interfaces that are not a teaming pair',
  check(model, report) {
    const seen = new Map<string, NetInterface[]>();
    for (const iface of model.interfaces) {
      const mac = iface.mac?.value.toLowerCase();
      if (!mac) continue;
      const same = seen.get(mac);
      const partners = same && intendedPartners(model, iface);
      const clash = same?.find((o) => !partners!.includes(o));
      if (same) same.push(iface);
      else seen.set(mac, [iface]);
      if (!clash) continue;
      report({
        ...valueSpan(iface.mac!),
        message: `MAC ${iface.mac!.value} is already used by another interface that is not this one's teaming partner`,
        related: [related(valueSpan(clash.mac!), 'the other interface with this MAC')],
        data: { mac },
      });
    }
  },
};

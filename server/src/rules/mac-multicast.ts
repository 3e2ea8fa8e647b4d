import { isMacShape, isMulticastMac } from '../model/mac';
import { valueSpan, type Rule } from './rule';

/**
 * A NIC's MAC must be unicast: the lowest bit of the first octet must be 0.
 *
 * libvirt refuses it at define: `expected unicast mac address, found multicast '01:00:5e:00:00:01'`.
 * libvirt and QEMU generate `52:54:00:…` addresses (unicast, locally administered).
 */
export const rule: Rule = {
  code: 'mac-multicast',
  severity: 'error',
  title: 'a multicast MAC address',
  check(model, report) {
    for (const iface of model.interfaces) {
      const mac = iface.mac?.value;
      if (!mac || !isMacShape(mac) || !isMulticastMac(mac)) continue;
      report({ ...valueSpan(iface.mac!), message: `expected unicast mac address, found multicast '${mac}'` });
    }
  },
};

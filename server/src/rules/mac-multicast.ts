import { MAC_SHAPE } from './mac-invalid';
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
      if (!mac || !MAC_SHAPE.test(mac) || (parseInt(mac.slice(0, 2), 16) & 1) === 0) continue;
      report({ ...valueSpan(iface.mac!), message: `expected unicast mac address, found multicast '${mac}'` });
    }
  },
};

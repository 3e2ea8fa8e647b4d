import { nameSpan, related, valueSpan, type Rule } from './rule';

/**
 * The transient side of a teaming pair is the VF: an `<interface type='hostdev'>` (or a plain PCI `<hostdev>`).
 *
 * libvirt's QEMU driver refuses other interface types at define: `virtio-net teaming transient interface must
 * be type='hostdev', not 'bridge'`. An `<interface type='network'>` is accepted at define, but only works when
 * the network is a pool of VFs (`<forward mode='hostdev'>`); otherwise libvirt refuses at start: `interface
 * <mac> - teaming transient device must be type='hostdev', not 'bridge'`. That case is reported as information,
 * because the network's definition is not in the domain.
 */
export const rule: Rule = {
  code: 'teaming-transient-type',
  severity: 'error',
  title: 'transient teaming on an interface type other than hostdev or network',
  check(model, report) {
    for (const iface of model.interfaces) {
      const t = iface.teaming;
      if (t?.type?.value !== 'transient') continue;
      const type = iface.type?.value;
      if (type === 'hostdev') continue;
      const span = iface.type ? valueSpan(iface.type) : nameSpan(iface.el);
      const rel = [related(nameSpan(t.el), 'the transient teaming')];
      if (type === 'network') {
        report({
          ...span,
          severity: 'information',
          message:
            "transient teaming on type='network' works only if the network is a VF pool (<forward mode='hostdev'>); otherwise libvirt refuses to start the domain",
          related: rel,
        });
      } else {
        report({
          ...span,
          message: `virtio-net teaming transient interface must be type='hostdev', not '${type ?? ''}'`,
          related: rel,
        });
      }
    }
  },
};

import { related, valueSpan, type Rule } from './rule';

const MAX_RELATED = 10;

/**
 * One virtio standby backs exactly one VF.
 *
 * libvirt accepts two transients pointing at one persistent interface, but QEMU refuses to start the domain:
 * `Cannot attach more than one primary device to 'ua-backup0'`. Give each VF its own virtio partner.
 */
export const rule: Rule = {
  code: 'teaming-multiple-transients',
  severity: 'error',
  title: 'more than one transient pointing at one persistent',
  check(model, report) {
    const byPartner = new Map<object, typeof model.links>();
    for (const link of model.links) {
      if (!link.partner) continue;
      const list = byPartner.get(link.partner) ?? [];
      list.push(link);
      byPartner.set(link.partner, list);
    }
    for (const links of byPartner.values()) {
      if (links.length < 2) continue;
      for (const link of links) {
        const name = link.transient.persistent!.value;
        report({
          ...valueSpan(link.transient.persistent!),
          message: `Cannot attach more than one primary device to '${name}': ${links.length} VFs name this virtio standby; give each VF its own partner`,
          // capped: thousands of VFs on one standby must not make millions of entries
          related: links
            .filter((l) => l !== link)
            .slice(0, MAX_RELATED)
            .map((l) => related(valueSpan(l.transient.persistent!), 'another VF naming the same standby')),
          data: { name },
        });
      }
    }
  },
};

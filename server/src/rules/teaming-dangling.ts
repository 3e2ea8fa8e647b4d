import type { TargetProblem } from '../model/domain';
import { related, valueSpan, type Rule } from './rule';

const AUTO_ALIAS = /^(net|hostdev)\d+$/;

/**
 * `persistent=` on the transient side must name an alias that libvirt keeps (`ua-…`) on an interface with
 * `<teaming type='persistent'/>`.
 *
 * libvirt never checks this. It accepts `persistent=` naming no alias at all, a disk's alias, the VF's own
 * alias, an automatic alias such as `net0` (assigned at start, never matched), or an alias libvirt drops
 * because it lacks the `ua-` prefix. QEMU then gets a `failover_pair_id` that pairs with nothing: the VF
 * never appears in the guest, and migration falls back to nothing.
 */
export const rule: Rule = {
  code: 'teaming-dangling',
  severity: 'error',
  title: 'persistent= names no alias libvirt keeps on a persistent teaming interface',
  check(model, report) {
    for (const link of model.links) {
      const name = link.transient.persistent!.value;
      if (!link.problem || name === '') continue; // an empty persistent= is teaming-persistent-attr-missing
      const target = link.targetAlias;
      report({
        ...valueSpan(link.transient.persistent!),
        message: explain(link.problem, name, target ? `<${target.device.el.name}>` : ''),
        related: target ? [related(valueSpan(target.name), `the alias '${name}'`)] : undefined,
        data: { problem: link.problem, name },
      });
    }
  },
};

function explain(problem: TargetProblem, name: string, targetTag: string): string {
  switch (problem) {
    case 'no-alias':
      return AUTO_ALIAS.test(name)
        ? `persistent='${name}' names an automatic alias: libvirt assigns those at start, so the VF pairs with nothing; give the virtio standby <alias name='ua-…'/> and name that`
        : `persistent='${name}' names no alias in this domain: the VF pairs with nothing and never appears in the guest`;
    case 'self':
      return `persistent='${name}' names this device's own alias: it must name the virtio standby interface`;
    case 'dropped':
      return `persistent='${name}' names an alias that libvirt drops (user aliases are 'ua-' and letters, digits, '_' or '-'): the VF pairs with nothing`;
    case 'not-interface':
      return `persistent='${name}' names the alias of a ${targetTag}: it must name the virtio interface with <teaming type='persistent'/>`;
    case 'not-persistent':
      return `persistent='${name}' names an interface without <teaming type='persistent'/>: QEMU pairs the VF only with a failover virtio-net`;
  }
}

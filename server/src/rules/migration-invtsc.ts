import { valued } from '../model/domain';
import { attrValue, child, childElements } from '../parser/query';
import { valueSpan, type Rule } from './rule';

/**
 * The `invtsc` CPU feature blocks live migration unless the TSC frequency is fixed in the domain.
 *
 * libvirt refuses `virsh migrate` with `invtsc` required (or forced) and no `<clock><timer name='tsc'
 * frequency='…'/>` above 0: `domain has 'invtsc' CPU feature but TSC frequency is not specified`; the
 * destination host's TSC would tick at another rate.
 */
export const rule: Rule = {
  code: 'migration-invtsc',
  severity: 'warning',
  title: 'invtsc CPU feature without a TSC frequency',
  check(model, report) {
    const cpu = child(model.domain, 'cpu');
    const tscTimer = childElements(child(model.domain, 'clock'), 'timer').find((t) => attrValue(t, 'name') === 'tsc');
    if (Number(attrValue(tscTimer, 'frequency')) > 0) return; // libvirt treats frequency='0' as unset
    for (const feature of childElements(cpu, 'feature')) {
      const name = valued(feature, 'name');
      const policy = attrValue(feature, 'policy') ?? 'require';
      if (name?.value !== 'invtsc' || (policy !== 'require' && policy !== 'force')) continue;
      report({
        ...valueSpan(name),
        message:
          "the invtsc CPU feature blocks migration unless the TSC frequency is fixed: add <timer name='tsc' frequency='…'/> to <clock>",
      });
    }
  },
};

import type { Alias } from '../model/domain';
import { related, valueSpan, type Rule } from './rule';

/**
 * Two devices must not carry the same alias.
 *
 * libvirt refuses it at define: `non unique alias detected: ua-backup0`. Only aliases libvirt keeps count:
 * duplicated aliases that it drops anyway are reported by `alias-dropped`.
 */
export const rule: Rule = {
  code: 'alias-duplicate',
  severity: 'error',
  title: 'two devices with one alias',
  check(model, report) {
    const seen = new Map<string, Alias>();
    for (const alias of model.aliases) {
      if (!alias.kept) continue;
      const first = seen.get(alias.name.value);
      if (!first) {
        seen.set(alias.name.value, alias);
        continue;
      }
      report({
        ...valueSpan(alias.name),
        message: `non unique alias detected: ${alias.name.value} (also on the <${first.device.el.name}> above)`,
        related: [related(valueSpan(first.name), 'the first device with this alias')],
        data: { name: alias.name.value },
      });
    }
  },
};

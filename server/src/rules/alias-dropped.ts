import { suggestAlias, takenAliasNames } from '../model/alias';
import { related, valueSpan, type Rule } from './rule';

/**
 * libvirt keeps a user-chosen device alias only when it starts with `ua-` and uses letters, digits, `_` and
 * `-` (its schema also allows `.`, but the alias is dropped anyway).
 *
 * Any other alias is silently dropped at define, with no message. That is harmless on its own (a warning),
 * but when a teaming element's `persistent=` names the alias it breaks the pair (an error): after define,
 * `persistent=` points at nothing. The XML of a running domain (`virsh dumpxml` without `--inactive`, marked by
 * `<domain id='…'>`) carries libvirt's own automatic aliases (`net0`, `virtio-disk0`, …): those are not reported
 * unless a teaming element names one.
 */
export const rule: Rule = {
  code: 'alias-dropped',
  severity: 'warning',
  title: 'device alias without the ua- prefix (libvirt drops it)',
  check(model, report) {
    const running = model.domain.attributes.some((a) => a.name === 'id');
    for (const alias of model.aliases) {
      if (alias.kept) continue;
      const name = alias.name.value;
      const refs = model.teamings.filter((t) => t.persistent?.value === name);
      if (running && refs.length === 0) continue;
      report({
        ...valueSpan(alias.name),
        severity: refs.length ? 'error' : 'warning',
        message: refs.length
          ? `libvirt silently drops the alias '${name}' (user aliases are 'ua-' and letters, digits, '_' or '-'), so the teaming persistent='${name}' that names it points at nothing`
          : `libvirt silently drops the alias '${name}': user aliases are 'ua-' and letters, digits, '_' or '-'`,
        related: refs.map((t) => related(valueSpan(t.persistent!), `persistent='${name}' names this alias`)),
        data: { name, suggestion: suggestAlias(name, takenAliasNames(model)) },
      });
    }
  },
};

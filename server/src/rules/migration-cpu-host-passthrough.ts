import { valued } from '../model/domain';
import { child } from '../parser/query';
import { valueSpan, type Rule } from './rule';

/**
 * `<cpu mode='host-passthrough'>` exposes this host's exact CPU to the guest.
 *
 * libvirt allows migrating it, but only to a host with an identical CPU, microcode and kernel; elsewhere the
 * guest may crash after migration. Advice only: the XML cannot know the destination's CPU. `host-model` or a
 * named model is the portable choice.
 */
export const rule: Rule = {
  code: 'migration-cpu-host-passthrough',
  severity: 'information',
  title: "<cpu mode='host-passthrough'> migrates only between identical hosts",
  check(model, report) {
    const mode = valued(child(model.domain, 'cpu'), 'mode');
    if (mode?.value !== 'host-passthrough') return;
    report({
      ...valueSpan(mode),
      message: 'host-passthrough CPU: live migration works only to a host with an identical CPU, microcode and kernel',
    });
  },
};

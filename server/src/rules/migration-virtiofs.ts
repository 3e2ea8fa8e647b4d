import { virtiofsMigration } from '../host/context';
import { valued } from '../model/domain';
import { child, childElements } from '../parser/query';
import { valueSpan, type Rule } from './rule';

/**
 * A virtiofs `<filesystem>` (`<driver type='virtiofs'/>`) blocks live migration in libvirt 9.0: `migration with
 * virtiofs device is not supported`.
 *
 * libvirt 11.x migrates it when its virtiofsd supports migration (the Rust virtiofsd >= 1.13 does; QEMU 7.2's C
 * virtiofsd does not: `migration with this virtiofs device is not supported`). Judged for a host, the verdict names
 * that host's libvirt; on libvirt 11.x it is information (virtiofsd itself cannot be asked through virsh).
 */
export const rule: Rule = {
  code: 'migration-virtiofs',
  severity: 'warning',
  title: 'a virtiofs filesystem',
  check(model, report, env) {
    const host = env?.host;
    for (const fs of childElements(model.devicesEl, 'filesystem')) {
      const driver = valued(child(fs, 'driver'), 'type');
      if (driver?.value !== 'virtiofs') continue;
      if (!host) {
        report({
          ...valueSpan(driver),
          message:
            'migration with virtiofs device is not supported (libvirt 11.x migrates it with a virtiofsd that supports migration, such as the Rust virtiofsd >= 1.13: set migratable.targetHost to judge it for a host)',
        });
        continue;
      }
      const verdict = virtiofsMigration(host);
      report(
        verdict.migrates
          ? {
              ...valueSpan(driver),
              severity: 'information',
              message: `virtiofs migrates on ${host.name} (${verdict.facts}) when its virtiofsd supports migration (the Rust virtiofsd >= 1.13 does; QEMU 7.2's C virtiofsd does not), and both hosts export the same directory`,
            }
          : {
              ...valueSpan(driver),
              message: `migration with virtiofs device is not supported (on ${host.name}: ${verdict.reason})`,
            },
      );
    }
  },
};

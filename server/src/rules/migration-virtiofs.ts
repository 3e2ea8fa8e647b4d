import { valued } from '../model/domain';
import { child, childElements } from '../parser/query';
import { valueSpan, type Rule } from './rule';

/**
 * A virtiofs `<filesystem>` (`<driver type='virtiofs'/>`) blocks live migration in libvirt 9.0.
 *
 * libvirt refuses `virsh migrate`: `migration with virtiofs device is not supported`.
 */
export const rule: Rule = {
  code: 'migration-virtiofs',
  severity: 'warning',
  title: 'a virtiofs filesystem',
  check(model, report) {
    for (const fs of childElements(model.devicesEl, 'filesystem')) {
      const driver = valued(child(fs, 'driver'), 'type');
      if (driver?.value !== 'virtiofs') continue;
      report({ ...valueSpan(driver), message: 'migration with virtiofs device is not supported' });
    }
  },
};

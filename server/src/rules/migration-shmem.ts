import { attrValue, child, childElements } from '../parser/query';
import { valued } from '../model/domain';
import { nameSpan, valueSpan, type Rule } from './rule';

/**
 * Shared memory devices block live migration unless they are an `ivshmem-plain`/`ivshmem-doorbell`
 * with `role='master'`.
 *
 * libvirt refuses `virsh migrate`: `shmem device 'NAME' cannot be migrated, only shmem with role='master' can be
 * migrated`, and for the legacy model `migration with legacy shmem device is not supported`.
 */
export const rule: Rule = {
  code: 'migration-shmem',
  severity: 'warning',
  title: "a <shmem> device without role='master'",
  check(model, report) {
    for (const shmem of childElements(model.devicesEl, 'shmem')) {
      const name = attrValue(shmem, 'name') ?? '';
      const modelType = valued(child(shmem, 'model'), 'type');
      const role = valued(shmem, 'role');
      if (modelType?.value === 'ivshmem') {
        report({ ...valueSpan(modelType), message: `migration with legacy shmem device is not supported (shmem '${name}')` });
      } else if (role?.value !== 'master') {
        report({
          ...(role ? valueSpan(role) : nameSpan(shmem)),
          message: `shmem device '${name}' cannot be migrated, only shmem with role='master' can be migrated`,
        });
      }
    }
  },
};

import { attrValue, child, childElements } from '../parser/query';
import { valued } from '../model/domain';
import { nameSpan, valueSpan, type Rule } from './rule';

/**
 * Shared memory devices block live migration unless they are an `ivshmem-plain`/`ivshmem-doorbell`
 * with `role='master'`.
 *
 * libvirt refuses `virsh migrate`: `shmem device 'NAME' cannot be migrated, only shmem with role='master' can be
 * migrated`, and for the legacy model `migration with legacy shmem device is not supported`. A `<shmem>`
 * without `<model type>` is the legacy `ivshmem` (libvirt's default, which also ignores its `role`).
 */
export const rule: Rule = {
  code: 'migration-shmem',
  severity: 'warning',
  title: "a <shmem> device without role='master'",
  check(model, report) {
    for (const shmem of childElements(model.devicesEl, 'shmem')) {
      const name = attrValue(shmem, 'name') ?? '';
      const modelEl = child(shmem, 'model');
      const modelType = valued(modelEl, 'type');
      const role = valued(shmem, 'role');
      if (!modelType?.value || modelType.value === 'ivshmem') {
        report({
          ...(modelType ? valueSpan(modelType) : nameSpan(modelEl ?? shmem)),
          message: modelType?.value
            ? `migration with legacy shmem device is not supported (shmem '${name}')`
            : `migration with legacy shmem device is not supported: shmem '${name}' has no <model type>, so it is the legacy ivshmem; use <model type='ivshmem-plain'/> with role='master'`,
        });
      } else if (role?.value !== 'master') {
        report({
          ...(role ? valueSpan(role) : nameSpan(shmem)),
          message: `shmem device '${name}' cannot be migrated, only shmem with role='master' can be migrated`,
        });
      }
    }
  },
};

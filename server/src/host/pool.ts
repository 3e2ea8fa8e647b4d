import type { Parsed, StoragePool } from './facts';
import { attr, child, childText, parseXml } from './xml';

/** `virsh pool-dumpxml POOL`. Active/persistent come from the listing. */
export function parseStoragePool(xml: string): Parsed<StoragePool> {
  const { root, problems } = parseXml(xml, 'pool');
  if (!root) return { problems };
  const name = childText(root, 'name');
  if (!name) return { problems: [...problems, 'storage pool without a name'] };
  const type = attr(root, 'type');
  if (!type) problems.push(`storage pool ${name}: no type`);
  const pool: StoragePool = { name, type: type ?? '' };
  const uuid = childText(root, 'uuid');
  if (uuid) pool.uuid = uuid.toLowerCase();
  const path = childText(child(root, 'target'), 'path');
  if (path) pool.targetPath = path;
  return { value: pool, problems };
}

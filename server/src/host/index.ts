/** Host facts: types and pure parsers of libvirt's own XML and text, and queries over the facts. No I/O. */
export * from './facts';
export { parseNodeDevice, pciDevices } from './nodedev';
export { parseNetwork } from './network';
export { parseDomainUsage, mergeUsage } from './domain';
export { parseDomainCapabilities, parseCapabilities, machinesFor, vfioVariantSupport } from './capabilities';
export { parseVersion, compareVersion } from './version';
export { parseStoragePool } from './pool';
export { parseDomainList, parseUuidList, parseNameList, statesByUuid, isUuid } from './lists';
export { canonicalPci, pciAt, vfsOf, whoUses, poolAddresses, poolsWith, freeVfs, type VfFilter } from './queries';
export {
  describeHost,
  vfioMigration,
  virtiofsMigration,
  MIGRATION_CAPABLE_VFIO_DRIVERS,
  QEMU_VFIO_MIGRATION,
  LIBVIRT_VIRTIOFS_MIGRATION,
  type HostContext,
  type VfioVerdict,
} from './context';

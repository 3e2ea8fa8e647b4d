/** Preflight and the live migration itself: I/O over the virsh layer, judged by the language service. */
export { gatherPreflight, type Endpoint, type Gathered, type PreflightSubject } from './gather';
export { migrate, migrationPercents, watchAfterAbort, type MigrateOptions, type MigrateOutcome } from './run';
export { migrationStatus, pciDeviceIds, primaryAliases } from './qemu';

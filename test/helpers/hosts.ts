/**
 * Test beds with real libvirt daemons for node:test suites (see test/host/README.md):
 *
 *   const a = await startDaemon({ libvirt: '9.0', name: 'A' });          // or '11.3' (scripts/lv11's chroot)
 *   const g = await bootFailoverGuest(a, { name: 'fo1' });                // teaming standby + e1000e primary
 *   await g.waitForActivePrimary();                                      // the guest's serial says active=primary
 *   await a.virsh(['migrate', '--live', …]);                             // never rejects: check .code
 *   await a.stop();                                                      // in an after hook; never throws
 *
 * Every daemon of a test process lives in one private network namespace and one state dir (rundir.ts), both
 * removed at exit; suites gate on skipReason() (MIGRATABLE_SKIP_LIBVIRT=1) and fail with what to install otherwise.
 */
export { startDaemon } from './hosts/daemon';
export { describeOnDaemons } from './hosts/suite';
export type { Daemon, DaemonOptions } from './hosts/daemon';
export { defineNetwork } from './hosts/network';
export { defineLoneVfDomain } from './hosts/vf-domain';
export type { Network, NetworkOptions } from './hosts/network';
export { bootFailoverGuest, buildFailoverGuest, destinationXml, failoverDomainXml } from './hosts/guest';
export type { BootOptions, FailoverGuest, GuestBuild } from './hosts/guest';
export { ACTIVE_PRIMARY, PRIMARY_REGISTERED, PRIMARY_UNREGISTERED, SerialLog, parseFo } from './hosts/serial';
export type { FoTick } from './hosts/serial';
export { assertPrerequisites, missingPrerequisites, skipReason } from './hosts/prereq';
export type { LibvirtVersion } from './hosts/prereq';
export { pollUntil, run, tailOf } from './hosts/proc';
export type { RunResult, Watcher } from './hosts/proc';

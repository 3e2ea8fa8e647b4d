/** virsh as a process: the runner, command strings for batched reads, and a host's facts through them. */
export { VirshError, classify, hostLabel, libvirtMessage, redactUri, type VirshErrorKind } from './errors';
export { execVirsh, runVirsh, DEFAULT_MAX_OUTPUT, type RunOptions, type RunResult, type VirshTarget } from './run';
export { runScript, isScriptSafe, type Command, type Part } from './script';
export { VirshHost, type CallOptions, type DomcapsOptions, type FactsOptions, type HostDefaults } from './host';
export {
  definitions,
  uuidOf,
  domainState,
  hasDomain,
  qmp,
  abortJob,
  jobInfo,
  attachDevice,
  cpuCompare,
  nameOf,
  type DomainDefinition,
} from './domain';
export { HostRegistry, type HostConfig, type HostsConfig } from './registry';

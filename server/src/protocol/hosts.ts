/** The host and migration features on the wire: what the Libvirt Hosts view, the domain files and the commands ask. */

/** What the client sends (only in a trusted workspace; `null` turns every host feature off). Machine settings only. */
export interface HostsConfiguration {
  /** `migrateUri`: where the host takes migration data (`virsh migrate --migrateuri`), when not its URI's hostname. */
  hosts: { name: string; uri: string; migrateUri?: string }[];
  /** `migratable.virshPath`. */
  virshPath: string;
  /** Deadline of one host call, seconds. */
  timeoutSeconds: number;
}

export interface HostSummary {
  name: string;
  /** The URI without secrets. */
  uri: string;
  /** Set once the host was read: libvirt and QEMU versions. */
  versions?: { libvirt?: string; qemu?: string };
  /** Why the host could not be read (libvirt's words), e.g. connection refused. */
  error?: string;
  /** Parts of the host that could not be read (no storage driver, …). */
  partial?: string[];
  /** A read of the host is under way (a `hosts/changed` notification follows when it ends). */
  reading?: boolean;
}

export interface HostsListParams {
  /** Read every host again (the view's Refresh). */
  refresh?: boolean;
}

export interface HostChangedParams {
  host: string;
}

export interface HostsList {
  enabled: boolean;
  /** Why the list is empty: untrusted workspace, no hosts configured. */
  reason?: string;
  hosts: HostSummary[];
}

export interface HostParams {
  host: string;
  /** Read the host again instead of using what was read in the last minute. */
  refresh?: boolean;
}

export interface DomainOnHost {
  name: string;
  uuid?: string;
  state?: string;
  persistent?: boolean;
  /** Errors and migration blockers of its definition, judged for this host by the language service. */
  blockers: number;
  /** One line: `migratable`, `2 blockers`, or why it could not be judged. */
  verdict: string;
  /** The first blockers, for the tooltip. */
  details: string[];
}

export interface NetworkOnHost {
  name: string;
  active?: boolean;
  forwardMode?: string;
  bridge?: string;
  /** A hostdev pool: how many VFs it can hand out, and how many domains use. */
  vfs?: { total: number; inUse: number };
}

export interface VfOnHost {
  address: string;
  /** `15b3:101e`. */
  vendorProduct: string;
  driver?: string;
  mac?: string;
  netInterface?: string;
  /** Domains (defined or running) that use it. */
  usedBy: string[];
  /** Hostdev pool networks that may hand it out. */
  pools: string[];
}

export interface PfOnHost {
  address: string;
  vendorProduct: string;
  productName?: string;
  driver?: string;
  netInterface?: string;
  maxVfs?: number;
  vfs: VfOnHost[];
}

export interface DomainRef {
  host: string;
  domain: string;
}

export interface DefineParams extends DomainRef {
  xml: string;
}

export interface DefineResult {
  /** libvirt's answer (`Domain 'web1' defined from /dev/stdin`). */
  message: string;
}

export interface DefinitionCheck {
  /** Errors and migration blockers, `line N: message (code)`. */
  blockers: string[];
}

/** A domain to check or migrate: an open document, or a domain on a host. */
export interface DomainSource {
  /** An open document (a file, or a libvirt-domain: document). */
  uri?: string;
  /** A domain on a host (both set). */
  host?: string;
  domain?: string;
}

export interface ProfileFromHostParams extends DomainSource {
  /** The destination host's name. */
  dest: string;
}

export interface ProfileFromHostResult {
  /** The profile, JSON text. */
  text: string;
  /** What needs the user: a placeholder left where no choice was safe, each with why. */
  problems: string[];
  /** What was chosen and why (which domains use which VFs). */
  notes: string[];
}

export interface PreflightParams extends DomainSource {
  dest: string;
  /** The destination profile's JSON text, when there is one. */
  profileText?: string;
}

export interface PreflightCheck {
  check: string;
  ok: boolean;
  detail: string;
  /** Advice only: does not stop a migration (e.g. a guest without net_failover migrates on virtio). */
  advisory?: boolean;
}

export interface PreflightResult {
  checks: PreflightCheck[];
}

export interface MigrateParams {
  /** Chosen by the client: events and questions name it. */
  id: string;
  host: string;
  domain: string;
  dest: string;
  profileText?: string;
  /** `virsh migrate --migrateuri`. */
  migrateUri?: string;
  unplugTimeoutSeconds: number;
}

export type MigrationEvent =
  | { event: 'phase'; phase: string; detail?: string }
  | { event: 'progress'; percent: number }
  | { event: 'wait-unplug'; seconds: number }
  | { event: 'log'; message: string }
  | { event: 'done'; host: string; detail: string }
  | { event: 'error'; message: string; runningOn?: string };

export interface MigrationEventParams {
  id: string;
  at: string;
  event: MigrationEvent;
}

export interface MigrateResult {
  /**
   * 0 running on the destination with its VFs; 1 not completed: failed, cancelled, or on the destination without its
   * VFs (`runningOn` says where it runs); 3 stopped on a stuck unplug (still on the source). (The CLI's exit 2, a usage
   * or connection error, is never a result.)
   */
  status: 0 | 1 | 3;
  /** Where the domain runs now (host name), when known. */
  runningOn?: string;
  message: string;
  checks?: PreflightCheck[];
}

export interface StuckUnplugParams {
  id: string;
  domain: string;
  seconds: number;
}

export type StuckUnplugAnswer = 'abort' | 'wait';

export interface ReattachParams {
  id: string;
  domain: string;
  host: string;
  /** The devices the guest ejected after the abort. */
  devices: string[];
}

import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type {
  DefineParams,
  DefineResult,
  DefinitionCheck,
  DomainOnHost,
  DomainRef,
  HostChangedParams,
  HostParams,
  HostsConfiguration,
  HostsList,
  HostsListParams,
  MigrateParams,
  MigrateResult,
  MigrationEventParams,
  NetworkOnHost,
  PfOnHost,
  PreflightParams,
  PreflightResult,
  ProfileFromHostParams,
  ProfileFromHostResult,
  ReattachParams,
  StuckUnplugAnswer,
  StuckUnplugParams,
} from './hosts';
import type {
  FixAllResponse,
  PositionParams,
  ProfileTemplateParams,
  Readiness,
  RewriteParams,
  RewriteResponse,
  UriParams,
} from './types';

/**
 * The contract between the VS Code client and the language server: command ids, the custom requests as typed
 * RequestType objects (both ends are type-checked against them), settings and wire types. This folder imports
 * nothing of the server's; the client imports nothing else of it (tsconfig project references enforce both).
 */
export * from './settings';
export * from './types';
export * from './hosts';

export const LANGUAGE_CLIENT_ID = 'migratable';

/**
 * Node flags of the language server process. A young generation of 16 MB semi-spaces (V8's default is smaller on
 * Node 20) keeps the garbage-collection pauses of a keystroke in a large domain short, and the server's resident
 * memory flat at ~125 MB over a 20,000-keystroke session; 64 MB measured the same keystroke times with ~200 MB
 * resident (`npm run bench -- soak wire`, which runs the server with the same flags).
 */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=16'];

/** Options the client passes in `initializationOptions`. */
export interface InitializationOptions {
  /** URI of the rules page shipped with the extension (codeDescription links point at it). */
  rulesDoc?: string;
}

/** Contributed command ids (package.json `contributes.commands` must list exactly these). */
export const Commands = {
  makeMigratable: 'migratable.makeMigratable',
  insertTeamingPair: 'migratable.insertTeamingPair',
  generateMac: 'migratable.generateMac',
  previewDestination: 'migratable.previewDestination',
  saveDestinationAs: 'migratable.saveDestinationAs',
  copyMigrateCommand: 'migratable.copyMigrateCommand',
  showReport: 'migratable.showReport',
  openExample: 'migratable.openExample',
  refreshHosts: 'migratable.refreshHosts',
  openHostDomain: 'migratable.openHostDomain',
  compareWithHost: 'migratable.compareWithHost',
  profileFromHost: 'migratable.profileFromHost',
  checkDestination: 'migratable.checkDestination',
  migrateDomain: 'migratable.migrateDomain',
} as const;

/** Custom requests from the client to the server. Params always name the document by uri. */
export const Requests = {
  /** The readiness model behind the status bar, the report and the CodeLens. */
  readiness: new RequestType<UriParams, Readiness | null, void>('migratable/readiness'),
  /** The destination XML for `virsh migrate --xml`. */
  rewrite: new RequestType<RewriteParams, RewriteResponse | null, void>('migratable/rewrite'),
  /** A destination profile (JSON) prefilled with this domain's host-specific values. */
  profileTemplate: new RequestType<ProfileTemplateParams, string | null, void>('migratable/profileTemplate'),
  /** Every safe fix as one set of edits against the document's current version. */
  fixAll: new RequestType<UriParams, FixAllResponse | null, void>('migratable/fixAll'),
  /** A fresh unicast MAC unused in the document. */
  generateMac: new RequestType<UriParams, string | null, void>('migratable/generateMac'),
  /** A snippet with a whole teaming pair, for the position. */
  teamingPairSnippet: new RequestType<PositionParams, string | null, void>('migratable/teamingPairSnippet'),
} as const;

/** The host and migration features (trusted workspaces only: the server runs virsh for them). */
export const HostRequests = {
  list: new RequestType<HostsListParams | null | undefined, HostsList, void>('migratable/hosts/list'),
  domains: new RequestType<HostParams, DomainOnHost[], void>('migratable/hosts/domains'),
  networks: new RequestType<HostParams, NetworkOnHost[], void>('migratable/hosts/networks'),
  sriov: new RequestType<HostParams, PfOnHost[], void>('migratable/hosts/sriov'),
  readDomain: new RequestType<DomainRef, string, void>('migratable/hosts/readDomain'),
  defineDomain: new RequestType<DefineParams, DefineResult, void>('migratable/hosts/defineDomain'),
  undefineDomain: new RequestType<DomainRef, DefineResult, void>('migratable/hosts/undefineDomain'),
  checkDefinition: new RequestType<DefineParams, DefinitionCheck, void>('migratable/hosts/checkDefinition'),
  profileFromHost: new RequestType<ProfileFromHostParams, ProfileFromHostResult, void>('migratable/hosts/profile'),
  preflight: new RequestType<PreflightParams, PreflightResult, void>('migratable/preflight'),
  migrate: new RequestType<MigrateParams, MigrateResult, void>('migratable/migrate'),
} as const;

export const HostNotifications = {
  /** Client → server: the hosts, virsh and deadline from machine settings; null in an untrusted workspace. */
  configure: new NotificationType<HostsConfiguration | null>('migratable/hosts/configure'),
  /** Server → client: a migration's progress. */
  migrationEvent: new NotificationType<MigrationEventParams>('migratable/migration/event'),
  /** Server → client: a read of this host ended (new facts, or an error): its node in the view shows the outcome. */
  hostChanged: new NotificationType<HostChangedParams>('migratable/hosts/changed'),
};

/** Requests the server sends the client, to ask the user. */
export const ClientRequests = {
  /** The guest has not released the VF for `seconds`: abort the migration, or keep waiting? */
  stuckUnplug: new RequestType<StuckUnplugParams, StuckUnplugAnswer, void>('migratable/migration/stuckUnplug'),
  /** After an abort the guest ejected a VF: re-attach it? */
  reattach: new RequestType<ReattachParams, boolean, void>('migratable/migration/reattach'),
};

/** The URI scheme of a domain definition on a host, as a file: `libvirt-domain://HOST/NAME.xml`. */
export const DOMAIN_SCHEME = 'libvirt-domain';

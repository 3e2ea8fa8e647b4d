/** Shared by the client and the server: ids and types that cross the LSP connection. */

export const LANGUAGE_CLIENT_ID = 'migratable';

/**
 * Node flags of the language server process. A larger young generation halves the garbage-collection pauses of
 * re-parsing a large domain on every keystroke (npm run bench measures with the same flags).
 */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=64'];
export const CONFIG_SECTION = 'migratable';

export interface MigratableSettings {
  enable: boolean;
  /** Per-code severity override: 'error' | 'warning' | 'information' | 'hint' | 'off'. */
  rules: Record<string, string>;
  /** The network of a virtio standby that a quick fix adds. */
  standbyNetwork: string;
  /** When not empty, an added standby is a bridge interface on this bridge instead. */
  standbyBridge: string;
  /** The hostdev-pool network offered instead of a host PCI address. */
  vfPoolNetwork: string;
}

export const DEFAULT_SETTINGS: MigratableSettings = {
  enable: true, rules: {}, standbyNetwork: 'default', standbyBridge: '', vfPoolNetwork: 'sriov-pool',
};

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
} as const;

/** Custom requests from the client to the server. Params always name the document by uri. */
export const Requests = {
  /** { uri } → Readiness */
  readiness: 'migratable/readiness',
  /** RewriteParams → RewriteResponse: the destination XML for `virsh migrate --xml`. */
  rewrite: 'migratable/rewrite',
  /** { uri, name } → string: a destination profile (JSON) prefilled with this domain's host-specific values. */
  profileTemplate: 'migratable/profileTemplate',
  /** { uri } → FixAllResponse: every safe fix as one set of edits against the document's current version. */
  fixAll: 'migratable/fixAll',
  /** { uri } → string: a fresh unicast MAC unused in the document. */
  generateMac: 'migratable/generateMac',
  /** { uri, position } → string: a snippet with a whole teaming pair. */
  teamingPairSnippet: 'migratable/teamingPairSnippet',
} as const;

export interface FixAllResponse {
  /** The document version the edits apply to. */
  version: number;
  edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[];
  summary: string[];
  remaining: string[];
}

export interface RewriteParams {
  /** The source domain document (open in the editor). */
  uri: string;
  /** The destination profile's JSON text (the client reads the file; the server does no I/O). */
  profileText: string;
}

export interface RewriteProblemWire {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'information';
  /** Where in the source domain, when the problem is about a place there. */
  range?: { start: { line: number; character: number }; end: { line: number; character: number } };
  /** Offsets into the profile text, when the problem is about the profile. */
  profileSpan?: { start: number; end: number };
}

export interface RewriteResponse {
  /** The destination XML; the source text when the profile could not be read. */
  text: string;
  problems: RewriteProblemWire[];
  changes: { what: string; line: number; before: string; after: string }[];
  profileName: string | undefined;
  /** The profile's libvirt connection URI (for `virsh migrate … URI`). */
  destinationUri: string | undefined;
  domainName: string | undefined;
  /** False when the rewrite is incomplete or breaks ABI: `virsh migrate --xml` would refuse or misbehave. */
  ok: boolean;
}

export interface UriParams {
  uri: string;
}

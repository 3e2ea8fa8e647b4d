/** Shared by the client and the server: ids and types that cross the LSP connection. */

export const LANGUAGE_CLIENT_ID = 'migratable';
export const CONFIG_SECTION = 'migratable';

export interface MigratableSettings {
  enable: boolean;
  /** Per-code severity override: 'error' | 'warning' | 'information' | 'hint' | 'off'. */
  rules: Record<string, string>;
}

export const DEFAULT_SETTINGS: MigratableSettings = { enable: true, rules: {} };

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
} as const;

/** Custom requests from the client to the server. Params always name the document by uri. */
export const Requests = {
  /** { uri } → Readiness */
  readiness: 'migratable/readiness',
} as const;

export interface UriParams {
  uri: string;
}

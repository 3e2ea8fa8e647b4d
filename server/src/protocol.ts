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

import { RequestType } from 'vscode-languageserver-protocol';
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

export const LANGUAGE_CLIENT_ID = 'migratable';

/**
 * Node flags of the language server process. A larger young generation halves the garbage-collection pauses of
 * re-parsing a large domain on every keystroke (npm run bench measures with the same flags).
 */
export const SERVER_EXEC_ARGV = ['--max-semi-space-size=64'];

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

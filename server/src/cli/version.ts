declare const MIGRATABLE_VERSION: string | undefined;

/** The package version, defined by esbuild in the bundle; a marker when running from tsc output. */
export function version(): string {
  return typeof MIGRATABLE_VERSION === 'string' ? MIGRATABLE_VERSION : '0.0.0-dev';
}

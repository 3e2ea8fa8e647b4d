import { resolve } from 'path';

/** The repository root (tests run from out/test/…, compiled by tsc). */
export const ROOT = resolve(__dirname, '..', '..', '..');
export const FIXTURES = resolve(ROOT, 'test', 'fixtures');
export const EXAMPLES = resolve(ROOT, 'examples');
export const SERVER_BUNDLE = resolve(ROOT, 'server', 'out', 'server.js');
export const CLI_BUNDLE = resolve(ROOT, 'server', 'out', 'cli.js');

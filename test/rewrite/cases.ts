import { existsSync, readdirSync, readFileSync } from 'fs';
import { resolve } from 'path';
import { ROOT } from '../helpers/paths';

/** The rewrite cases: one folder each with source.xml, profile.json, expected.xml, problems.json, inverse.json. */
export const CASES_DIR = resolve(ROOT, 'test', 'rewrite');

export interface RewriteCase {
  name: string;
  dir: string;
  source: string;
  profile: string;
  expected: string;
  /** "severity code" of each problem, in order. */
  problems: string[];
  /** The profile that maps the destination back to the source (round trip), when the case has one. */
  inverse: string | undefined;
}

export function rewriteCases(): RewriteCase[] {
  return readdirSync(CASES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => {
    const dir = resolve(CASES_DIR, d.name);
    const read = (f: string) => readFileSync(resolve(dir, f), 'utf8');
    return {
      name: d.name,
      dir,
      source: read('source.xml'),
      profile: read('profile.json'),
      expected: read('expected.xml'),
      problems: JSON.parse(read('problems.json')) as string[],
      inverse: existsSync(resolve(dir, 'inverse.json')) ? read('inverse.json') : undefined,
    };
  });
}

export function caseSource(name: string): string {
  return readFileSync(resolve(CASES_DIR, name, 'source.xml'), 'utf8');
}

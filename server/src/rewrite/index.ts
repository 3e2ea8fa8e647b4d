import type { Parsed } from '../model/parsed';
import type { RewriteProblem } from './context';
import { parseProfile, type DestinationProfile } from './profile';
import { rewriteDomain, type RewriteResult } from './rewrite';

export { checkAbi, type AbiCode, type AbiProblem } from './abi';
export type { RewriteChange, RewriteProblem, Severity } from './context';
export { parseProfile, PROFILE_KEYS, type DestinationProfile, type ProfileProblem } from './profile';
export { rewriteDomain, type RewriteResult } from './rewrite';

export interface DestinationResult extends RewriteResult {
  /** The profile as read, when its text is a JSON object. */
  profile: DestinationProfile | undefined;
  /** False when the profile has errors, the rewrite is incomplete or breaks ABI: `virsh migrate --xml` would refuse or misbehave. */
  ok: boolean;
}

/**
 * Profile text + domain text → destination XML, with the profile's own problems (their `profileSpan` set)
 * ahead of the rewrite's. Without a readable profile the text is the source, unchanged.
 */
export function destinationXml(source: Parsed, profileText: string): DestinationResult {
  const { profile, problems: profileProblems } = parseProfile(profileText);
  const fromProfile: RewriteProblem[] = profileProblems.map((p) => ({
    code: p.code,
    message: p.message,
    severity: p.severity,
    profileSpan: { start: p.start, end: p.end },
  }));
  const r: RewriteResult = profile
    ? rewriteDomain(source, profile)
    : { text: source.xml.text, edits: [], changes: [], problems: [], abi: [] };
  const problems = [...fromProfile, ...r.problems];
  return { ...r, problems, profile, ok: !!profile && !problems.some((p) => p.severity === 'error') };
}

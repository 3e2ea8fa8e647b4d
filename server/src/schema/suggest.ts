import { editDistance } from '../util/distance';

/**
 * The valid names nearest to a misspelt one, best first: within about a third of its length (at least 2 edits),
 * ignoring case first, so `Interface` → `interface` and `netwrok` → `network`.
 */
export function nearest(wrong: string, valid: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.ceil(wrong.length / 3));
  const lower = wrong.toLowerCase();
  const scored: { name: string; d: number }[] = [];
  for (const name of valid) {
    if (name === wrong) continue;
    // a length apart by more than the limit can never be near: skips the quadratic distance of a pasted megabyte
    if (Math.abs(name.length - wrong.length) > limit && name.toLowerCase() !== lower) continue;
    const d =
      name.toLowerCase() === lower
        ? 0.5
        : editDistance(lower, name.toLowerCase()) + (name.length > 0 && Math.abs(name.length - wrong.length) > limit ? limit : 0);
    if (d <= limit) scored.push({ name, d });
  }
  return scored
    .sort((x, y) => x.d - y.d || x.name.localeCompare(y.name))
    .slice(0, max)
    .map((s) => s.name);
}

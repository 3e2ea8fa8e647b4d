/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur.push(d);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

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
    const d = name.toLowerCase() === lower ? 0.5 : editDistance(lower, name.toLowerCase()) + (name.length > 0 && Math.abs(name.length - wrong.length) > limit ? limit : 0);
    if (d <= limit) scored.push({ name, d });
  }
  return scored.sort((x, y) => x.d - y.d || x.name.localeCompare(y.name)).slice(0, max).map((s) => s.name);
}

import { TextDocument } from 'vscode-languageserver-textdocument';
import { getCompletions } from '../../server/src/service/completion';
import { ParsedCache } from '../../server/src/service';
import { generateDomain, macOffset } from './generate';

/** Targets are p95 milliseconds (issue 6: completion p95 <= 20 ms at 2,000 lines). */
export const COMPLETION_SIZES = [
  { lines: 2000, iterations: 300, target: 20 },
  { lines: 20000, iterations: 40 },
];

export interface CompletionBenchRow {
  /** Lines of the generated domain. */
  size: number;
  median: number;
  p95: number;
  target?: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/**
 * Completion while typing mid-document: each keystroke is a one-character edit (a new version, so the document is
 * parsed again through the server's parse cache, as when completion comes first), then completion at one of three
 * places in turn: a teaming persistent= value, a MAC address value (a fresh MAC is generated), and element names in
 * <devices>. Times TextDocument.update + ParsedCache.get + getCompletions.
 */
export function runCompletionBench(sizes = COMPLETION_SIZES): CompletionBenchRow[] {
  return sizes.map(({ lines, iterations, target }) => {
    const text = generateDomain(lines);
    const pair = Math.floor(text.split('\n').length / 80);
    const mac = macOffset(text, pair);
    const persistent = text.indexOf(`persistent='ua-net${pair}'`) + "persistent='".length;
    const devicesLine = text.indexOf('\n', text.indexOf(`<!-- tenant network ${pair}:`)) + 1;
    if (persistent < "persistent='".length || devicesLine <= 0)
      throw new Error('the generated domain has no teaming pair to complete in');
    let document = TextDocument.create('file:///bench.xml', 'xml', 1, text);
    const cache = new ParsedCache();
    cache.get(document);
    const edit = { start: document.positionAt(mac + 16), end: document.positionAt(mac + 17) };
    const original = document.getText(edit);
    const typed = original === 'f' ? 'e' : 'f';
    const cursors = [persistent, mac + 3, devicesLine].map((o) => document.positionAt(o));
    const warmup = 20;
    const times: number[] = [];
    for (let i = 0; i < iterations + warmup; i++) {
      const t0 = process.hrtime.bigint();
      document = TextDocument.update(document, [{ range: edit, text: i % 2 ? original : typed }], document.version + 1);
      const list = getCompletions(document, cache.get(document), cursors[i % cursors.length], { random: Math.random });
      const t1 = process.hrtime.bigint();
      if (list.items.length === 0)
        throw new Error(`no completion at cursor ${i % cursors.length}: the benchmark measures nothing`);
      if (i >= warmup) times.push(Number(t1 - t0) / 1e6);
    }
    times.sort((a, b) => a - b);
    return {
      size: text.split('\n').length,
      median: percentile(times, 0.5),
      p95: percentile(times, 0.95),
      ...(target !== undefined ? { target } : {}),
    };
  });
}

if (require.main === module) {
  for (const row of runCompletionBench()) {
    const verdict =
      row.target === undefined ? '' : `  target p95 <= ${row.target} ms: ${row.p95 <= row.target ? 'PASS' : 'MISS'}`;
    console.log(
      `${String(row.size).padStart(6)} lines  median ${row.median.toFixed(2)} ms  p95 ${row.p95.toFixed(2)} ms${verdict}`,
    );
  }
}

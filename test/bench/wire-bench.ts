import { ms, verdict, type Row } from './stats';
import { type Place } from './typing';
import { coldStart, completionOverWire, hoverOverWire, p50, p95, typingOverWire, type WireTimes } from './wire/scenarios';

/** Issue 13's targets, p95 milliseconds over stdio. */
const TYPING = [
  { lines: 2000, iterations: 300, target: 10 },
  { lines: 20000, iterations: 100, target: 60 },
];
const PLACES: { place: Place; what: string }[] = [
  { place: 'alias', what: 'a character typed into an alias (findings change)' },
  { place: 'comment', what: 'a character typed into a comment (findings stay)' },
  { place: 'broken', what: 'a character typed into an alias while a tag is half-typed (full parse)' },
];
const LANGUAGE = { lines: 2000, iterations: 300, target: 10 };
const COLD = { lines: 2000, runs: 5, target: 1000 };

function note(t: WireTimes): string {
  const parts: string[] = [];
  if (t.serverCpu !== undefined) parts.push(`server CPU ${ms(t.serverCpu)} ms`);
  if (t.diagnostics !== undefined) parts.push(`${Math.round(t.diagnostics)} diagnostics`);
  if (t.bytes !== undefined) parts.push(`${(t.bytes / 1024).toFixed(1)} KB/answer`);
  if (t.unchanged) parts.push(`${Math.round(t.unchanged * 100)}% unchanged`);
  return parts.join(', ');
}

function row(what: string, t: WireTimes, target: number | undefined): Row {
  const line = `${what}: median ${ms(p50(t))} ms  p95 ${ms(p95(t))} ms  (${t.times.length} rounds; ${note(t)})`;
  console.log(target === undefined ? line : `${line}  target p95 <= ${target} ms: ${verdict(p95(t), target)}`);
  return {
    what,
    median: `${ms(p50(t))} ms`,
    p95: `${ms(p95(t))} ms`,
    note: note(t),
    target: target === undefined ? '' : `p95 <= ${target} ms`,
    result: verdict(p95(t), target),
  };
}

/**
 * The language server as an editor sees it: the real bundle over stdio, VS Code's client capabilities, the
 * extension's Node flags; every figure is a round trip from the first byte sent to the answer parsed.
 */
export async function benchWire(): Promise<Row[]> {
  console.log('\n## Over the wire: the bundled server over stdio, driven as VS Code drives it\n');
  const rows: Row[] = [];
  for (const { lines, iterations, target } of TYPING) {
    for (const { place, what } of PLACES) {
      const t = await typingOverWire(lines, iterations, place);
      rows.push(row(`stdio: ${what}, ${t.lines.toLocaleString('en')} lines → diagnostics`, t, target));
    }
  }
  const completion = await completionOverWire(LANGUAGE.lines, LANGUAGE.iterations);
  rows.push(row(`stdio: keystroke → completion, ${completion.lines.toLocaleString('en')} lines`, completion, LANGUAGE.target));
  const hover = await hoverOverWire(LANGUAGE.lines, LANGUAGE.iterations);
  rows.push(row(`stdio: hover, ${hover.lines.toLocaleString('en')} lines`, hover, LANGUAGE.target));
  const cold = await coldStart(COLD.lines, COLD.runs);
  rows.push(row(`stdio: cold start → first diagnostics, ${cold.lines.toLocaleString('en')} lines`, cold, COLD.target));
  return rows;
}

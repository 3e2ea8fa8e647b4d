import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse, validate } from '../../server/src/service';
import { CLI_BUNDLE, ROOT } from '../helpers/paths';
import { generateDomain, macOffset } from './generate';
import { runCompletionBench } from './completion-bench';
import { SERVER_EXEC_ARGV } from '../../server/src/protocol';

/**
 * `npm run bench`: re-validation time while typing in 100-, 2,000- and 20,000-line domains, and the CLI over
 * libvirt's corpus beside xmllint validating libvirt's RelaxNG schema alone. A benchmark, not a test:
 * it prints figures and targets, and fails only when something cannot run.
 */
const RNG = '/usr/share/libvirt/schemas/domain.rng';
/** Targets are p95 milliseconds. */
const SIZES = [
  { lines: 100, iterations: 2000 },
  { lines: 2000, iterations: 500, target: 5 },
  { lines: 20000, iterations: 100, target: 50 },
];
/** Per size: slow code still finishes, with fewer (but at least MIN_EDITS) measured edits. */
const BUDGET_MS = 30_000;
const MIN_EDITS = 20;
const CORPUS_RUNS = 3;
/** Conservative: far below Linux's ARG_MAX, so a big corpus is split into a few invocations. */
const ARG_BYTES = 100_000;

interface Row {
  what: string;
  median: string;
  p95: string;
  target: string;
  result: string;
}
const rows: Row[] = [];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));

/** One keystroke: a MAC digit mid-document flips back and forth, so every other version has a broken pair. */
function typing(lines: number, iterations: number): number[] {
  const text = generateDomain(lines);
  let document = TextDocument.create('file:///bench.xml', 'xml', 1, text);
  const at = document.positionAt(macOffset(text, Math.floor(text.split('\n').length / 80)) + 16);
  const range = { start: at, end: { line: at.line, character: at.character + 1 } };
  const original = document.getText(range);
  const typed = original === 'f' ? 'e' : 'f';
  const times: number[] = [];
  const warmup = Math.min(20, Math.ceil(iterations / 10)); // lets the JIT settle before measuring
  const started = Date.now();
  for (let i = 0; i < iterations + warmup && (times.length < MIN_EDITS || Date.now() - started < BUDGET_MS); i++) {
    const t0 = process.hrtime.bigint();
    document = TextDocument.update(document, [{ range, text: i % 2 ? original : typed }], document.version + 1);
    const diagnostics = validate(document, parse(document));
    const t1 = process.hrtime.bigint();
    if (diagnostics.length === 0)
      throw new Error('the generated domain gave no diagnostic at all: the benchmark measures nothing');
    if (i >= warmup) times.push(Number(t1 - t0) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

/** Whether libvirt accepts the generated domain (test driver, no daemon), so "realistic" is not only our word. */
function libvirtVerdict(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'migratable-bench-'));
  writeFileSync(join(dir, 'domain.xml'), text);
  const r = spawnSync('virsh', ['-q', '-c', 'test:///default', 'define', join(dir, 'domain.xml')], { encoding: 'utf8' });
  rmSync(dir, { recursive: true });
  if (r.error) return 'virsh is not installed: libvirt not asked';
  return r.status === 0 ? 'libvirt accepts it (virsh define)' : `libvirt REJECTS it: ${r.stderr.trim()}`;
}

function benchTyping(): void {
  console.log('## Re-validation after a one-character edit (TextDocument.update + parse + validate)\n');
  console.log(`the generated 2,000-line domain: ${libvirtVerdict(generateDomain(2000))}`);
  for (const { lines, iterations, target } of SIZES) {
    const times = typing(lines, iterations);
    const [median, p95] = [percentile(times, 0.5), percentile(times, 0.95)];
    const result = target === undefined ? '' : p95 <= target ? 'PASS' : 'MISS';
    const actual = generateDomain(lines).split('\n').length;
    console.log(
      `${String(actual).padStart(6)} lines  ${times.length} edits  median ${ms(median)} ms  p95 ${ms(p95)} ms` +
        (target === undefined ? '' : `  target p95 <= ${target} ms: ${result}`),
    );
    rows.push({
      what: `re-validate a ${actual.toLocaleString('en')}-line domain after a keystroke`,
      median: `${ms(median)} ms`,
      p95: `${ms(p95)} ms`,
      target: target === undefined ? '' : `p95 <= ${target} ms`,
      result,
    });
  }
}

function locateCorpus(): string | undefined {
  const r = spawnSync('bash', [resolve(ROOT, 'scripts', 'libvirt-corpus.sh')], { encoding: 'utf8' });
  if (r.status === 0) return r.stdout.trim();
  console.log(`libvirt's corpus is missing and scripts/libvirt-corpus.sh could not fetch it:\n${r.stderr || r.error?.message}`);
  return undefined;
}

function batches(files: string[]): string[][] {
  const out: string[][] = [[]];
  let bytes = 0;
  for (const f of files) {
    if (bytes + f.length + 1 > ARG_BYTES && out[out.length - 1].length) {
      out.push([]);
      bytes = 0;
    }
    out[out.length - 1].push(f);
    bytes += f.length + 1;
  }
  return out;
}

/** Wall-clock seconds of running `command` over every batch, in order; `accept` checks each run's outcome. */
function wallClock(
  command: string,
  args: (batch: string[]) => string[],
  groups: string[][],
  cwd: string,
  accept: (r: ReturnType<typeof spawnSync>, batch: string[]) => string | undefined,
): number {
  const t0 = process.hrtime.bigint();
  for (const batch of groups) {
    const r = spawnSync(command, args(batch), { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const problem = r.error ? r.error.message : accept(r, batch);
    if (problem) throw new Error(`${command}: ${problem}`);
  }
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function benchCorpus(): void {
  console.log("\n## The CLI over libvirt's corpus beside xmllint validating libvirt's RelaxNG schema\n");
  const dir = locateCorpus();
  if (!dir) {
    console.log('SKIPPED: no corpus');
    return;
  }
  if (!existsSync(RNG)) {
    console.log(`SKIPPED: ${RNG} is missing (apt-get install libvirt-clients)`);
    return;
  }
  if (!existsSync(CLI_BUNDLE)) {
    console.log(`SKIPPED: ${CLI_BUNDLE} is missing (npm run build)`);
    return;
  }
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.xml'))
    .sort();
  const groups = batches(files);
  const cli = () =>
    wallClock(
      process.execPath,
      (b) => [CLI_BUNDLE, 'check', '--format', 'json', ...b],
      groups,
      dir,
      (r, b) => {
        if (r.status !== 0 && r.status !== 1) return `exit ${r.status}: ${r.stderr}`;
        const checked = (JSON.parse(String(r.stdout)) as unknown[]).length;
        return checked === b.length ? undefined : `checked ${checked} of ${b.length} files`;
      },
    );
  const xmllint = () =>
    wallClock(
      'xmllint',
      (b) => ['--noout', '--relaxng', RNG, ...b],
      groups,
      dir,
      (r, b) => {
        const verdicts = String(r.stderr)
          .split('\n')
          .filter((l) => / (validates|fails to validate)$/.test(l)).length;
        return verdicts === b.length
          ? undefined
          : `exit ${r.status}, ${verdicts} verdicts for ${b.length} files: ${String(r.stderr).slice(0, 500)}`;
      },
    );
  const [ours, theirs]: number[][] = [[], []];
  for (let i = 0; i < CORPUS_RUNS; i++) {
    ours.push(cli());
    theirs.push(xmllint());
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[xs.length >> 1];
  const [a, b] = [median(ours), median(theirs)];
  const ratio = a / b;
  const result = ratio < 1 ? 'PASS' : 'MISS';
  console.log(`${files.length} files in ${groups.length} invocation(s) each, median of ${CORPUS_RUNS} runs`);
  console.log(`migratable check --format json: ${a.toFixed(3)} s`);
  console.log(`xmllint --noout --relaxng domain.rng: ${b.toFixed(3)} s`);
  console.log(`ratio ${ratio.toFixed(2)}  target < 1.0: ${result}`);
  rows.push({
    what: `\`migratable check\` over libvirt's corpus (${files.length} files)`,
    median: `${a.toFixed(2)} s`,
    p95: '',
    target: '',
    result: '',
  });
  rows.push({
    what: '`xmllint --relaxng domain.rng` over the same files',
    median: `${b.toFixed(2)} s`,
    p95: '',
    target: '',
    result: '',
  });
  rows.push({ what: 'ratio migratable / xmllint', median: ratio.toFixed(2), p95: '', target: '< 1.0', result });
}

function table(): void {
  // wall-clock figures on a shared machine grow with its load: the load average says how busy it was
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  console.log(
    `\n## For the README (Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, load average ${load})\n`,
  );
  console.log('| measurement | median | p95 | target | |');
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.what} | ${r.median} | ${r.p95} | ${r.target} | ${r.result} |`);
}

function benchCompletion(): void {
  console.log('\n## Completion while typing (TextDocument.update + parse + getCompletions)\n');
  for (const r of runCompletionBench()) {
    const result = r.target === undefined ? '' : r.p95 <= r.target ? 'PASS' : 'MISS';
    const target = r.target === undefined ? '' : `p95 <= ${r.target} ms`;
    console.log(
      `${String(r.size).padStart(6)} lines  median ${r.median.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  ${target} ${result}`,
    );
    rows.push({
      what: `completion in a ${r.size.toLocaleString('en')}-line domain`,
      median: `${r.median.toFixed(2)} ms`,
      p95: `${r.p95.toFixed(2)} ms`,
      target,
      result,
    });
  }
}

// measure with the flags the language server runs with (protocol.ts): re-run this file under them if needed
if (SERVER_EXEC_ARGV.every((f) => process.execArgv.includes(f))) {
  console.log(`node flags: ${process.execArgv.join(' ')} (as the language server runs)`);
  benchTyping();
  benchCompletion();
  benchCorpus();
  table();
} else {
  process.exitCode = spawnSync(process.execPath, [...SERVER_EXEC_ARGV, __filename], { stdio: 'inherit' }).status ?? 1;
}

import type { Range } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateDomain } from '../generate';
import { halfTyped, keystrokes, placeOf, type Place } from '../typing';
import { percentile, since } from '../stats';
import { vscodeClientCapabilities } from './capabilities';
import { WireClient } from './client';

export interface WireTimes {
  /** Lines of the generated domain. */
  lines: number;
  /** Ascending milliseconds. */
  times: number[];
  /** Mean diagnostics per full report, and mean bytes per answer (headers included). */
  diagnostics?: number;
  bytes?: number;
  /** Share of the answers that were `unchanged` reports. */
  unchanged?: number;
  /** Mean server CPU milliseconds per measured round trip (see WireClient.cpuMs). */
  serverCpu?: number;
}

const WARMUP = 20;
/** Per scenario: slow code still finishes, with fewer (but at least MIN_ROUNDS) measured round trips. */
const BUDGET_MS = 30_000;
const MIN_ROUNDS = 20;
/** Extra Node flags for the measured server, to find where its time goes (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`). */
const SERVER_FLAGS = (process.env.MIGRATABLE_BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);

/** Round trips after a warm-up (lets the JIT settle): ascending times and the server's CPU per round. */
async function rounds(
  client: WireClient,
  step: (i: number) => Promise<void>,
  iterations: number,
): Promise<{ times: number[]; serverCpu?: number }> {
  const times: number[] = [];
  const started = Date.now();
  let cpu0: number | undefined;
  for (let i = 0; i < iterations + WARMUP && (times.length < MIN_ROUNDS || Date.now() - started < BUDGET_MS); i++) {
    if (i === WARMUP) cpu0 = client.cpuMs();
    const t0 = process.hrtime.bigint();
    await step(i);
    if (i >= WARMUP) times.push(since(t0));
  }
  const cpu1 = client.cpuMs();
  const serverCpu = cpu0 === undefined || cpu1 === undefined ? undefined : (cpu1 - cpu0) / times.length;
  return { times: times.sort((a, b) => a - b), serverCpu };
}

async function withServer<T>(text: string, fn: (client: WireClient) => Promise<T>): Promise<T> {
  const client = new WireClient(SERVER_FLAGS);
  try {
    await client.initialize();
    await client.open(text);
    await client.pull();
    return await fn(client);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserver stderr: ${client.stderrText()}`, { cause: err });
  } finally {
    await client.stop();
  }
}

/** Keystroke → diagnostics: incremental didChange, then textDocument/diagnostic, until the answer is parsed. */
export function typingOverWire(
  lines: number,
  iterations: number,
  place: Place,
  /** Runs before the keystrokes (e.g. starts a host call that stays in flight while they are measured). */
  meanwhile?: (client: WireClient) => Promise<void>,
): Promise<WireTimes> {
  const text = place === 'broken' ? halfTyped(generateDomain(lines)) : generateDomain(lines);
  const edit = keystrokes(text, placeOf(text, place));
  return withServer(text, async (client) => {
    await meanwhile?.(client);
    let [answers, unchanged, diagnostics, full, bytes] = [0, 0, 0, 0, 0];
    const { times, serverCpu } = await rounds(
      client,
      async (i) => {
        const before = client.bytesReceived;
        const { range, text: typed } = edit(i);
        client.change(range, typed);
        const report = await client.pull();
        answers++;
        bytes += client.bytesReceived - before;
        if (report.kind === 'full') {
          full++;
          diagnostics += report.items.length;
          if (report.items.length === 0) throw new Error('no diagnostic at all: the benchmark measures nothing');
        } else unchanged++;
      },
      iterations,
    );
    return {
      lines: text.split('\n').length,
      times,
      serverCpu,
      diagnostics: full ? diagnostics / full : undefined,
      bytes: bytes / answers,
      unchanged: unchanged / answers,
    };
  });
}

/** Keystroke → completion: the edit makes a new version, so the server parses again before it completes. */
export function completionOverWire(lines: number, iterations: number): Promise<WireTimes> {
  const text = generateDomain(lines);
  const pair = Math.floor(text.split('\n').length / 80);
  const edit = keystrokes(text, placeOf(text, 'comment'));
  const doc = TextDocument.create('file:///x', 'xml', 1, text);
  const persistent = text.indexOf(`persistent='ua-net${pair}'`) + "persistent='".length;
  const mac = text.indexOf("<mac address='", text.indexOf(`<!-- tenant network ${pair}`)) + "<mac address='".length + 3;
  const element = text.indexOf('\n', text.indexOf(`<!-- tenant network ${pair}`)) + 1;
  // the comment edit is on the line above these places, so their positions never move
  const cursors = [persistent, mac, element].map((o) => doc.positionAt(o));
  return withServer(text, async (client) => {
    const { times, serverCpu } = await rounds(
      client,
      async (i) => {
        const { range, text: typed } = edit(i);
        client.change(range, typed);
        const list = await client.completion(cursors[i % cursors.length]);
        if (!list?.items?.length) throw new Error(`no completion at cursor ${i % cursors.length}`);
      },
      iterations,
    );
    return { lines: text.split('\n').length, times, serverCpu };
  });
}

/** Hover where the mouse rests (the document as last typed and diagnosed): an element, an attribute, a value, a MAC. */
export function hoverOverWire(lines: number, iterations: number): Promise<WireTimes> {
  const text = generateDomain(lines);
  const pair = Math.floor(text.split('\n').length / 80);
  const start = text.indexOf(`<!-- tenant network ${pair}`);
  const doc = TextDocument.create('file:///x', 'xml', 1, text);
  const places = [
    text.indexOf('<interface', start) + 2,
    text.indexOf("type='hostdev'", start) + 1,
    text.indexOf("persistent='ua-net", start) + "persistent='".length + 2,
    text.indexOf("<mac address='", start) + "<mac address='".length + 4,
  ].map((o) => doc.positionAt(o));
  return withServer(text, async (client) => {
    const { times, serverCpu } = await rounds(
      client,
      async (i) => {
        const hover = await client.hover(places[i % places.length]);
        if (!hover?.contents) throw new Error(`no hover at place ${i % places.length}`);
      },
      iterations,
    );
    return { lines: text.split('\n').length, times, serverCpu };
  });
}

/** Process start → initialize → didOpen → the first diagnostics parsed, in a fresh server each run. */
export async function coldStart(lines: number, runs: number): Promise<WireTimes> {
  const text = generateDomain(lines);
  vscodeClientCapabilities(); // computed once, by the bench's own client: not the server's start
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    const client = new WireClient(SERVER_FLAGS);
    await client.initialize();
    await client.open(text);
    const report = await client.pull();
    times.push(since(t0));
    await client.stop();
    if (report.kind !== 'full' || report.items.length === 0) throw new Error('the first pull gave no diagnostics');
  }
  return { lines: text.split('\n').length, times: times.sort((a, b) => a - b) };
}

export interface SoakResult {
  edits: number;
  seconds: number;
  /** Resident memory (MB) after the first 500 edits, at the end, and the peak. */
  rssEarly: number;
  rssEnd: number;
  peak: number;
}

/**
 * A long editing session over stdio, as issue 12 measured it: `edits` keystrokes into a 2,000-line domain (into an
 * alias, a comment, and while a tag is half-typed, in turn), each followed by a diagnostics pull, with a completion
 * and a hover every 10 edits; then the server's resident memory. Memory a cache pins per keystroke shows up here.
 */
export async function soakOverWire(edits: number): Promise<SoakResult> {
  const text = generateDomain(2000);
  const places: Place[] = ['alias', 'comment', 'broken'];
  const t0 = process.hrtime.bigint();
  return withServer(text, async (client) => {
    let doc = TextDocument.create('file:///x', 'xml', 1, text);
    let rssEarly = 0;
    let edit = keystrokes(text, placeOf(text, 'alias'));
    const HALF = '\n<interface type=';
    const apply = (range: Range, typed: string) => {
      client.change(range, typed);
      doc = TextDocument.update(doc, [{ range, text: typed }], doc.version + 1);
    };
    for (let i = 0; i < edits; i++) {
      // blocks of 100 keystrokes at one place (typed, deleted, …); for a 'broken' block a tag is half-typed first,
      // above the place, and removed after the block
      const place = places[Math.floor(i / 100) % places.length];
      if (i % 100 === 0) {
        if (place === 'broken') {
          const at = doc.offsetAt(doc.positionAt(doc.getText().indexOf('<devices>') + '<devices>'.length));
          apply({ start: doc.positionAt(at), end: doc.positionAt(at) }, HALF);
        }
        edit = keystrokes(doc.getText(), placeOf(doc.getText(), place === 'comment' ? 'comment' : 'alias'));
      }
      const e = edit(i);
      apply(e.range, e.text);
      if (place === 'broken' && i % 100 === 99) {
        const at = doc.getText().indexOf(HALF);
        apply({ start: doc.positionAt(at), end: doc.positionAt(at + HALF.length) }, '');
      }
      await client.pull();
      if (i % 10 === 5) await client.completion(doc.positionAt(doc.getText().indexOf("persistent='ua-net") + 12));
      if (i % 10 === 7) await client.hover(doc.positionAt(doc.getText().indexOf("<mac address='") + 18));
      if (i === 500) rssEarly = client.memoryMb()?.rss ?? NaN;
    }
    const m = client.memoryMb();
    return { edits, seconds: since(t0) / 1000, rssEarly, rssEnd: m?.rss ?? NaN, peak: m?.peak ?? NaN };
  });
}

export const p50 = (t: WireTimes): number => percentile(t.times, 0.5);
export const p95 = (t: WireTimes): number => percentile(t.times, 0.95);

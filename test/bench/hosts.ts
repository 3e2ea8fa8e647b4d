import { median, ms, verdict, type Row } from './stats';

/**
 * ───────────── HOST OPERATIONS: a hook for the Hosts and Migrate features (to be filled by the lead) ─────────────
 *
 * Issue 13's targets for host operations, measured as the user waits for them:
 *   - a destination profile read from a host with 128 VFs: < 2 s;
 *   - a preflight of a domain with 8 VFs against a local daemon: < 3 s;
 *   - the Libvirt Hosts view never blocks the editor (every host call asynchronous and cancellable): measure an
 *     edit → diagnostics round trip (wire/scenarios.ts) while a host call is in flight.
 *
 * Add one entry per operation to HOST_BENCHES: `run` performs the operation once, end to end (e.g. a request to the
 * bundled server over stdio, or the CLI as a process, against the sandboxed libvirtd of scripts/libvirtd-sandbox)
 * and resolves with its wall-clock milliseconds. Nothing else in the benchmark needs to change.
 */
export interface HostBench {
  what: string;
  /** Milliseconds. */
  target: number;
  runs: number;
  run(): Promise<number>;
}

export const HOST_BENCHES: HostBench[] = [];

/** Targets without a measurement yet, so the table shows what is still owed. */
const OWED = [
  { what: 'destination profile from a host with 128 VFs', target: 2000 },
  { what: 'preflight of a domain with 8 VFs (local daemon)', target: 3000 },
];

export async function benchHosts(): Promise<Row[]> {
  console.log('\n## Host operations\n');
  const rows: Row[] = [];
  for (const b of HOST_BENCHES) {
    const times: number[] = [];
    for (let i = 0; i < b.runs; i++) times.push(await b.run());
    const m = median(times);
    console.log(`${b.what}: median ${ms(m)} ms of ${b.runs}  target < ${b.target} ms: ${verdict(m, b.target)}`);
    rows.push({
      what: b.what,
      median: `${ms(m)} ms`,
      p95: '',
      note: '',
      target: `< ${b.target} ms`,
      result: verdict(m, b.target),
    });
  }
  for (const o of OWED.filter((o) => !HOST_BENCHES.some((b) => b.what === o.what))) {
    console.log(`${o.what}: not measured yet (the host features are not built)`);
    rows.push({ what: o.what, median: '', p95: '', note: 'not measured yet', target: `< ${o.target} ms`, result: '' });
  }
  return rows;
}

import { readFileSync } from 'node:fs';

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export const median = (xs: number[]): number =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );

export const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));

/** Milliseconds since `t0` (a process.hrtime.bigint()). */
export const since = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * CPU milliseconds used by this process's finished (waited-for) children, from /proc/self/stat (Linux; undefined
 * elsewhere). The difference around a spawnSync is that child's CPU time, which the load of a shared machine
 * hardly changes, unlike its wall-clock time.
 */
export function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8')
      .replace(/^.*\) /s, '')
      .split(' ');
    // after the command name: cutime and cstime are the 14th and 15th, in clock ticks (100 Hz)
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

export interface Row {
  what: string;
  median: string;
  p95: string;
  /** Server or process CPU time, answer sizes: what explains the wall-clock figures. */
  note: string;
  target: string;
  result: string;
}

/** PASS/MISS of a p95 (or median) against its target, '' without one. */
export function verdict(value: number, target: number | undefined): string {
  return target === undefined ? '' : value <= target ? 'PASS' : 'MISS';
}

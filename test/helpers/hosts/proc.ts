import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** libvirt's and QEMU's messages are matched in English. */
export const C_ENV = { ...process.env, LC_ALL: 'C', LANG: 'C' };

/**
 * Runs a program with an argv array and a deadline; never rejects on a non-zero exit (code is in the result),
 * only when the program cannot be started. A program still running at the deadline is killed (code 124, as
 * timeout(1)). Children still running when this process exits are killed then too (see killLeftovers).
 */
export function run(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      cmd,
      args,
      { env: opts.env ?? C_ENV, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        children.delete(child);
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        if (e && typeof e.code === 'string') {
          reject(new Error(`cannot run ${cmd}: ${e.message}`));
          return;
        }
        const code = e?.killed ? 124 : e ? Number(e.code ?? 1) : 0;
        const note = e?.killed ? `\n(${cmd} killed after ${timeoutMs} ms)` : '';
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) + note });
      },
    );
    children.add(child);
  });
}

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; rejects at the deadline. */
export async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | Promise<T | undefined>,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
}

/** True when `pid` is alive and its command line contains `name` (a PID file may outlive its process). */
export function isProcess(pid: number, name: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(name);
  } catch {
    return false;
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Never throws. */
export async function stopProcess(pid: number, name: string, graceMs = 10_000): Promise<void> {
  if (!isProcess(pid, name)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  try {
    await pollUntil(`${name} ${pid} to exit`, graceMs, () => (isProcess(pid, name) ? undefined : true));
    return;
  } catch {
    /* below */
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  await pollUntil(`${name} ${pid} to die`, 5_000, () => (isProcess(pid, name) ? undefined : true)).catch(() => undefined);
}

/** The last `n` lines of a log file ('' when it does not exist): for failure messages. */
export function tailOf(file: string, n = 15): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'latin1').split('\n').filter(Boolean).slice(-n).join('\n');
}

/** A long-running program whose output lines are collected (e.g. `virsh event --loop`); see Daemon.watch. */
export interface Watcher {
  lines(): string[];
  /** The first collected line that matches, waiting up to `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs: number): Promise<string>;
  /** Kills it (SIGTERM, SIGKILL after 2 s); never throws. */
  stop(): Promise<void>;
}

export function watch(cmd: string, args: string[]): Watcher {
  const collected: string[] = [];
  let partial = '';
  const child = spawn(cmd, args, { env: C_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise<void>((r) =>
    child.once('close', () => {
      children.delete(child);
      r();
    }),
  );
  const take = (chunk: Buffer) => {
    const parts = (partial + chunk.toString('latin1')).split('\n');
    partial = parts.pop() ?? '';
    collected.push(...parts.filter(Boolean));
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  child.on('error', (e) => collected.push(`cannot run ${cmd}: ${e.message}`));
  return {
    lines: () => [...collected],
    waitFor: (re, timeoutMs) =>
      pollUntil(`${re} from ${cmd} ${args.join(' ')}`, timeoutMs, () => collected.find((l) => re.test(l)), 100).catch(
        (e: Error) => {
          throw new Error(`${e.message}; got:\n${collected.slice(-15).join('\n')}`);
        },
      ),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface RunResult { code: number; stdout: string; stderr: string }

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
    const child = execFile(cmd, args, { env: opts.env ?? C_ENV, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        children.delete(child);
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        if (e && typeof e.code === 'string') { reject(new Error(`cannot run ${cmd}: ${e.message}`)); return; }
        const code = e?.killed ? 124 : (e ? Number(e.code ?? 1) : 0);
        const note = e?.killed ? `\n(${cmd} killed after ${timeoutMs} ms)` : '';
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) + note });
      });
    children.add(child);
  });
}

const children = new Set<ReturnType<typeof execFile>>();
process.on('exit', () => { for (const c of children) c.kill('SIGKILL'); });

/** Polls `probe` every `intervalMs` until it returns a value other than undefined; rejects at the deadline. */
export async function pollUntil<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>,
  intervalMs = 100): Promise<T> {
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
  try { return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(name); } catch { return false; }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. Never throws. */
export async function stopProcess(pid: number, name: string, graceMs = 10_000): Promise<void> {
  if (!isProcess(pid, name)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  try { await pollUntil(`${name} ${pid} to exit`, graceMs, () => (isProcess(pid, name) ? undefined : true)); return; } catch { /* below */ }
  try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  await pollUntil(`${name} ${pid} to die`, 5_000, () => (isProcess(pid, name) ? undefined : true)).catch(() => undefined);
}

/** The last `n` lines of a log file ('' when it does not exist): for failure messages. */
export function tailOf(file: string, n = 15): string {
  if (!existsSync(file)) return `(no ${file})`;
  return readFileSync(file, 'latin1').split('\n').filter(Boolean).slice(-n).join('\n');
}

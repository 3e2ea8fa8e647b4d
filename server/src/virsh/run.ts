import { StringDecoder } from 'node:string_decoder';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirshError, classify, libvirtMessage, redactUri, scrub, sshHint, uriSecrets } from './errors';

export interface VirshTarget {
  /** The virsh program (a path, or a name looked up in PATH). */
  virsh?: string;
  /** libvirt connection URI; always passed with `-c`, so virsh never falls back to a default connection. */
  uri: string;
}

export interface RunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /**
   * virsh's stdin (e.g. XML for `define /dev/stdin`); otherwise stdin is /dev/null, so a prompt (virsh asks for
   * credentials on stdin) reads end-of-file instead of waiting. See stdinFile for why it is not a pipe.
   */
  input?: string;
  /** `virsh -r`: a read-only connection. */
  readonly?: boolean;
  /** stdout + stderr beyond this stop the call (a broken or hostile host must not make us allocate without bound). */
  maxOutputBytes?: number;
  /** Between SIGTERM and SIGKILL of the process group when a call is stopped. */
  killGraceMs?: number;
  /**
   * Sees virsh's stderr as it comes (progress of `migrate --verbose`), in whole lines (ended by `\n` or `\r`), so a
   * secret of the URI is scrubbed even when it arrives split over two reads; the rest when virsh ends.
   */
  onStderr?: (text: string) => void;
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const DEFAULT_MAX_OUTPUT = 64 * 1024 * 1024;
const DEFAULT_GRACE_MS = 300;
/** How long to wait for killed members of virsh's process group to be gone (a zombie nobody reaps counts). */
const GROUP_DRAIN_MS = 500;
/** A single argument is parsed by virsh as a command string (quotes, `;`, `#`): only a bare command word may be alone. */
const BARE_COMMAND = /^[a-z][a-z0-9-]*$/;

/**
 * Runs `virsh -c URI [-r] ARGS…` without a shell and resolves with its output and exit status (a non-zero status
 * is not an error here: see runVirsh). Rejects with a VirshError when virsh cannot run, the deadline passes, the
 * signal aborts, or the output is too large; then virsh and everything it started (ssh for qemu+ssh://) are killed
 * as a process group before the promise settles.
 *
 * Names users give (domains, files) must follow `--` or their option (`--domain NAME`): virsh 9.0 and 11.3 take
 * any token after `--` as data, so a domain named `--help` or `-c` is read as a name.
 */
export function execVirsh(target: VirshTarget, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return exec(target, args, opts);
}

/** execVirsh for a command string (`cmd1 ; cmd2`) passed as virsh's one argument: see script.ts. */
export function execVirshScript(target: VirshTarget, script: string, opts: RunOptions, label: string): Promise<RunResult> {
  return exec(target, [script], opts, label);
}

/** execVirsh, rejecting with a classified VirshError (libvirt's message) when virsh exits non-zero. */
export async function runVirsh(target: VirshTarget, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const r = await execVirsh(target, args, opts);
  if (r.exitCode !== 0) throw failure(target, args[0] ?? '', r.stderr);
  return r;
}

/** The VirshError for a virsh call that failed with this stderr. */
export function failure(target: VirshTarget, command: string, stderr: string): VirshError {
  const secrets = uriSecrets(target.uri);
  const clean = scrub(stderr, secrets);
  const said = libvirtMessage(clean) || 'virsh failed without a message';
  const hint = sshHint(target.uri, clean);
  return new VirshError(classify(clean), `${redactUri(target.uri)}: ${command}: ${said}${hint ? ` (${hint})` : ''}`, clean);
}

/** `scriptLabel` set: args is one command string, named so in messages. */
function exec(target: VirshTarget, args: readonly string[], opts: RunOptions, scriptLabel?: string): Promise<RunResult> {
  if (args.length === 0) throw new TypeError('execVirsh: no virsh command');
  if (scriptLabel === undefined && args.length === 1 && !BARE_COMMAND.test(args[0])) {
    // virsh would parse it as a command string: quotes and ';' in a name would change the command
    throw new TypeError(`execVirsh: a single argument must be a bare command word, not ${JSON.stringify(args[0])}`);
  }
  const program = target.virsh ?? 'virsh';
  const uri = redactUri(target.uri);
  const secrets = uriSecrets(target.uri);
  const what = scriptLabel ?? args[0];
  const maxOutput = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const grace = opts.killGraceMs ?? DEFAULT_GRACE_MS;

  return new Promise<RunResult>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new VirshError('cancelled', `${uri}: ${what}: cancelled`));
      return;
    }
    const argv = ['-c', target.uri, ...(opts.readonly ? ['-r'] : []), ...args];
    // LC_ALL=C: libvirt's messages in English, which classify() reads; LANGUAGE is ignored under C anyway
    const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C' };
    delete env.LANGUAGE;
    let stdin: number | 'ignore' = 'ignore';
    if (opts.input !== undefined) {
      try {
        stdin = stdinFile(opts.input);
      } catch (e) {
        reject(new VirshError('failed', `${uri}: ${what}: cannot prepare virsh's input: ${(e as Error).message}`));
        return;
      }
    }
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, argv, {
        // its own process group (and session: no terminal for ssh to prompt on), so a timeout kills ssh too
        detached: true,
        stdio: [stdin, 'pipe', 'pipe'],
        env,
        windowsHide: true,
      });
    } catch (e) {
      // e.g. a NUL byte in the URI: Node refuses the argument list
      // (Node's message repeats the argument, secrets included)
      reject(new VirshError('failed', `${uri}: ${what}: cannot run ${program}: ${scrub((e as Error).message, secrets)}`));
      return;
    } finally {
      if (typeof stdin === 'number') closeSync(stdin);
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let size = 0;
    let stopped: VirshError | undefined;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let hardTimer: NodeJS.Timeout | undefined;

    const killGroup = (sig: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // ESRCH: the group is gone already
      }
    };
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(killTimer);
      clearTimeout(hardTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const stop = (e: VirshError) => {
      if (stopped || settled) return;
      stopped = e;
      killGroup('SIGTERM');
      killTimer = setTimeout(() => killGroup('SIGKILL'), grace);
      // settle even if 'close' never comes (a grandchild holding a pipe in uninterruptible sleep)
      hardTimer = setTimeout(() => settle(() => reject(e)), grace + 1000);
    };
    const onAbort = () => stop(new VirshError('cancelled', `${uri}: ${what}: cancelled`));
    const deadline = setTimeout(
      () => stop(new VirshError('timeout', `${uri}: ${what}: no answer within ${opts.timeoutMs} ms (virsh stopped)`)),
      opts.timeoutMs,
    );
    opts.signal?.addEventListener('abort', onAbort, { once: true });

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxOutput) {
        stop(new VirshError('failed', `${uri}: ${what}: output larger than ${maxOutput} bytes (virsh stopped)`));
        return;
      }
      into.push(chunk);
    };
    child.stdout!.on('data', collect(out));
    child.stderr!.on('data', collect(err));
    let partial = '';
    const watch = opts.onStderr;
    if (watch) {
      const utf8 = new StringDecoder('utf8');
      child.stderr!.on('data', (chunk: Buffer) => {
        partial += utf8.write(chunk);
        const end = Math.max(partial.lastIndexOf('\n'), partial.lastIndexOf('\r')) + 1;
        if (end === 0) return;
        watch(scrub(partial.slice(0, end), secrets));
        partial = partial.slice(end);
      });
    }
    child.on('error', (e: NodeJS.ErrnoException) => {
      const kind = e.code === 'ENOENT' ? 'not-installed' : e.code === 'EACCES' ? 'permission-denied' : 'failed';
      const hint =
        e.code === 'ENOENT'
          ? `virsh not found (${program}): install libvirt-clients (virsh)`
          : e.code === 'EACCES'
            ? `cannot run ${program}: permission denied`
            : `cannot run ${program}: ${scrub(e.message, secrets)}`;
      settle(() => reject(new VirshError(kind, hint)));
    });
    child.on('close', (code, signal) => {
      // virsh is gone; anything left in its group (an ssh that outlived it) is ours to end, and is waited for
      // (briefly), so that when the promise settles nothing this call started is still running
      killGroup('SIGKILL');
      if (watch && partial) watch(scrub(partial, secrets));
      const finish = () => {
        if (stopped) {
          const e = stopped;
          settle(() => reject(e));
          return;
        }
        const stdout = Buffer.concat(out).toString('utf8');
        const stderr = scrub(Buffer.concat(err).toString('utf8'), secrets);
        settle(() => resolve({ stdout, stderr, exitCode: code ?? (signal ? 128 : 1) }));
      };
      const until = Date.now() + GROUP_DRAIN_MS;
      const drain = () => (groupAlive(child.pid) && Date.now() < until ? setTimeout(drain, 10) : finish());
      drain();
    });
  });
}

/** Whether any process of the group led by pid still exists. */
function groupAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A read-only descriptor of a file holding `input`, for virsh's stdin. Not a pipe: Node's stdio pipes are socket
 * pairs, and virsh opens `/dev/stdin` by name (`define /dev/stdin`), which for a socket fails with ENXIO ("Failed to
 * open file '/dev/stdin': No such device or address", seen). The file is created 0600 in a fresh 0700 directory
 * (the per-user tmpfs XDG_RUNTIME_DIR when there is one) and removed before virsh starts: virsh reads it through
 * the open descriptor, and nothing is left on disk even if this process dies.
 */
function stdinFile(input: string): number {
  const runtime = process.env.XDG_RUNTIME_DIR;
  let dir: string;
  try {
    dir = mkdtempSync(join(runtime || tmpdir(), 'migratable-virsh-'));
  } catch {
    dir = mkdtempSync(join(tmpdir(), 'migratable-virsh-'));
  }
  try {
    const file = join(dir, 'input');
    writeFileSync(file, input, { mode: 0o600, flag: 'wx' });
    return openSync(file, 'r');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

import { randomBytes } from 'node:crypto';
import { VirshError, libvirtMessage } from './errors';
import { execVirshScript, failure, type RunOptions, type VirshTarget } from './run';

/**
 * Several read commands in ONE virsh process: virsh parses a lone argument as a command string (`cmd1 ; cmd2`),
 * runs every command even when one fails, and exits with the status of the last one (libvirt 9.0 and 11.3, seen;
 * tools/vsh.c vshCommandStringParse/vshCommandRun). Several argv tokens are never split at `;` (argv mode), which is
 * why the script is one argument. Between commands, `echo MARK` and `echo --err MARK` put a random marker on stdout
 * and on stderr, so each command's output and libvirt's error for it can be told apart.
 *
 * Only tokens that cannot change the command string's meaning may go in (no quotes, blanks, `;`, `#`, `\`): fixed
 * command words and options, and names libvirt itself listed that pass isScriptSafe (UUIDs, `pci_0000_3b_02_0`).
 * Never a name a user typed: those go through execVirsh as separate argv tokens after `--`.
 */
export type Command = readonly string[];

export interface Part {
  ok: boolean;
  stdout: string;
  stderr: string;
  /** libvirt's message when !ok. */
  error?: string;
}

const TOKEN = /^[A-Za-z0-9_.:,=@+/-]+$/;
/** A name libvirt listed that may be written into a command string as is (and cannot be read as an option). */
export const isScriptSafe = (name: string): boolean => /^[A-Za-z0-9_][A-Za-z0-9_.:+-]*$/.test(name);

/** virsh cannot parse the script (a command or option this virsh does not have): nothing ran. */
const SYNTAX =
  /unknown command|doesn't support option|unexpected data|expected syntax|command '[^']*' requires|missing "|dangling \\/;
export const isScriptSyntaxError = (e: unknown): boolean =>
  e instanceof VirshError && e.kind === 'failed' && SYNTAX.test(e.stderr);

/** Commands per process at most: one argument may hold 128 KiB on Linux (MAX_ARG_STRLEN); stay well below. */
const MAX_SCRIPT_CHARS = 100_000;

/** Runs the commands in as few virsh processes as fit; `label` names the work in messages (default: the first command). */
export async function runScript(
  target: VirshTarget,
  commands: readonly Command[],
  opts: RunOptions,
  label?: string,
): Promise<Part[]> {
  for (const c of commands) {
    if (c.length === 0 || !c.every((t) => TOKEN.test(t))) throw new TypeError(`runScript: unsafe command ${JSON.stringify(c)}`);
  }
  const parts: Part[] = [];
  const name = label ?? commands[0]?.[0] ?? 'virsh';
  for (const chunk of chunks(commands)) parts.push(...(await runChunk(target, chunk, opts, name)));
  return parts;
}

function chunks(commands: readonly Command[]): Command[][] {
  const out: Command[][] = [];
  let cur: Command[] = [];
  let len = 0;
  for (const c of commands) {
    const l = c.join(' ').length + 80;
    if (cur.length && len + l > MAX_SCRIPT_CHARS) {
      out.push(cur);
      cur = [];
      len = 0;
    }
    cur.push(c);
    len += l;
  }
  if (cur.length) out.push(cur);
  return out;
}

async function runChunk(target: VirshTarget, commands: readonly Command[], opts: RunOptions, label: string): Promise<Part[]> {
  const nonce = randomBytes(8).toString('hex');
  const mark = (i: number) => `@@virsh-${nonce}-${i}@@`;
  const lines: string[] = [];
  commands.forEach((c, i) => lines.push(`echo ${mark(i)}`, `echo --err ${mark(i)}`, c.join(' ')));
  lines.push(`echo ${mark(commands.length)}`, `echo --err ${mark(commands.length)}`);
  const r = await execVirshScript(target, lines.join(' ; '), opts, label);
  const out = split(r.stdout, nonce);
  const err = split(r.stderr, nonce);
  if (!out.has(0)) {
    // nothing ran: virsh could not connect, or could not parse the script
    throw failure(target, label, r.stderr || r.stdout);
  }
  return commands.map((_c, i) => {
    const stdout = out.get(i) ?? '';
    const stderr = (err.get(i) ?? '').replace(/^\n/, '');
    // the next marker missing: virsh stopped during this command (a crash, a dropped connection)
    const finished = out.has(i + 1);
    const ok = finished && !/^error: /m.test(stderr);
    const part: Part = { ok, stdout, stderr };
    if (!ok) part.error = libvirtMessage(stderr) || 'virsh stopped before this command finished';
    return part;
  });
}

/** Output by command index: the text after marker i up to the next marker. */
function split(text: string, nonce: string): Map<number, string> {
  const re = new RegExp(`(?:error: )?@@virsh-${nonce}-(\\d+)@@\\n?`, 'g');
  const out = new Map<number, string>();
  let last: number | undefined;
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (last !== undefined) out.set(last, trimOne(text.slice(from, m.index)));
    last = Number(m[1]);
    from = m.index + m[0].length;
  }
  if (last !== undefined) out.set(last, trimOne(text.slice(from)));
  return out;
}

/** virsh prints a newline after each command's output (vshPrintExtra): drop it and the marker's. */
function trimOne(s: string): string {
  return s.replace(/^\n/, '').replace(/\n$/, '');
}

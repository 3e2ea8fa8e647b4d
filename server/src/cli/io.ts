import { closeSync, fstatSync, openSync, readSync } from 'fs';
import { decode } from './encoding';

/** What a CLI command may touch, injected so tests can run commands in-process. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** Standard input: text, or at most `limit` + 1 bytes (more than `limit` means too large). */
  readStdin: (limit: number) => string | Uint8Array | Promise<string | Uint8Array>;
  isTty: boolean;
  /** Ctrl-C: host commands stop what they can (a migration is aborted, never killed). */
  signal?: AbortSignal;
}

export class UsageError extends Error {}

/** A subcommand: `migratable NAME args…` → exit status (0 ok, 1 findings, 2 usage error or unreadable input). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: Io): Promise<number>;
}

/** Parses a command's arguments; on a usage error prints it with the usage and answers undefined (exit 2). */
export function parseArgs<T>(parse: () => T, usage: string, io: Io): T | undefined {
  try {
    return parse();
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`migratable: ${e.message}\n${usage}`);
      return undefined;
    }
    throw e;
  }
}

/**
 * The largest input read (a domain of 20,000 lines is 1 MB): `/dev/zero`, `/dev/urandom` or a runaway pipe are
 * refused instead of filling memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

export type ReadResult = { text: string; error?: undefined } | { text?: undefined; error: string };

/**
 * Reads a FILE argument ('-' is standard input) as UTF-8 text, as libvirt reads it. Unreadable, too large, or
 * not UTF-8, it is reported on stderr with the reason. A FIFO is read like any
 * file: opening one waits for its writer, as `cat` does. Synchronous unless standard input is read from a stream.
 */
export function readInput(file: string, io: Io, limit = MAX_INPUT_BYTES): ReadResult | Promise<ReadResult> {
  if (file !== '-') return attempt(() => readFileCapped(file, limit), file, io, limit);
  try {
    const input = io.readStdin(limit);
    return input instanceof Promise
      ? input.then(
          (got) => attempt(() => got, file, io, limit),
          (e: unknown) =>
            attempt(
              () => {
                throw e;
              },
              file,
              io,
              limit,
            ),
        )
      : attempt(() => input, file, io, limit);
  } catch (e) {
    return attempt(
      () => {
        throw e;
      },
      file,
      io,
      limit,
    );
  }
}

function attempt(read: () => string | Uint8Array, file: string, io: Io, limit: number): ReadResult {
  let error: string;
  try {
    const input = read();
    if (typeof input === 'string') return { text: input };
    if (input.length > limit) {
      error = tooLarge(limit);
    } else {
      const decoded = decode(input);
      if (decoded.text !== undefined) return decoded;
      error = decoded.error;
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    error =
      err.code === 'ENOENT'
        ? 'no such file'
        : err.code === 'EISDIR'
          ? 'is a directory'
          : err.code === 'EFBIG'
            ? tooLarge(limit)
            : err.message;
  }
  io.stderr(`migratable: cannot read ${displayName(file)}: ${error}\n`);
  return { error };
}

function tooLarge(limit: number): string {
  return `larger than ${limit / 1024 / 1024} MiB: not a domain (a device such as /dev/zero?)`;
}

/** Where files are read: one buffer, grown as needed, since a file's bytes are decoded before the next is read. */
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * A file's bytes, reading at most `limit` + 1 of them (a regular file that is larger is not read at all). The bytes
 * are valid until the next call.
 */
function readFileCapped(file: string, limit: number): Uint8Array {
  const fd = openSync(file, 'r');
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (stat.isFile() && stat.size > limit) throw Object.assign(new Error('too large'), { code: 'EFBIG' });
    let total = 0;
    for (;;) {
      // room for one byte more than a regular file has, to see it end; a FIFO, a device or a growing file may
      // have more
      const want = Math.min(limit + 1, total <= stat.size ? stat.size + 1 : total + 64 * 1024);
      if (scratch.length < want) {
        const grown = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(want, 2 * scratch.length)));
        scratch.copy(grown, 0, 0, total);
        scratch = grown;
      }
      const n = readSync(fd, scratch, total, Math.min(scratch.length, limit + 1) - total, null);
      if (n === 0) break;
      total += n;
      if (total > limit) break;
    }
    return scratch.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

/** Standard input's bytes, at most `limit` + 1 of them. */
export async function readStream(stream: AsyncIterable<Buffer | string>, limit: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    chunks.push(b);
    total += b.length;
    if (total > limit) break;
  }
  return Buffer.concat(chunks, Math.min(total, limit + 1));
}

/** How a FILE argument is named in messages: '-' is standard input. */
export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

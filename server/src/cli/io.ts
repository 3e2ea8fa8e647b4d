import { readFileSync } from 'fs';

/** What a CLI command may touch, injected so tests can run commands in-process. */
export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  readStdin: () => string;
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

export type ReadResult = { text: string; error?: undefined } | { text?: undefined; error: string };

/** Reads a FILE argument ('-' is standard input); an unreadable file is reported on stderr with the reason. */
export function readInput(file: string, io: Io): ReadResult {
  try {
    return { text: file === '-' ? io.readStdin() : readFileSync(file, 'utf8') };
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const error = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    io.stderr(`migratable: cannot read ${file}: ${error}\n`);
    return { error };
  }
}

/** How a FILE argument is named in messages: '-' is standard input. */
export function displayName(file: string): string {
  return file === '-' ? '<stdin>' : file;
}

import type { Io } from './io';
import { writeAtomically, writeError } from './write';

/** A command's result to standard output, or to `path` (written whole or not at all: see writeAtomically). */
export function writeOutput(io: Io, path: string | undefined, text: string): boolean {
  if (path === undefined) {
    io.stdout(text);
    return true;
  }
  try {
    writeAtomically(path, Buffer.from(text, 'utf8'));
    return true;
  } catch (e) {
    io.stderr(`migratable: cannot write ${path}: ${writeError(e)}\n`);
    return false;
  }
}

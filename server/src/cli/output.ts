import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Io } from './io';

/**
 * Writes a command's result to standard output, or to `path`: a temporary file beside it, synced, then renamed over
 * it, so the target is never left half-written (a full disk leaves the old file as it was).
 */
export function writeOutput(io: Io, path: string | undefined, text: string): boolean {
  if (path === undefined) {
    io.stdout(text);
    return true;
  }
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    let mode = 0o644;
    try {
      mode = statSync(path).mode & 0o777;
    } catch {
      /* a new file */
    }
    const fd = openSync(temp, 'wx', mode);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    return true;
  } catch (e) {
    rmSync(temp, { force: true });
    io.stderr(`migratable: cannot write ${path}: ${(e as Error).message}\n`);
    return false;
  }
}

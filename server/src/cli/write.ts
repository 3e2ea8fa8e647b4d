import { randomBytes } from 'crypto';
import {
  closeSync,
  fchmodSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'fs';
import { basename, dirname, join, resolve } from 'path';

/**
 * Writes a file so that it is either the old content or the whole new one, never a part: the new content goes to
 * a temporary file in the same directory (same filesystem), which is synced and given the old file's mode (and
 * owner, where allowed), then renamed over it. A full disk, a quota or a crash leaves the original as it was.
 * Through a symbolic link, the file it points to is replaced and the link is kept.
 */
export function writeAtomically(target: string, data: Uint8Array): void {
  const path = destination(target);
  const old = statOrUndefined(path);
  if (old && !old.isFile()) throw new Error('not a regular file');
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.migratable-tmp`);
  // a new file gets the usual 0666 less the umask; an existing one keeps its mode, set before anything is written
  const fd = openSync(temp, 'wx', old ? 0o600 : 0o666);
  let open = true;
  try {
    if (old) {
      fchmodSync(fd, old.mode & 0o7777);
      try {
        fchownSync(fd, old.uid, old.gid);
      } catch {
        // only root (or the owner, to a group of theirs) may: the file is then the writer's
      }
    }
    for (let at = 0; at < data.length;) at += writeSync(fd, data, at, data.length - at);
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    renameSync(temp, path);
  } catch (e) {
    if (open) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw e;
  }
  syncDirectory(dir);
}

/** The rename survives a crash once the directory is synced (not every filesystem lets a directory be). */
function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // best effort
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The path to replace: the file a symbolic link points to; a link to nothing is refused. */
function destination(target: string): string {
  try {
    return realpathSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let link = false;
    try {
      link = lstatSync(target).isSymbolicLink();
    } catch {
      // nothing there: a new file
    }
    if (link) throw new Error('a symbolic link to a file that does not exist', { cause: e });
    return resolve(target);
  }
}

/** Whether two paths name one file: the same inode (a symbolic or hard link), or the same real path. */
export function sameFile(a: string, b: string): boolean {
  const sa = statOrUndefined(a);
  const sb = statOrUndefined(b);
  if (sa && sb) return sa.dev === sb.dev && sa.ino === sb.ino;
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}

const WORDS: ReadonlyMap<string, string> = new Map([
  ['ENOSPC', 'no space left on device'],
  ['EDQUOT', 'disk quota exceeded'],
  ['EACCES', 'permission denied'],
  ['EPERM', 'operation not permitted'],
  ['EROFS', 'read-only file system'],
  ['EISDIR', 'is a directory'],
  ['ENOENT', 'no such directory'],
  ['EFBIG', 'file too large'],
  ['EIO', 'input/output error'],
  ['EPIPE', 'broken pipe'],
]);

/** An error from a write, in a few words: `no space left on device (ENOSPC)`. */
export function writeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const words = err.code ? WORDS.get(err.code) : undefined;
  return words ? `${words} (${err.code})` : err.message;
}

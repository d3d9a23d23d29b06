/**
 * Writing a file the user named (--out) without destroying what is there:
 *
 * - a regular file (or a new one) is replaced atomically: a temporary file in the same
 *   directory is written and renamed over it, keeping the old file's permissions (and owner,
 *   when run as root), so a reader sees the old or the new text, never half of it;
 * - a symbolic link is followed to its target (chains too, dangling ones create the target),
 *   and the target is replaced as above: the link stays a link;
 * - a regular file with several hard links is written in place, so the links stay shared;
 * - a FIFO is written in place only when a process is reading it (else an error, not a hang);
 * - a device (/dev/null, /dev/stdout, a tty) is written in place;
 * - a directory or a socket is refused.
 *
 * Errors are Node errors with an errno `code`; ./fs-error.ts words them.
 */
import { chmodSync, chownSync, closeSync, constants, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export interface WriteOutcome {
  /** The file written: the path itself, or the final target of a symbolic link. */
  readonly path: string;
  readonly how: 'atomic' | 'in-place';
}

/** An error with an errno code and the words to show for it (see fsReason). */
function fsError(code: string, reason: string): NodeJS.ErrnoException {
  return Object.assign(new Error(reason), { code, reason });
}

/** Follow a chain of symbolic links that ends at a path that does not exist yet. */
function danglingTarget(path: string): string {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    const l = lstatSync(p, { throwIfNoEntry: false });
    if (!l?.isSymbolicLink()) return p;
    p = resolve(dirname(p), readlinkSync(p));
  }
  throw fsError('ELOOP', 'too many levels of symbolic links');
}

let tmpCounter = 0;

/** Write `text` to `path` as described in the module comment. */
export function writeFileSafely(path: string, text: string): WriteOutcome {
  const st = statSync(path, { throwIfNoEntry: false }); // follows symbolic links
  if (st === undefined) {
    const target = danglingTarget(path);
    mkdirSync(dirname(target), { recursive: true });
    replaceAtomically(target, text);
    return { path: target, how: 'atomic' };
  }
  if (st.isDirectory()) throw fsError('EISDIR', 'is a directory');
  if (st.isSocket()) throw fsError('ENXIO', 'is a socket');
  if (st.isFIFO()) {
    writeFifo(path, text);
    return { path, how: 'in-place' };
  }
  if (!st.isFile()) {
    // Character or block device: write through it, never replace it.
    writeFileSync(path, text);
    return { path, how: 'in-place' };
  }
  const real = realpathSync(path);
  if (st.nlink > 1) {
    writeFileSync(real, text);
    return { path: real, how: 'in-place' };
  }
  replaceAtomically(real, text, st);
  return { path: real, how: 'atomic' };
}

function replaceAtomically(path: string, text: string, old?: { mode: number; uid: number; gid: number }): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${++tmpCounter}.tmp`);
  try {
    // `wx`: never write through something planted at the temporary name.
    writeFileSync(tmp, text, { flag: 'wx', mode: old ? old.mode & 0o7777 : 0o666 });
    if (old) {
      chmodSync(tmp, old.mode & 0o7777); // creation applied the umask
      if (process.getuid?.() === 0) {
        try {
          chownSync(tmp, old.uid, old.gid);
        } catch {
          // Not every file system lets root give files away; the content matters more.
        }
      }
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // It may not exist.
    }
    throw e;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/**
 * Write into a FIFO. Opened non-blocking, so that with no reader the open fails (ENXIO)
 * instead of hanging; a full pipe (EAGAIN) is waited on, up to 10 s without progress.
 */
function writeFifo(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') throw fsError('ENXIO', 'is a FIFO that no process is reading');
    throw e;
  }
  try {
    const data = Buffer.from(text);
    let off = 0;
    let idleMs = 0;
    while (off < data.length) {
      try {
        const n = writeSync(fd, data, off);
        off += n;
        idleMs = 0;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
        if (idleMs >= 10_000) throw fsError('EAGAIN', "the FIFO's reader stopped reading");
        Atomics.wait(sleeper, 0, 0, 5);
        idleMs += 5;
      }
    }
  } finally {
    closeSync(fd);
  }
}

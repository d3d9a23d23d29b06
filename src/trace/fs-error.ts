/** File-system errors in words, the same for reads and writes ("permission denied", not EACCES). */

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent of the path is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EEXIST: 'file exists',
  EBUSY: 'resource busy',
  ETXTBSY: 'text file busy',
  EMFILE: 'too many open files',
  ENXIO: 'no reader on the other end (FIFO or device)',
  EIO: 'input/output error',
};

/** A short reason for a failed file operation: the words for a known errno code, else the message. */
export function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException & { reason?: unknown };
  if (typeof err?.reason === 'string') return err.reason;
  const code = typeof err?.code === 'string' ? err.code : undefined;
  if (code && Object.prototype.hasOwnProperty.call(REASONS, code)) return REASONS[code];
  const msg = e instanceof Error ? e.message : String(e);
  return msg.replace(/\s*[\r\n]+\s*/g, ' ');
}

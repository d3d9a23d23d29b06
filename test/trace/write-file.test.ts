/** writeFileSafely: regular files replaced atomically, links followed, devices and FIFOs written in place, refusals worded. */
import { execFileSync } from 'node:child_process';
import { chmodSync, closeSync, constants, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, readlinkSync, rmSync, statSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fsReason } from '../../src/trace/fs-error.ts';
import { writeFileSafely } from '../../src/trace/write-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'kuberace-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

function failure(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a failure');
}

describe('writeFileSafely', () => {
  it('creates a new file (and its directories) and replaces a regular one, keeping its mode; no temporary file is left', () => {
    expect(writeFileSafely(at('sub/new.json'), 'one')).toEqual({ path: at('sub/new.json'), how: 'atomic' });
    expect(readFileSync(at('sub/new.json'), 'utf8')).toBe('one');
    writeFileSync(at('old.json'), 'old');
    chmodSync(at('old.json'), 0o640);
    const ino = statSync(at('old.json')).ino;
    writeFileSafely(at('old.json'), 'new');
    expect(readFileSync(at('old.json'), 'utf8')).toBe('new');
    expect(statSync(at('old.json')).mode & 0o777).toBe(0o640);
    expect(statSync(at('old.json')).ino).not.toBe(ino); // replaced by rename, not rewritten
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('a symbolic link stays a link and its target gets the new text (also through a chain, and a dangling link creates its target)', () => {
    writeFileSync(at('target.json'), 'before');
    symlinkSync('target.json', at('link.json'));
    symlinkSync('link.json', at('link2.json'));
    expect(writeFileSafely(at('link2.json'), 'after')).toEqual({ path: at('target.json'), how: 'atomic' });
    expect(lstatSync(at('link.json')).isSymbolicLink()).toBe(true);
    expect(lstatSync(at('link2.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(at('link.json'))).toBe('target.json');
    expect(readFileSync(at('target.json'), 'utf8')).toBe('after');
    symlinkSync('later/made.json', at('dangling.json'));
    writeFileSafely(at('dangling.json'), 'made');
    expect(lstatSync(at('dangling.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(at('later/made.json'), 'utf8')).toBe('made');
  });

  it('a hard-linked file is written in place, so both names see the new text', () => {
    writeFileSync(at('h1'), 'x');
    linkSync(at('h1'), at('h2'));
    expect(writeFileSafely(at('h1'), 'shared').how).toBe('in-place');
    expect(readFileSync(at('h2'), 'utf8')).toBe('shared');
  });

  it('a device is written in place and stays a device: /dev/null, and a link to it', () => {
    expect(writeFileSafely('/dev/null', 'gone')).toEqual({ path: '/dev/null', how: 'in-place' });
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    symlinkSync('/dev/null', at('null-link'));
    writeFileSafely(at('null-link'), 'gone');
    expect(lstatSync(at('null-link')).isSymbolicLink()).toBe(true);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('/dev/full: the device stays, the write fails as "no space left on device"', () => {
    const e = failure(() => writeFileSafely('/dev/full', 'x'));
    expect(fsReason(e)).toBe('no space left on device');
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('a FIFO with a reader gets the text in place; with no reader it is refused at once, not a hang', () => {
    execFileSync('mkfifo', [at('fifo')]);
    const e = failure(() => writeFileSafely(at('fifo'), 'nobody'));
    expect(fsReason(e)).toBe('is a FIFO that no process is reading');
    const rd = openSync(at('fifo'), constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      expect(writeFileSafely(at('fifo'), 'through the pipe')).toEqual({ path: at('fifo'), how: 'in-place' });
      const buf = Buffer.alloc(100);
      const n = readSync(rd, buf);
      expect(buf.subarray(0, n).toString()).toBe('through the pipe');
    } finally {
      closeSync(rd);
    }
    expect(statSync(at('fifo')).isFIFO()).toBe(true);
  });

  it('refusals are worded: a directory, a parent that is a regular file, a loop of links', () => {
    mkdirSync(at('adir'));
    expect(fsReason(failure(() => writeFileSafely(at('adir'), 'x')))).toBe('is a directory');
    writeFileSync(at('plain'), 'p');
    expect(fsReason(failure(() => writeFileSafely(at('plain/x.json'), 'x')))).toBe('a parent of the path is not a directory');
    symlinkSync('loop-b', at('loop-a'));
    symlinkSync('loop-a', at('loop-b'));
    expect(fsReason(failure(() => writeFileSafely(at('loop-a'), 'x')))).toBe('too many levels of symbolic links');
    expect(readFileSync(at('plain'), 'utf8')).toBe('p');
  });

  it('a read-only directory: permission denied for a non-root user, and the old file is untouched', () => {
    mkdirSync(at('ro'));
    writeFileSync(at('ro/kept.json'), 'kept');
    chmodSync(at('ro'), 0o555);
    const script = `import { writeFileSafely } from ${JSON.stringify(new URL('../../src/trace/write-file.ts', import.meta.url).href)};
import { fsReason } from ${JSON.stringify(new URL('../../src/trace/fs-error.ts', import.meta.url).href)};
try { writeFileSafely(process.argv[1], 'x'); console.log('written'); } catch (e) { console.log(fsReason(e)); }`;
    if (process.getuid?.() === 0) {
      // Root ignores the mode bits: run the write as nobody (the temp dir must be reachable).
      chmodSync(dir, 0o755);
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, at('ro/kept.json')], { uid: 65534, gid: 65534, encoding: 'utf8', cwd: process.cwd() });
      expect(out.trim()).toBe('permission denied');
    } else {
      expect(fsReason(failure(() => writeFileSafely(at('ro/kept.json'), 'x')))).toBe('permission denied');
    }
    expect(readFileSync(at('ro/kept.json'), 'utf8')).toBe('kept');
  });
});

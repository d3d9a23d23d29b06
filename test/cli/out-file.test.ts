/**
 * `--out` never destroys what is there and never loses a counterexample: a symbolic link
 * stays a link, a device stays a device, a FIFO is written only with a reader, and when the
 * file cannot be written the result is printed anyway and the trace goes to a temporary file
 * named on stderr, with the reason in words; the exit code stays 1 (violated).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, constants, existsSync, lstatSync, mkdirSync, openSync, readFileSync, readSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.ts';

const dir = tempDir();
const FIND = ['check', 'kube-ovn', '--scenario', 'single-network', '--runs', '20', '--seed', '1'];

/** The fallback named on stderr: exactly one line, the reason in words, a trace that parses. */
function expectFallback(stderr: string, out: string, reason: string): string {
  const m = new RegExp(`^kuberace: cannot write ${out.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: ${reason}; trace written to (\\S+) instead\\n$`).exec(stderr);
  expect(m, stderr).not.toBeNull();
  const file = m![1];
  expect(JSON.parse(readFileSync(file, 'utf8')).violation.property).toBe('ip-outlives-pod-and-subnet');
  return file;
}

describe('--out targets that are not plain files', () => {
  it('a symbolic link stays a link; its target gets the trace', async () => {
    writeFileSync(join(dir, 'target.json'), 'old\n');
    symlinkSync('target.json', join(dir, 'link.json'));
    const r = await run([...FIND, '--out', 'link.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'link.json'))).toBe('target.json');
    expect(JSON.parse(readFileSync(join(dir, 'target.json'), 'utf8')).violation.property).toBe('ip-outlives-pod-and-subnet');
  });

  it('/dev/null is written through and stays a device', async () => {
    const r = await run([...FIND, '--out', '/dev/null'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/trace written to \/dev\/null; /);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
  });

  it('a FIFO with a reader gets the trace; with none it is refused (no hang) and the trace falls back', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const none = await run([...FIND, '--out', 'pipe'], { cwd: dir });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/✗ property ip-outlives-pod-and-subnet/);
    expectFallback(none.stderr, 'pipe', 'is a FIFO that no process is reading');
    const rd = openSync(join(dir, 'pipe'), constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const r = await run([...FIND, '--out', 'pipe'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      const buf = Buffer.alloc(1 << 16);
      const n = readSync(rd, buf);
      expect(JSON.parse(buf.subarray(0, n).toString()).violation.property).toBe('ip-outlives-pod-and-subnet');
    } finally {
      closeSync(rd);
    }
    expect(statSync(join(dir, 'pipe')).isFIFO()).toBe(true);
  });
});

describe('a counterexample is never lost when --out cannot be written', () => {
  it('/dev/full: the timeline is printed, the trace falls back to a temporary file, exit 1', async () => {
    const r = await run([...FIND, '--out', '/dev/full'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ property ip-outlives-pod-and-subnet \(atStable\) violated/);
    expect(r.stdout).toMatch(/\$ kubectl get ips\n/);
    const file = expectFallback(r.stderr, '/dev/full', 'no space left on device');
    expect(file).toMatch(/kuberace-counterexample\.json$/);
    expect(r.stdout).toContain(`trace written to ${file}; replay: npx kuberace replay ${file}\n`);
    expect(statSync('/dev/full').isCharacterDevice()).toBe(true);
  });

  it('a parent that is a regular file (fails even for root), and a directory: reasons in words, the file name kept', async () => {
    writeFileSync(join(dir, 'plain'), 'p');
    const r = await run([...FIND, '--out', 'plain/x.json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(expectFallback(r.stderr, 'plain/x.json', 'a parent of the path is not a directory')).toMatch(/\/x\.json$/);
    mkdirSync(join(dir, 'adir'));
    const d = await run([...FIND, '--out', 'adir'], { cwd: dir });
    expect(d.code).toBe(1);
    expectFallback(d.stderr, 'adir', 'is a directory');
    expect(d.stderr).not.toMatch(/E[A-Z]{3,}/); // no raw errno codes
  });

  it('--json: one JSON object with the counterexample, traceFile the fallback, the reason on stderr', async () => {
    const r = await run([...FIND, '--json', '--out', 'plain/y.json'], { cwd: dir });
    expect(r.code).toBe(1);
    const o = JSON.parse(r.stdout);
    expect(o.result).toBe('violated');
    expect(o.counterexample.violation.property).toBe('ip-outlives-pod-and-subnet');
    expect(o.traceFile).toBe(expectFallback(r.stderr, 'plain/y.json', 'a parent of the path is not a directory'));
  });

  it('a read-only directory as a non-root user (spawned as nobody): explore prints its result, permission denied, exit 1', () => {
    if (process.getuid?.() !== 0) return; // as a normal user the in-process cases above cover it
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o555);
    const root = resolve(import.meta.dirname, '../..');
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'src/cli.ts'), 'explore', 'kube-ovn', '--scenario', 'single-network', '--property', 'ip-outlives-pod-and-subnet', '--max-states', '20000', '--out', 'ro/x.json'], {
      cwd: dir,
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ property ip-outlives-pod-and-subnet/);
    const file = expectFallback(r.stderr, 'ro/x.json', 'permission denied');
    expect(existsSync(join(dir, 'ro/x.json'))).toBe(false);
    expect(r.stdout).toContain(`replay: npx kuberace replay ${file}`);
  });
});

describe('replay --out', () => {
  it('writes through a symbolic link, and a write error is worded', async () => {
    const made = await run([...FIND, '--out', 'r.json'], { cwd: dir });
    expect(made.code).toBe(1);
    writeFileSync(join(dir, 'report.mmd'), '');
    symlinkSync('report.mmd', join(dir, 'report-link.mmd'));
    const r = await run(['replay', 'r.json', '--format', 'mermaid', '--out', 'report-link.mmd'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(lstatSync(join(dir, 'report-link.mmd')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'report.mmd'), 'utf8')).toMatch(/^sequenceDiagram/);
    const bad = await run(['replay', 'r.json', '--out', '/dev/full'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('kuberace: cannot write /dev/full: no space left on device\n');
  });
});

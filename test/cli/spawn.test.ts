/** The CLI as users start it: real processes through tsx and through bin/kuberace.mjs. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { withoutDurations } from './helpers.ts';

const root = resolve(import.meta.dirname, '../..');
const cli = join(root, 'src/cli.ts');
const bin = join(root, 'bin/kuberace.mjs');
// `--import tsx` resolves from the working directory (a temporary one here): pass tsx's own URL.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(join(tmpdir(), 'kuberace-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function node(args: string[], extraEnv: Record<string, string> = {}, timeout = 60_000) {
  const env = { ...process.env, ...extraEnv };
  delete env.NO_COLOR;
  const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', env, timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('spawned CLI', () => {
  it('node --import tsx src/cli.ts list (from another directory)', () => {
    const r = node(['--import', tsx, cli, 'list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^model kube-ovn: /);
    expect(r.stderr).toBe('');
  });

  it('bin/kuberace.mjs: exit codes pass through, bad input is one stderr line with no stack trace', () => {
    const ok = node([bin, '--version']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^kuberace \d/);
    const bad = node([bin, 'check', 'kube-ovn', '--variant', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^kuberace: unknown variant "x" of model kube-ovn \(known: [^\n]*\)\n$/);
  });

  it('check --seed twice in separate processes prints identical JSON once durationMs is removed; exit 1 on a violation', () => {
    const args = ['--import', tsx, cli, 'check', 'kube-ovn', '--scenario', 'single-network', '--runs', '10', '--seed', '42', '--json'];
    const a = node(args);
    const b = node(args);
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    expect(a.stderr).toBe(''); // no progress: stderr is not a terminal
    expect(JSON.stringify(withoutDurations(JSON.parse(a.stdout)))).toBe(JSON.stringify(withoutDurations(JSON.parse(b.stdout))));
    const lines = a.stdout.split('\n').filter((l) => !/"durationMs"/.test(l));
    expect(lines.join('\n')).toBe(b.stdout.split('\n').filter((l) => !/"durationMs"/.test(l)).join('\n'));
  });

  it('a search that runs out of JS heap says so in one stderr line, reports what it covered, and exits 3 (incomplete), not an internal error', () => {
    // Source-DPOR keeps a summary per state on the heap; 50 MB (about 100 MB of heap) holds some 10,000-20,000 of them here.
    const r = node([bin, 'explore', 'kube-ovn', '--variant', 'fix2+fix4', '--scenario', 'single-network', '--por', 'source-dpor', '--max-states', '3000000', '--json'], {
      NODE_OPTIONS: '--max-old-space-size=50',
    }, 110_000);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^kuberace: out of memory: the search stopped, incomplete; lower --max-states, or raise the JS heap limit \(\d+ MB\): NODE_OPTIONS=--max-old-space-size=MB\n$/);
    expect(r.stderr).not.toMatch(/internal error|    at /);
    const out = JSON.parse(r.stdout);
    expect(out.result).toBe('out-of-memory');
    expect(out.stats.complete).toBe(false);
    expect(out.stats.states).toBeGreaterThanOrEqual(10_000);
    expect(out.heapLimitMb).toBeLessThan(300);
  }, 120_000);
});

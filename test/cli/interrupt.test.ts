/**
 * Ctrl-C: check and explore print what was covered and exit 130; check shows live progress
 * (runs, runs/s, ETA) on a terminal. In-process with a simulated interrupt (the search then
 * runs in a worker thread, as in the real CLI), and once for real: SIGINT to the process
 * group of bin/kuberace.mjs, as a terminal sends it.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.ts';

const dir = tempDir();
// Searches that run long without a violation.
const CHECK = ['check', 'kube-ovn', '--variant', 'master+fix4', '--property', 'no-duplicate-address', '--runs', '1000000'];
const EXPLORE = ['explore', 'kube-ovn', '--scenario', 'single-network', '--property', 'no-duplicate-address'];

describe('Ctrl-C', () => {
  it('check: live progress on a terminal, then a summary with the seed and a command that repeats the runs; exit 130', async () => {
    const r = await run([...CHECK, '--seed', '-60901743'], { cwd: dir, stderrIsTTY: true, interruptWhen: (e) => /runs \(/.test(e) });
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/\r\u001b\[Kcheck kube-ovn: [\d,]+\/1,000,000 runs \([\d,]+ runs\/s, ETA [^)]+\)/);
    expect(r.stdout).toMatch(/^⚠ interrupted \(Ctrl-C\): kube-ovn\/master\+fix4, generated scenarios: no violation of no-duplicate-address in the runs done\n/);
    expect(r.stdout).toMatch(/^ {2}random search: at least [1-9][\d,]* of 1,000,000 runs, seed -60901743, /m);
    expect(r.stdout).toMatch(/^ {2}run again: npx kuberace check kube-ovn --variant master\+fix4 --runs 1000000 --property no-duplicate-address --seed -60901743$/m);
  }, 60_000);

  it('check in this thread (no interrupt wired) shows the same live progress on a terminal', async () => {
    const r = await run([...CHECK.slice(0, -1), '300', '--seed', '2'], { cwd: dir, stderrIsTTY: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\r\u001b\[Kcheck kube-ovn: [\d,]+\/300 runs \([\d,]+ runs\/s(, ETA [^)]+)?\)/);
    expect(r.stderr.endsWith('\r\u001b[K')).toBe(true); // the line is erased before the report
  }, 60_000);

  it('explore: the states covered as last reported, incomplete; exit 130 (and --json gives result "interrupted")', async () => {
    const r = await run(EXPLORE, { cwd: dir, stderrIsTTY: true, interruptWhen: (e) => /states \(/.test(e) });
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/^⚠ interrupted \(Ctrl-C\): kube-ovn\/v1\.12\.28, scenario single-network: no violation of no-duplicate-address in the states explored\n {2}exhaustive search: at least [1-9][\d,]* states, [\d,]+ transitions, depth \d+ \(as last reported\), .*incomplete/);
    expect(r.stdout).toMatch(/run again: npx kuberace explore kube-ovn --scenario single-network --property no-duplicate-address\n$/);
    // --json: one object with result "interrupted" (a check, which reports progress sooner).
    const j = await run([...CHECK, '--seed', '3', '--json'], { cwd: dir, stderrIsTTY: true, interruptWhen: (e) => /runs \(/.test(e) });
    expect(j.code).toBe(130);
    const o = JSON.parse(j.stdout);
    expect(o).toMatchObject({ model: 'kube-ovn', variant: 'master+fix4', mode: 'random', scenario: null, result: 'interrupted', properties: ['no-duplicate-address'], stats: { numRuns: 1000000, seed: 3 } });
    expect(o.stats.runs).toBeGreaterThan(0);
  }, 60_000);

  it('a real SIGINT to the process group of bin/kuberace.mjs: summary on stdout, exit 130', async () => {
    const bin = resolve(import.meta.dirname, '../../bin/kuberace.mjs');
    const preload = pathToFileURL(join(import.meta.dirname, '../fixtures/sigint-ready.mjs')).href;
    const env = { ...process.env, NO_COLOR: '1', NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`.trim() };
    const child = spawn(process.execPath, [bin, ...EXPLORE], { cwd: dir, detached: true, env });
    let stdout = '';
    let stderr = '';
    let ready: () => void;
    const listening = new Promise<void>((res) => (ready = res));
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      // The wrapper listens too (to forward the signal); wait for the CLI process itself.
      for (const m of stderr.matchAll(/\[sigint-listener (\d+)\]/g)) if (Number(m[1]) !== child.pid) ready();
    });
    const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    await listening;
    await new Promise((res) => setTimeout(res, 500));
    process.kill(-child.pid!, 'SIGINT'); // the whole group, as a terminal's Ctrl-C: the wrapper forwards it again
    const code = await exited;
    expect(code, `wrapper ${child.pid}: ${stderr}`).toBe(130);
    expect(stdout).toMatch(/^⚠ interrupted \(Ctrl-C\): kube-ovn\/v1\.12\.28, scenario single-network: /);
    expect(stdout).toMatch(/exhaustive search: (at least [\d,]+ states|fewer than 10,000 states)/);
    expect(stderr.replace(/\[sigint-listener \d+\]\n/g, '')).toBe('');
  }, 60_000);
});

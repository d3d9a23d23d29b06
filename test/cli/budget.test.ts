/**
 * explore's outcomes are honest: exit 0 and a green tick only for a complete search, exit 3
 * for a bounded one that found nothing, naming the budget that ended it and the depth covered
 * completely (conservatively: none for depth-first search).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, tempDir } from './helpers.ts';

const dir = tempDir();
const ONE_POD = join(import.meta.dirname, '../fixtures/kube-ovn-one-pod.yaml');
const explore = (...extra: string[]) => run(['explore', 'kube-ovn', '--scenario', ONE_POD, ...extra], { cwd: dir });
const json = async (...extra: string[]) => {
  const r = await explore(...extra, '--json');
  return { code: r.code, o: JSON.parse(r.stdout) };
};

describe('explore: complete vs bounded', () => {
  it('a complete search: exit 0, green tick, search.complete in the JSON', async () => {
    const r = await explore();
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✓ kube-ovn\/v1\.12\.28, scenario one-pod: no violation of /);
    expect(r.stdout).toMatch(/exhaustive search: [\d,]+ states, .*, complete, /);
    const { code, o } = await json();
    expect(code).toBe(0);
    expect(o.search).toEqual({ complete: true, budgets: [], coveredDepth: o.stats.maxDepth });
  });

  it('the depth budget: exit 3, says paths were cut and which depth the breadth-first phase covered', async () => {
    const r = await explore('--max-depth', '5');
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^⚠ .*found, but the search is incomplete$/m);
    expect(r.stdout).toMatch(/^ {2}paths were cut at the depth budget \(--max-depth 5\)$/m);
    // The search's own breadth-first phase reached every state within 5 steps (stats.completeDepth).
    expect(r.stdout).toMatch(/every path of up to 5 steps was checked completely/);
    const { code, o } = await json('--max-depth', '5');
    expect(code).toBe(3);
    expect(o.result).toBe('holds');
    expect(o.stats.completeDepth).toBe(5);
    expect(o.search).toEqual({ complete: false, budgets: ['depth'], coveredDepth: 5 });
  });

  it('the state budget (BFS): exit 3 and a covered depth that is sound (every state up to it fits in the budget)', async () => {
    const full = await json('--shortest');
    expect(full.code).toBe(0);
    const covered: number[] = [];
    for (const budget of [3, 10, 25, 50, 80]) {
      const { code, o } = await json('--shortest', '--max-states', String(budget));
      expect(code).toBe(3);
      expect(o.search.budgets).toContain('states');
      const c = o.search.coveredDepth as number;
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(full.o.stats.maxDepth);
      // BFS cut at depth c discovers exactly the states within c steps: they must all have been seen.
      covered.push(c);
      if (c === 0) continue; // the root alone: always seen
      const within = await json('--shortest', '--max-depth', String(c));
      expect(within.o.stats.states, `budget ${budget}, covered depth ${c}`).toBeLessThanOrEqual(budget);
    }
    expect(Math.max(...covered)).toBeGreaterThan(0); // not vacuous
    const r = await explore('--shortest', '--max-states', '50');
    expect(r.stdout).toMatch(/^ {2}stopped by the state budget \(--max-states 50\)$/m);
    expect(r.stdout).toMatch(/^ {2}every path of up to \d+ steps was checked completely$/m);
  });

  it('the time budget is named', async () => {
    const r = await run(['explore', 'kube-ovn', '--variant', 'master', '--scenario', 'single-network', '--property', 'ip-outlives-pod-and-subnet', '--max-time', '0.3', '--json'], { cwd: dir });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).search.budgets).toContain('time');
  });

  it('--help and the README document the exit codes', async () => {
    const h = await run(['--help']);
    expect(h.stdout).toMatch(/exit codes: 0 all properties hold \(explore: search complete\), 1 a property is violated,\n {2}2 bad usage or input, 3 no violation found but a budget or the memory cut the search short,/);
    expect((await run(['help', 'explore'])).stdout).toMatch(/exit 3 when nothing was found/);
  });
});

describe('README', () => {
  it('documents every exit code', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    for (const code of ['0 every property holds', '1 a property is violated', '2 bad usage or input', '3 `explore` found no violation', '4 `replay` did not reproduce', '130 interrupted']) {
      expect(readme).toContain(code);
    }
  });
});

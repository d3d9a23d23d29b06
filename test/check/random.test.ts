import { describe, expect, test } from 'vitest';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { checkRandom } from '../../src/check/random.ts';
import { toyModel, toyWithUnreachableGoal, withoutTime } from './helpers.ts';

const RACE = [
  'user: create ConfigMap/default/child',
  'deliver ConfigMap/default/child ADDED -> toy',
  'toy/children: handleChild(default/child) begin',
  'admin: delete ConfigMap/default/parent',
  'deliver ConfigMap/default/parent DELETED -> toy',
  'toy/parents: handleParentDelete(default/parent) begin',
  'toy/children: handleChild(default/child) CALL leases.acquire(child)',
];

describe('random search', () => {
  test('finds the toy race; the minimised counterexample is as short as the BFS-shortest one', () => {
    const r = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1, numRuns: 200 });
    expect(r.result).toBe('violated');
    expect(r.violation).toMatchObject({ property: 'no-leaked-lease', kind: 'atStable' });
    expect(r.violation!.message).toContain('lease child (parent parent) outlives its parent');
    const trace = r.counterexample!;
    expect(trace).toMatchObject({ format: 'kuberace-trace/1', model: 'toy', variant: 'buggy', scenarioName: 'race', found: { mode: 'random', seed: 1 } });
    expect(trace.found!.shrunkFrom).toBeGreaterThanOrEqual(trace.steps.length);

    const bfs = checkExhaustive(toyModel, { variant: 'buggy', scenario: 'race', shortest: true });
    expect(bfs.result).toBe('violated');
    expect(bfs.counterexample!.steps).toHaveLength(RACE.length);
    expect(trace.steps).toHaveLength(bfs.counterexample!.steps.length);
    expect(trace.steps).toEqual(RACE);
    expect(trace.violation.step).toBe(RACE.length);
  });

  test('finds the race in generated scenarios too (and names a generated scenario as such)', () => {
    const r = checkRandom(toyModel, { variant: 'buggy', seed: 3, numRuns: 300 });
    expect(r.result).toBe('violated');
    expect(r.violation!.property).toBe('no-leaked-lease');
    expect(r.counterexample!.scenario.ops.length).toBeGreaterThanOrEqual(2);
    expect(r.counterexample!.scenarioName).toBeUndefined();
  });

  test('the same seed gives the identical counterexample twice', () => {
    const a = checkRandom(toyModel, { variant: 'buggy', seed: 20240601, numRuns: 300 });
    const b = checkRandom(toyModel, { variant: 'buggy', seed: 20240601, numRuns: 300 });
    expect(a.result).toBe('violated');
    expect(b.counterexample).toEqual(a.counterexample);
    expect(withoutTime(b)).toEqual(withoutTime(a));
    expect(a.stats.seed).toBe(20240601);
  });

  test('the fixed toy holds under random search, and coverage shows which goals were reached', () => {
    const r = checkRandom(toyWithUnreachableGoal, { variant: 'fixed', scenario: 'race', seed: 5, numRuns: 150 });
    expect(r.result).toBe('holds');
    expect(r.stats.runs).toBe(150);
    expect(r.stats.seed).toBe(5);
    expect(r.coverage).toEqual({ 'parent-deleted-while-child-in-flight': true, 'two-leases-held': false });
  });

  test('a random shard runs its share of numRuns with seed + index', () => {
    const shard0 = checkRandom(toyModel, { variant: 'fixed', scenario: 'race', seed: 10, numRuns: 101, shard: { index: 0, count: 2 } });
    const shard1 = checkRandom(toyModel, { variant: 'fixed', scenario: 'race', seed: 10, numRuns: 101, shard: { index: 1, count: 2 } });
    expect([shard0.stats.runs, shard1.stats.runs]).toEqual([51, 50]);
    expect([shard0.stats.seed, shard1.stats.seed]).toEqual([10, 11]);
    expect(() => checkRandom(toyModel, { shard: { index: 2, count: 2 } })).toThrow(/bad shard index 2/);
  });
});

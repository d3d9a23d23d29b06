import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { UsageError } from '../../src/check/model.ts';
import { type ModelRef, checkExhaustiveParallel, checkRandomParallel, loadModel, mergeReports, subShard } from '../../src/check/parallel.ts';
import { checkRandom } from '../../src/check/random.ts';
import { parseShard } from '../../src/check/shard.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { toyModels } from '../fixtures/toy-model.ts';
import { slotsModel } from '../fixtures/slots-model.ts';
import { toyModel, toyWithUnreachableGoal } from './helpers.ts';

const slotsRef: ModelRef = { module: fileURLToPath(new URL('../fixtures/slots-model.ts', import.meta.url)), export: 'slotsModel' };
const toyRef: ModelRef = { module: fileURLToPath(new URL('../fixtures/toy-model.ts', import.meta.url)), export: 'toyModel' };

describe('parallel checks (worker threads)', () => {
  test('random search over 2 workers finds the race and minimises it in the main thread', async () => {
    const r = await checkRandomParallel(toyRef, { workers: 2, variant: 'buggy', scenario: 'race', seed: 7, numRuns: 200 });
    expect(r).toMatchObject({ model: 'toy', variant: 'buggy', mode: 'random', result: 'violated' });
    expect(r.violation!.property).toBe('no-leaked-lease');
    expect(r.counterexample!.steps).toHaveLength(7);
    expect(r.counterexample!.scenarioName).toBe('race');
    expect([7, 8]).toContain(r.counterexample!.found!.seed);
    expect(r.stats.seed).toBe(7);
    expect(replayTrace(r.counterexample!, toyModels).status).toBe('reproduced');
  });

  test('exhaustive search over 2 shards merges to complete: true on the fixed toy', async () => {
    const r = await checkExhaustiveParallel(toyRef, { workers: 2, variant: 'fixed', scenario: 'race', split: 'root' });
    const single = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race' });
    expect(r).toMatchObject({ model: 'toy', variant: 'fixed', mode: 'exhaustive', result: 'holds' });
    expect(r.stats.complete).toBe(true);
    expect(r.stats.shards).toBe(2);
    // Summed over shards: the root and shared states may be counted twice.
    expect(r.stats.states).toBeGreaterThanOrEqual(single.stats.states!);
    expect(r.coverage).toEqual({ 'parent-deleted-while-child-in-flight': true });
  });

  test('frontier split: 2 workers share one visited set, so distinct states are counted exactly once', async () => {
    // bfsStates 20 leaves a frontier for the shared DFS phase.
    for (const variant of ['fixed', 'buggy']) {
      const opts = { variant, scenario: 'two', bfsStates: 20, stopAtFirst: false, por: false } as const;
      const r = await checkExhaustiveParallel(slotsRef, { workers: 2, ...opts });
      const single = checkExhaustive(slotsModel, opts);
      expect(r.stats.shards).toBe(2);
      expect(r.stats.states).toBe(single.stats.states);
      expect(r.result).toBe(single.result);
      expect(r.stats.complete).toBe(single.stats.complete);
    }
    const big = await checkExhaustiveParallel(slotsRef, { workers: 2, variant: 'fixed', scenario: 'six', maxStates: 30_000 });
    expect(big.stats).toMatchObject({ complete: false, stoppedBy: 'states' });
    // Both workers stop near the shared budget (each notices it on its next new state).
    expect(big.stats.states).toBeGreaterThanOrEqual(30_000);
    expect(big.stats.states).toBeLessThan(30_010);
    const bug = await checkExhaustiveParallel(slotsRef, { workers: 2, variant: 'buggy', scenario: 'six' });
    expect(bug.result).toBe('violated');
    expect(bug.counterexample!.steps.length).toBeLessThanOrEqual(8);
  });

  test('bad references and options are UsageErrors', async () => {
    await expect(checkExhaustiveParallel({ ...toyRef, export: 'nope' }, { workers: 2 })).rejects.toThrow(/has no model export "nope"/);
    await expect(checkExhaustiveParallel(toyRef, { workers: 2, variant: 'v9' })).rejects.toThrow(UsageError);
    await expect(checkRandomParallel(toyRef, { workers: 0 })).rejects.toThrow(/bad worker count 0/);
    await expect(loadModel({ module: '/no/such/model.ts' })).rejects.toThrow(/cannot import model module/);
  });
});

describe('shards without workers (CI matrix) and mergeReports', () => {
  test('--shard i/n is 1-based and maps to the 0-based shard option', () => {
    expect(parseShard('1/3')).toEqual({ index: 0, count: 3 });
    expect(parseShard('3/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '2', '']) expect(() => parseShard(bad)).toThrow(UsageError);
    // A CI job's shard split again over workers stays disjoint.
    expect([0, 1].map((k) => subShard({ index: 1, count: 3 }, k, 2))).toEqual([
      { index: 1, count: 6 },
      { index: 4, count: 6 },
    ]);
  });

  test('exhaustive shards merge like the parallel check; coverage is the union', () => {
    const shards = [0, 1].map((index) => checkExhaustive(toyWithUnreachableGoal, { variant: 'fixed', scenario: 'race', shard: { index, count: 2 } }));
    const merged = mergeReports(shards);
    expect(merged).toMatchObject({ result: 'holds', stats: { complete: true, shards: 2 } });
    expect(merged.stats.states).toBe(shards[0].stats.states! + shards[1].stats.states!);
    expect(merged.stats.transitions).toBe(shards[0].stats.transitions! + shards[1].stats.transitions!);
    expect(merged.stats.maxDepth).toBe(Math.max(shards[0].stats.maxDepth!, shards[1].stats.maxDepth!));
    expect(merged.coverage).toEqual({ 'parent-deleted-while-child-in-flight': true, 'two-leases-held': false });
    // One incomplete shard makes the whole incomplete.
    const cut = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', shard: { index: 0, count: 2 }, maxDepth: 2 });
    expect(mergeReports([cut, shards[1]]).stats.complete).toBe(false);
  });

  test('a violated shard makes the merge violated; random shards sum their runs', () => {
    const holds = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 3, numRuns: 1 });
    const violated = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1, numRuns: 200 });
    expect(violated.result).toBe('violated');
    const merged = mergeReports([holds, violated]);
    expect(merged.result).toBe('violated');
    expect(merged.counterexample).toEqual(violated.counterexample);
    expect(merged.stats.runs).toBe((holds.stats.runs ?? 0) + violated.stats.runs!);
    // The shortest counterexample is kept.
    const longer = checkRandom(toyModel, { variant: 'buggy', seed: 2, numRuns: 300 });
    expect(longer.counterexample!.steps.length).toBeGreaterThan(violated.counterexample!.steps.length);
    expect(mergeReports([longer, violated]).counterexample).toEqual(violated.counterexample);
    expect(mergeReports([violated, longer]).counterexample).toEqual(violated.counterexample);
    expect(() => mergeReports([])).toThrow(UsageError);
    const fixed = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race' });
    expect(() => mergeReports([holds, fixed])).toThrow(/cannot merge reports of different checks/);
  });
});

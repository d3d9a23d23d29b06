import { describe, expect, test } from 'vitest';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { toyModel, toyWithUnreachableGoal } from './helpers.ts';
import { slotsModel } from '../fixtures/slots-model.ts';

describe('exhaustive search', () => {
  test('proves the fixed toy: complete, holds, with state and transition counts; POR explores fewer transitions', () => {
    const por = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', bfsStates: 0 });
    const full = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', por: false, bfsStates: 0 });
    for (const r of [por, full]) {
      expect(r).toMatchObject({ model: 'toy', variant: 'fixed', mode: 'exhaustive', result: 'holds' });
      expect(r.stats.complete).toBe(true);
      expect(r.stats.states).toBeGreaterThan(1);
      expect(r.stats.transitions).toBeGreaterThanOrEqual(r.stats.states! - 1);
      expect(r.counterexample).toBeUndefined();
    }
    expect(por.stats.transitions).toBeLessThan(full.stats.transitions!);
    expect(por.stats.states).toBeLessThanOrEqual(full.stats.states!);
  });

  test('finds the buggy toy race, with and without POR', () => {
    for (const por of [true, false]) {
      const r = checkExhaustive(toyModel, { variant: 'buggy', scenario: 'race', por });
      expect(r.result).toBe('violated');
      expect(r.violation!.property).toBe('no-leaked-lease');
      expect(r.counterexample!.found).toEqual({ mode: 'exhaustive' });
      expect(r.stats.complete).toBe(false);
    }
  });

  test('sometimes coverage on a passing check: reached for a reachable goal, not for an unreachable one', () => {
    const r = checkExhaustive(toyWithUnreachableGoal, { variant: 'fixed', scenario: 'race' });
    expect(r.result).toBe('holds');
    expect(r.stats.complete).toBe(true);
    expect(r.coverage).toEqual({ 'parent-deleted-while-child-in-flight': true, 'two-leases-held': false });
  });

  test('shards of the root branches: each complete, together the whole space', () => {
    const whole = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race' });
    const parts = [0, 1].map((index) => checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', shard: { index, count: 2 } }));
    for (const p of parts) expect(p).toMatchObject({ result: 'holds', stats: { complete: true } });
    // Each shard counts the root; shared states may be counted by both.
    expect(parts[0].stats.states! + parts[1].stats.states!).toBeGreaterThanOrEqual(whole.stats.states!);
  });
});

test('a shard outside 0..count-1 is refused instead of proving nothing', () => {
  expect(() => checkExhaustive(toyModel, { variant: 'fixed', shard: { index: 2, count: 2 } })).toThrow(/bad shard index 2: must be 0\.\.1/);
  expect(() => checkExhaustive(toyModel, { variant: 'fixed', shard: { index: 0, count: 0 } })).toThrow(/bad shard count 0/);
});

describe('breadth-first phase before the DFS (shallow bugs first, completeDepth, stoppedBy)', () => {
  test('a shallow race in a large space: the default search finds the 8-step counterexample, DFS alone a deep one', () => {
    const dfsOnly = checkExhaustive(slotsModel, { variant: 'buggy', scenario: 'six', bfsStates: 0 });
    const dflt = checkExhaustive(slotsModel, { variant: 'buggy', scenario: 'six' });
    const bfs = checkExhaustive(slotsModel, { variant: 'buggy', scenario: 'six', shortest: true });
    expect(dflt.result).toBe('violated');
    expect(dflt.counterexample!.steps.length).toBe(bfs.counterexample!.steps.length);
    expect(dflt.counterexample!.steps.length).toBeLessThanOrEqual(8);
    expect(dfsOnly.counterexample!.steps.length).toBeGreaterThan(20);
    // Every level before the violating one was explored completely.
    expect(dflt.stats.completeDepth).toBe(dflt.counterexample!.steps.length - 2);
  });

  test('stopped on the state budget: stoppedBy states, and every state within completeDepth was explored', () => {
    const r = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', maxStates: 20, bfsStates: 15 });
    expect(r.stats).toMatchObject({ complete: false, stoppedBy: 'states' });
    const d = r.stats.completeDepth!;
    expect(d).toBeGreaterThanOrEqual(1);
    // The states within d steps, counted by a breadth-first search cut at depth d.
    const within = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', shortest: true, maxDepth: d });
    expect(within.stats.stoppedBy).toBe('depth');
    expect(within.stats.completeDepth).toBe(d);
    expect(r.stats.states).toBeGreaterThanOrEqual(within.stats.states!);
  });

  test('complete searches cover their whole depth; a depth cut says so', () => {
    for (const bfsStates of [0, 5, undefined]) {
      const r = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', bfsStates });
      expect(r.stats).toMatchObject({ complete: true, completeDepth: r.stats.maxDepth });
      expect(r.stats.stoppedBy).toBeUndefined();
    }
    const cut = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', maxDepth: 3, bfsStates: 0 });
    expect(cut.stats).toMatchObject({ complete: false, stoppedBy: 'depth' });
  });

  test('the breadth-first phase and DFS-only reach the same states on a complete search', () => {
    const a = checkExhaustive(slotsModel, { variant: 'fixed', scenario: 'two', bfsStates: 0, por: false });
    const b = checkExhaustive(slotsModel, { variant: 'fixed', scenario: 'two', bfsStates: 30, por: false });
    expect(a.result).toBe('holds');
    expect(b.stats.states).toBe(a.stats.states);
    expect(b.stats.complete).toBe(true);
  });
});

describe('fairness bound (maxInformerLag)', () => {
  test('a bound no path reaches changes nothing; a tight one prunes and says the search is complete only within it', () => {
    const free = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', por: false });
    const loose = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', por: false, maxInformerLag: 50 });
    expect(loose.stats.states).toBe(free.stats.states);
    expect(loose.stats).toMatchObject({ complete: true, lagBound: 50, lagPruned: 0, completeWithinLag: true });
    const tight = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', por: false, maxInformerLag: 0 });
    expect(tight.stats.lagPruned).toBeGreaterThan(0);
    expect(tight.stats.states).toBeLessThan(free.stats.states!);
    expect(tight.stats).toMatchObject({ complete: false, completeWithinLag: true });
    // A violation is still found within a bound that lets its events queue.
    expect(checkExhaustive(toyModel, { variant: 'buggy', scenario: 'race', maxInformerLag: 50 }).result).toBe('violated');
  });
});

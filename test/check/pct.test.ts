/** PCT schedules: deterministic per seed, replayable as ids, and found by checkRandom's pct/mixed strategies. */
import { describe, expect, test } from 'vitest';
import { contextFor, target } from '../../src/check/context.ts';
import { execute } from '../../src/check/execute.ts';
import { checkRandom } from '../../src/check/random.ts';
import { toyModel } from './helpers.ts';

const ctxOf = (variant: string) => contextFor(target(toyModel, { variant }), 'race');

describe('PCT schedules', () => {
  test('a seed and depth fully determine the run, which replays strictly from its ids', () => {
    const ctx = ctxOf('buggy');
    const runs = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const a = execute(ctx, { kind: 'pct', seed, depth: 2, maxSteps: 40 });
      const b = execute(ctx, { kind: 'pct', seed, depth: 2, maxSteps: 40 });
      expect(b.ids).toEqual(a.ids);
      const replay = execute(ctx, { kind: 'ids', ids: a.ids, strict: true });
      expect(replay.ids).toEqual(a.ids);
      expect(replay.violation?.property).toBe(a.violation?.property);
      runs.add(a.ids.join('\n'));
    }
    // Different seeds give different schedules.
    expect(runs.size).toBeGreaterThan(3);
  });

  test.each(['pct', 'mixed'] as const)('checkRandom with strategy %s finds the toy race and minimises it', (strategy) => {
    const r = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1, numRuns: 500, strategy });
    expect(r.result).toBe('violated');
    expect(r.violation!.property).toBe('no-leaked-lease');
    const again = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1, numRuns: 500, strategy });
    expect(again.counterexample!.steps).toEqual(r.counterexample!.steps);
    // The trace replays strictly on the model.
    const run = execute(ctxOf('buggy'), { kind: 'ids', ids: r.counterexample!.steps, strict: true });
    expect(run.violation?.property).toBe('no-leaked-lease');
  });

  test('the fixed toy holds under PCT schedules too', () => {
    const r = checkRandom(toyModel, { variant: 'fixed', scenario: 'race', seed: 2, numRuns: 200, strategy: 'pct' });
    expect(r.result).toBe('holds');
  });
});

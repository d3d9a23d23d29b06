/**
 * Properties with history (a `history` reducer kept along the path): stated where a memoryless
 * property cannot (both orders of two commuting patches end in worlds with one fingerprint),
 * found by random and exhaustive search (DFS and BFS), holding where it holds, sound with the
 * visited set (a world seen again under another history is explored again) and with POR off.
 */
import { describe, expect, test } from 'vitest';
import { contextFor, target } from '../../src/check/context.ts';
import { execute } from '../../src/check/execute.ts';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { stableJson, stateKey } from '../../src/check/history.ts';
import { checkRandom } from '../../src/check/random.ts';
import { fingerprint } from '../../src/engine/fingerprint.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { historyModel } from '../fixtures/history-model.ts';

const models = { [historyModel.name]: historyModel };
const A = 'a: patch ConfigMap/default/x {"data":{"v":"patched"}}';
const B = 'b: patch ConfigMap/default/y {"data":{"v":"patched"}}';

describe('history properties', () => {
  test('both orders end in worlds with one fingerprint: no memoryless property can tell them apart', () => {
    const ctx = contextFor(target(historyModel, { properties: ['x-patched-first'] }), 'racing');
    const ab = execute(ctx, { kind: 'ids', ids: [A, B], strict: true }, { settle: false });
    const ba = execute(ctx, { kind: 'ids', ids: [B, A], strict: true }, { settle: false });
    expect(fingerprint(ab.world, 'time-abstract')).toBe(fingerprint(ba.world, 'time-abstract'));
    // The history property tells them apart: only b-then-a violates it.
    expect(execute(ctx, { kind: 'ids', ids: [A, B], strict: true }).violation).toBeUndefined();
    expect(execute(ctx, { kind: 'ids', ids: [B, A], strict: true }).violation).toMatchObject({ property: 'x-patched-first', kind: 'atStable', message: 'y was patched before x' });
  });

  test('exhaustive DFS finds the atStable violation (the second order reaches a visited world with another history)', () => {
    const r = checkExhaustive(historyModel, { scenario: 'racing', properties: ['x-patched-first'] });
    expect(r.result).toBe('violated');
    expect(r.violation).toMatchObject({ property: 'x-patched-first', message: 'y was patched before x' });
    expect(r.counterexample!.steps).toEqual([B, A]);
    expect(replayTrace(r.counterexample!, models).status).toBe('reproduced');
  });

  test('with POR asked for, the history property still turns it off (sleep sets would skip the b-then-a order)', () => {
    const r = checkExhaustive(historyModel, { scenario: 'racing', properties: ['x-patched-first'], por: true, stopAtFirst: false });
    expect(r.result).toBe('violated');
    // Root, a, b, and the final world twice (one per history): 5 states; with POR and the world alone there would be 4.
    expect(r.stats.states).toBe(5);
  });

  test('BFS finds the shortest violation of the always form, and random search finds both', () => {
    const bfs = checkExhaustive(historyModel, { scenario: 'racing', properties: ['never-y-first'], shortest: true });
    expect(bfs.counterexample!.steps).toEqual([B]);
    const rnd = checkRandom(historyModel, { scenario: 'racing', properties: ['x-patched-first'], seed: 3, numRuns: 50 });
    expect(rnd.result).toBe('violated');
    expect(rnd.counterexample!.steps).toEqual([B, A]);
    expect(replayTrace(rnd.counterexample!, models).status).toBe('reproduced');
  });

  test('holds, completely, when x is always patched first', () => {
    for (const shortest of [false, true]) {
      const r = checkExhaustive(historyModel, { scenario: 'ordered', properties: ['x-patched-first', 'never-y-first'], shortest });
      expect(r.result).toBe('holds');
      expect(r.stats.complete).toBe(true);
    }
    expect(checkRandom(historyModel, { scenario: 'ordered', properties: ['x-patched-first', 'never-y-first'], seed: 1, numRuns: 30 }).result).toBe('holds');
  });

  test('a history that grows along the path makes paths distinct states (the cost the doc comment warns of)', () => {
    const bounded = checkExhaustive(historyModel, { scenario: 'racing', properties: ['x-patched-first'], stopAtFirst: false });
    const growing = checkExhaustive(historyModel, { scenario: 'racing', properties: ['steps-patched'] });
    expect(growing.result).toBe('holds');
    expect(growing.stats.complete).toBe(true);
    expect(bounded.stats.states).toBe(5);
    expect(growing.stats.states).toBe(5); // x patched at step 1 (a first) or 2 (b first): counts 2 vs 1 at the end
  });

  test('state keys: equal histories keep the fingerprint, different ones change it; JSON is key-order independent', () => {
    expect(stateKey(12345, undefined)).toBe(12345);
    expect(stateKey(12345, ['x'])).toBe(stateKey(12345, ['x']));
    expect(stateKey(12345, ['x'])).not.toBe(stateKey(12345, ['y']));
    expect(stableJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
  });
});

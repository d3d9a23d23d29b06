/** Trace fingerprints: recorded on every counterexample, stable, and a replay tells an edited property or config from a fixed bug. */
import { describe, expect, it } from 'vitest';
import { defineModel } from '../../src/check/model.ts';
import { atStable } from '../../src/check/property.ts';
import { checkRandom } from '../../src/check/random.ts';
import { checkDefinitions, definitionsOf, describeDefinitions } from '../../src/trace/definitions.ts';
import { parseTrace, formatTrace } from '../../src/trace/format.ts';
import { replayTrace } from '../../src/trace/replay.ts';
import { noLeakedLease, parentDeletedWhileChildInFlight, toyModel } from '../fixtures/toy-model.ts';

const trace = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1, numRuns: 200 }).counterexample!;

describe('trace definitions fingerprints', () => {
  it('a counterexample records the config and property fingerprints; they survive the file format', () => {
    expect(trace.definitions).toEqual({ config: expect.stringMatching(/^[0-9a-f]{16}$/), property: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(trace.definitions).toEqual(definitionsOf(toyModel, 'buggy', 'no-leaked-lease'));
    expect(parseTrace(formatTrace(trace)).definitions).toEqual(trace.definitions);
    expect(definitionsOf(toyModel, 'fixed', 'no-leaked-lease').config).not.toBe(trace.definitions!.config);
  });

  it('config key order and white space in the check source do not matter; the check text does', () => {
    const reordered = defineModel({ ...toyModel, variants: { ...toyModel.variants, buggy: { description: 'other words', config: { fixed: false } } } });
    expect(definitionsOf(reordered, 'buggy', 'no-leaked-lease')).toEqual(trace.definitions);
    const a = defineModel({ ...toyModel, properties: [atStable('no-leaked-lease', (v) => v.world.steps >= 0)] });
    const b = defineModel({ ...toyModel, properties: [atStable('no-leaked-lease', (v) =>   v.world.steps   >=   0)] });
    const c = defineModel({ ...toyModel, properties: [atStable('no-leaked-lease', (v) => v.world.steps > 0)] });
    expect(definitionsOf(a, 'buggy', 'no-leaked-lease').property).toBe(definitionsOf(b, 'buggy', 'no-leaked-lease').property);
    expect(definitionsOf(a, 'buggy', 'no-leaked-lease').property).not.toBe(definitionsOf(c, 'buggy', 'no-leaked-lease').property);
  });

  it('replay against the same model: unchanged; an older trace: not recorded', () => {
    expect(replayTrace(trace, { toy: toyModel }).definitions).toEqual({ status: 'unchanged' });
    const { definitions: _d, ...old } = trace;
    const r = replayTrace(old, { toy: toyModel });
    expect(r.status).toBe('reproduced');
    expect(r.definitions).toEqual({ status: 'not-recorded' });
    expect(describeDefinitions(r.definitions, 'buggy', 'no-leaked-lease')).toMatch(/no fingerprint recorded/);
  });

  it('an edited property that no longer fires: replay holds on its own variant and reports the property drift', () => {
    const edited = defineModel({ ...toyModel, properties: [atStable(noLeakedLease.name, () => true), parentDeletedWhileChildInFlight] });
    const r = replayTrace(trace, { toy: edited });
    expect(r.variant).toBe(r.recordedVariant);
    expect(r.status).toBe('holds');
    expect(r.definitions).toEqual({ status: 'changed', property: true, config: false });
    expect(describeDefinitions(r.definitions, 'buggy', 'no-leaked-lease')).toBe('definitions: drift: property no-leaked-lease changed since the trace was recorded');
  });

  it('an edited variant config is drift too', () => {
    const edited = defineModel({ ...toyModel, variants: { ...toyModel.variants, buggy: { ...toyModel.variants.buggy, config: { fixed: false, extra: 1 } as never } } });
    expect(checkDefinitions(edited, 'buggy', 'no-leaked-lease', trace.definitions)).toEqual({ status: 'changed', config: true, property: false });
  });

  it('a malformed definitions field is a clear format error', () => {
    expect(() => parseTrace(JSON.stringify({ ...trace, definitions: { config: 3 } }))).toThrow(/"definitions" must be an object with a "config" fingerprint/);
  });
});

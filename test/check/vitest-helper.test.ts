import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as fcTest } from '@fast-check/vitest';
import * as fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { checkRandom } from '../../src/check/random.ts';
import { CounterexampleError, expectHolds, kuberaceProperty, replayCommandFor } from '../../src/check/vitest.ts';
import { defineModel } from '../../src/check/model.ts';
import { main } from '../../src/cli/main.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import { readTraceFile, replayTrace } from '../../src/trace/replay.ts';
import { toyModels } from '../fixtures/toy-model.ts';
import { tempDir, toyModel, toyWithUnreachableGoal } from './helpers.ts';

const dir = tempDir();
const RACE_LAST = 'toy/children: handleChild(default/child) CALL leases.acquire(child)';

/** The error a call throws. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('did not throw');
}

/** The replay command's file, as a path to read. */
function fileOf(err: CounterexampleError): string {
  const m = /^replay: npx kuberace replay --model test\/fixtures\/toy-model\.ts (.+)$/m.exec(err.message);
  expect(m).not.toBeNull();
  expect(err.replayCommand).toBe(`npx kuberace replay --model test/fixtures/toy-model.ts ${m![1]}`);
  return m![1];
}

describe('kuberaceProperty', () => {
  test('fc.assert on the buggy toy fails with a CounterexampleError: property, message, minimised steps, replay command', () => {
    const p = kuberaceProperty(toyModel, { variant: 'buggy', scenario: 'race', dir });
    const err = thrown(() => fc.assert(p, { seed: 42 }));
    // fast-check's own report, caused by the finalised counterexample.
    expect(err.message).toMatch(/^Property failed after \d+ tests/);
    const cx = err.cause as CounterexampleError;
    expect(cx).toBeInstanceOf(CounterexampleError);
    expect(cx.finalized).toBe(true);
    expect(cx.violation.property).toBe('no-leaked-lease');
    const lines = cx.message.split('\n');
    expect(lines[0]).toBe('toy/buggy: property "no-leaked-lease" (atStable) violated after step 7: lease child (parent parent) outlives its parent');
    expect(lines[1]).toMatch(/^scenario race, 7 steps/);
    expect(lines[2]).toBe('  1. user: create ConfigMap/default/child');
    expect(lines[8]).toBe(`  7. ${RACE_LAST}`);
    expect(lines[9]).toMatch(/^replay: npx kuberace replay --model test\/fixtures\/toy-model\.ts .*toy-buggy-no-leaked-lease-[0-9a-f]{10}\.json$/);
    expect(cx.stack!.split('\n')[0]).toBe(`CounterexampleError: ${lines[0]}`);
    // The file is there and replays to the same violation.
    const file = fileOf(cx);
    expect(file).toBe(cx.file);
    const r = replayTrace(readTraceFile(file), toyModels);
    expect(r.status).toBe('reproduced');
    expect(readTraceFile(file).steps).toEqual(cx.trace.steps);
  });

  test('with p.parameters the CounterexampleError is thrown as it is, with fast-check seed and path in the trace', () => {
    const p = kuberaceProperty(toyModel, { variant: 'buggy', scenario: 'race', dir });
    const err = thrown(() => fc.assert(p, { ...p.parameters, seed: 42 }));
    expect(err).toBeInstanceOf(CounterexampleError);
    const cx = err as CounterexampleError;
    expect(cx.trace.found).toMatchObject({ mode: 'random', seed: 42 });
    expect(cx.trace.found!.path).toMatch(/^\d+(:\d+)*$/);
    expect(readTraceFile(fileOf(cx)).found).toEqual(cx.trace.found);
    // Even without shrinking the reporter minimises and writes it.
    const early = thrown(() => fc.assert(p, { ...p.parameters, seed: 42, endOnFailure: true })) as CounterexampleError;
    expect(early).toBeInstanceOf(CounterexampleError);
    expect(early.finalized).toBe(true);
    expect(early.trace.steps).toHaveLength(7);
    expect(readTraceFile(fileOf(early)).steps).toEqual(early.trace.steps);
  });

  test('the same seed gives the identical counterexample twice', () => {
    const run = () => thrown(() => fc.assert(kuberaceProperty(toyModel, { variant: 'buggy', dir }), { seed: 7 })).cause as CounterexampleError;
    const a = run();
    const b = run();
    expect(b.trace).toEqual(a.trace);
    expect(b.message).toBe(a.message);
  });

  test('passes on the fixed toy (generated scenarios and the race scenario)', () => {
    expect(() => fc.assert(kuberaceProperty(toyModel, { variant: 'fixed', dir }), { seed: 1, numRuns: 100 })).not.toThrow();
    const p = kuberaceProperty(toyModel, { variant: 'fixed', scenario: 'race', dir });
    expect(() => fc.assert(p, { ...p.parameters, seed: 2, numRuns: 100 })).not.toThrow();
  });

  test('dir: false writes nothing; an unknown variant is a UsageError at once', () => {
    const before = existsSync(dir) ? readdirSync(dir).length : 0;
    const cx = thrown(() => fc.assert(kuberaceProperty(toyModel, { variant: 'buggy', scenario: 'race', dir: false }), { seed: 42 })).cause as CounterexampleError;
    expect(cx.file).toBeUndefined();
    expect(cx.message).not.toContain('replay:');
    expect(readdirSync(dir).length).toBe(before);
    expect(() => kuberaceProperty(toyModel, { variant: 'v9' })).toThrow(/unknown variant "v9"/);
  });

  test('a trace file that cannot be written is reported in the message, not thrown', () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the directory should be');
    const cx = thrown(() => fc.assert(kuberaceProperty(toyModel, { variant: 'buggy', scenario: 'race', dir: blocked }), { seed: 42 })).cause as CounterexampleError;
    expect(cx.finalized).toBe(true);
    expect(cx.file).toBeUndefined();
    expect(cx.writeError).toBeDefined();
    expect(cx.message.split('\n').at(-1)).toMatch(/^\(could not write the trace file: /);
    expect(cx.trace.steps).toHaveLength(7);
  });
});

describe('@fast-check/vitest test.prop', () => {
  const fixed = kuberaceProperty(toyModel, { variant: 'fixed', scenario: 'race', dir });
  fcTest.prop(fixed.arbitraries, { ...fixed.parameters, numRuns: 50 })('the fixed toy holds', fixed.predicate);

  const buggy = kuberaceProperty(toyModel, { variant: 'buggy', scenario: 'race', dir });
  fcTest.fails.prop(buggy.arbitraries, { ...buggy.parameters, seed: 42 })('the buggy toy fails (expected failure)', buggy.predicate);

  test('the buggy toy predicate throws a finalisable CounterexampleError', () => {
    // The default schedule of the race scenario is benign; this one is the race.
    const err = thrown(() => buggy.predicate(toyModel.scenarios.race, [0, 0, 0, 1, 0, 1, 0]));
    expect(err).toBeInstanceOf(CounterexampleError);
    const cx = err as CounterexampleError;
    expect(cx.finalized).toBe(false);
    expect(cx.message).toContain('(provisional: not minimised');
    cx.finalize();
    expect(cx.finalized).toBe(true);
    expect(cx.trace.steps.at(-1)).toBe(RACE_LAST);
    expect(existsSync(cx.file!)).toBe(true);
    expect(cx.message).toContain(`replay: npx kuberace replay --model test/fixtures/toy-model.ts ${cx.file}`);
  });
});

describe('the replay command of a counterexample works for the model at hand', () => {
  test('a user model: --model the file defineModel was called from; the printed command runs', async () => {
    const cx = thrown(() => expectHolds(checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1 }), { dir })) as CounterexampleError;
    const words = cx.replayCommand!.split(' ');
    expect(words.slice(0, 5)).toEqual(['npx', 'kuberace', 'replay', '--model', 'test/fixtures/toy-model.ts']);
    let out = '';
    const code = await main(words.slice(2), { stdout: (t) => void (out += t), stderr: (t) => void (out += t), stdoutIsTTY: false, stderrIsTTY: false, env: {}, cwd: process.cwd() });
    expect(code, out).toBe(1);
    expect(out).toMatch(/toy\/buggy: reproduced: no-leaked-lease/);
  });

  test('a bundled model needs no --model; modelModule overrides; a model of a test file gets a placeholder', () => {
    expect(replayCommandFor(kubeOvnModel)).toBe('npx kuberace replay');
    expect(replayCommandFor('kube-ovn')).toBe('npx kuberace replay');
    expect(replayCommandFor(toyModel, './src/my model.ts')).toBe("npx kuberace replay --model './src/my model.ts'");
    const inTest = defineModel({ ...toyModel, name: 'defined-in-a-test' });
    expect(replayCommandFor(inTest)).toBe('npx kuberace replay --model <module exporting "defined-in-a-test">');
    const p = kuberaceProperty(toyModel, { variant: 'buggy', scenario: 'race', dir: false, modelModule: 'lib/toy.ts' });
    const err = thrown(() => fc.assert(p, { ...p.parameters, seed: 42 })) as CounterexampleError;
    expect(err.message).not.toContain('replay:'); // no file written, no command
    expect(thrown(() => expectHolds(checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1 }), { dir, modelModule: 'lib/toy.ts' })).message).toMatch(/^replay: npx kuberace replay --model lib\/toy\.ts \S+\.json$/m);
  });
});

describe('expectHolds', () => {
  test('passes for a report that holds, and can require completeness and reached goals', () => {
    const report = checkExhaustive(toyWithUnreachableGoal, { variant: 'fixed', scenario: 'race' });
    expect(() => expectHolds(report, { complete: true, reached: ['parent-deleted-while-child-in-flight'] })).not.toThrow();
    expect(() => expectHolds(report, { reached: 'all' })).toThrow('toy/fixed (exhaustive): holds, but never reached: two-leases-held');
    const cut = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race', maxDepth: 3 });
    expect(() => expectHolds(cut, { complete: true })).toThrow(/^toy\/fixed \(exhaustive\): holds, but the search was not complete \(\d+ states/);
  });

  test('complete: true also requires a stable state (atStable properties are checked only there)', () => {
    const report = checkExhaustive(toyModel, { variant: 'fixed', scenario: 'race' });
    expect(report.stats.stableStates).toBeGreaterThan(0);
    expect(() => expectHolds(report, { complete: true })).not.toThrow();
    // The same complete search as if no path had settled: a vacuous pass must not look like one.
    const unsettled = { ...report, stats: { ...report.stats, stableStates: 0 } };
    expect(() => expectHolds(unsettled, { complete: true })).toThrow(/holds, but vacuously for atStable properties: the search reached no stable state/);
    expect(() => expectHolds(unsettled, { complete: 'ignore-stable' })).not.toThrow();
  });

  test('throws a readable CounterexampleError for a violated report, with the trace written', () => {
    const report = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1 });
    const err = thrown(() => expectHolds(report, { dir }));
    expect(err).toBeInstanceOf(CounterexampleError);
    expect(err.message.split('\n')[0]).toBe('toy/buggy: property "no-leaked-lease" (atStable) violated after step 7: lease child (parent parent) outlives its parent');
    expect(readTraceFile(fileOf(err as CounterexampleError))).toEqual(report.counterexample);
  });
});

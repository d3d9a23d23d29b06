import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { ModelChangedError } from '../../src/check/execute.ts';
import { UsageError } from '../../src/check/model.ts';
import { checkRandom } from '../../src/check/random.ts';
import { type TraceFile, TraceFormatError, parseTrace } from '../../src/trace/format.ts';
import { describeReplay, readTraceFile, replayTrace, writeTraceFile } from '../../src/trace/replay.ts';
import { toyModels } from '../fixtures/toy-model.ts';
import { tempDir, toyModel } from './helpers.ts';

const dir = tempDir();
const found = checkRandom(toyModel, { variant: 'buggy', scenario: 'race', seed: 1, numRuns: 200 });
const trace = found.counterexample!;

/** The one-line error a bad file gives. */
function formatError(path: string): TraceFormatError {
  try {
    readTraceFile(path);
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    expect((e as Error).message).not.toContain('\n');
    return e as TraceFormatError;
  }
  throw new Error(`${path} was accepted`);
}

describe('trace files and replay', () => {
  test('a written counterexample reads back equal and replays to the same violation at the same step', () => {
    const file = join(dir, 'sub', 'race.json');
    writeTraceFile(file, trace);
    const back = readTraceFile(file);
    expect(back).toEqual(trace);
    const r = replayTrace(back, toyModels);
    expect(r).toMatchObject({ status: 'reproduced', reproduced: true, stillViolated: true, strict: true, variant: 'buggy', recordedVariant: 'buggy', skipped: [] });
    expect(r.violation).toEqual(trace.violation);
    expect(r.steps).toEqual(trace.steps);
    expect(r.log).toHaveLength(trace.steps.length);
    expect(r.log[6].notes.join(' ')).toContain('leases.acquire');
    expect(describeReplay(r)).toBe('toy/buggy: reproduced: no-leaked-lease violated after step 7: lease child (parent parent) outlives its parent');
  });

  test('an exhaustive counterexample replays too', () => {
    const ex = checkExhaustive(toyModel, { variant: 'buggy', scenario: 'race' }).counterexample!;
    expect(replayTrace(parseTrace(JSON.stringify(ex)), toyModels).status).toBe('reproduced');
  });

  test('replayed against the fixed variant, the violation no longer occurs', () => {
    const r = replayTrace(trace, toyModels, { variant: 'fixed' });
    expect(r).toMatchObject({ status: 'holds', reproduced: false, stillViolated: false, strict: false, variant: 'fixed', recordedVariant: 'buggy' });
    expect(r.violation).toBeUndefined();
    expect(r.skipped).toEqual([{ step: 7, id: 'toy/children: handleChild(default/child) CALL leases.acquire(child)' }]);
    expect(describeReplay(r)).toMatch(/^toy\/fixed \(recorded on buggy\): holds: no-leaked-lease is no longer violated/);
    // Strictly, the fixed variant's handlers stop at the lock the trace never took.
    expect(() => replayTrace(trace, toyModels, { variant: 'fixed', strict: true })).toThrow(ModelChangedError);
  });

  test('a step that is no longer enabled: "model changed at step N"', () => {
    const changed: TraceFile = { ...trace, steps: trace.steps.map((s, i) => (i === 3 ? 'admin: delete ConfigMap/default/gone' : s)) };
    let err: unknown;
    try {
      replayTrace(changed, toyModels);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ModelChangedError);
    expect((err as Error).message).toBe(
      'model changed at step 4: expected "admin: delete ConfigMap/default/gone", enabled now: "toy/children: handleChild(default/child) CALL leases.acquire(child)", "admin: delete ConfigMap/default/parent"',
    );
    expect(() => replayTrace(trace, toyModels, { variant: 'fixed', strict: true })).toThrow(
      /^model changed at step 7: expected "toy\/children: handleChild\(default\/child\) CALL leases.acquire\(child\)", enabled now: .*LOCK parentKey/,
    );
  });

  test('unknown model or variant: UsageError', () => {
    expect(() => replayTrace({ ...trace, model: 'nope' }, toyModels)).toThrow(new UsageError('unknown model "nope" in trace (known: toy)'));
    expect(() => replayTrace({ ...trace, variant: 'v9' }, toyModels)).toThrow(/^unknown variant "v9" \(recorded in the trace\) of model toy \(known: buggy, fixed\)$/);
    expect(() => replayTrace(trace, toyModels, { variant: 'v9' })).toThrow(UsageError);
  });

  test('a missing file, a directory, a corrupted file, a non-JSON file, a wrong-version file: one-line TraceFormatErrors', () => {
    const good = join(dir, 'good.json');
    writeTraceFile(good, trace);
    const text = readFileSync(good, 'utf8');

    expect(formatError(join(dir, 'missing.json')).message).toBe(`${join(dir, 'missing.json')}: cannot read trace file (no such file)`);
    expect(formatError(dir).message).toBe(`${dir}: cannot read trace file (is a directory)`);

    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, text.slice(0, Math.floor(text.length / 2)));
    expect(formatError(truncated).message).toMatch(/truncated\.json: not valid JSON \(/);

    const nonJson = join(dir, 'notes.txt');
    writeFileSync(nonJson, 'hello\nthis is not a trace\n');
    expect(formatError(nonJson).message).toMatch(/notes\.txt: not valid JSON \(Unexpected token .*\)$/);

    const v2 = join(dir, 'v2.json');
    writeFileSync(v2, text.replace('"kuberace-trace/1"', '"kuberace-trace/2"'));
    expect(formatError(v2).message).toBe(`${v2}: unsupported trace format "kuberace-trace/2" (this kuberace reads "kuberace-trace/1")`);

    const other = join(dir, 'other.json');
    writeFileSync(other, JSON.stringify({ name: 'package', version: '1.0.0' }));
    expect(formatError(other).message).toBe(`${other}: not a kuberace trace (missing "format": "kuberace-trace/1")`);

    const badSteps = join(dir, 'bad-steps.json');
    writeFileSync(badSteps, JSON.stringify({ ...trace, steps: [1, 2] }));
    expect(formatError(badSteps).message).toBe(`${badSteps}: "steps" must be an array of action ids`);

    const badKind = join(dir, 'bad-kind.json');
    writeFileSync(badKind, JSON.stringify({ ...trace, violation: { ...trace.violation, kind: 'eventually' } }));
    expect(formatError(badKind).message).toBe(`${badKind}: "violation.kind" must be one of always, atStable, sometimes, engine`);
  });
});

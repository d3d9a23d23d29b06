/** A real counterexample (Kube-OVN v1.12.28, single-network) as a timeline, and a synthetic one with hostile text. */
import type { StoredObject } from '../../src/api/types.ts';
import { contextFor, target } from '../../src/check/context.ts';
import { checkRandom } from '../../src/check/random.ts';
import { type Timeline, type TimelineStep, buildTimeline } from '../../src/report/timeline.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';

let cached: Timeline | undefined;

export function realTimeline(): Timeline {
  if (cached) return cached;
  const r = checkRandom(kubeOvnModel, { variant: 'v1.12.28', scenario: 'single-network', numRuns: 20, seed: 1, strategy: 'uniform', properties: ['ip-outlives-pod-and-subnet'] });
  const trace = r.counterexample;
  if (!trace) throw new Error(`expected a counterexample, got ${r.result}`);
  const t = target(kubeOvnModel, { variant: trace.variant, engine: trace.engine, properties: [trace.violation.property] });
  cached = buildTimeline({ ...contextFor(t, trace.scenario), scenarioName: trace.scenarioName }, trace);
  return cached;
}

export function obj(kind: string, name: string, extra: Partial<StoredObject> & { namespace?: string } = {}): StoredObject {
  const { namespace, ...rest } = extra;
  return {
    apiVersion: 'v1',
    kind,
    ...rest,
    metadata: { name, uid: `u-${name}`, resourceVersion: '1', generation: 0, creationTimestamp: '2025-01-01T00:00:00Z', ...(namespace ? { namespace } : {}), ...rest.metadata },
  } as StoredObject;
}

function step(n: number, id: string, actor: string, notes: string[] = [], clock = 0): TimelineStep {
  return { step: n, id, actor, notes, changed: [], objects: {}, externals: {}, clock };
}

/** A hand-made timeline whose names contain every character Mermaid and Markdown care about. */
export function hostileTimeline(): Timeline {
  const v = { property: 'p;#<>"', kind: 'atStable' as const, message: 'bad "thing"; end\nrect', step: 7 };
  return {
    model: 'm',
    variant: 'v',
    scenarioName: 's',
    initial: { objects: {}, externals: {} },
    steps: [
      step(1, 'us;er#1: create Pod/ns/a<b>"end"', 'us;er#1', ['ok; %% comment', 'line1\nline2 -->> x']),
      step(2, 'deliver Pod/ns/a<b> ADDED -> ctl', 'ctl', ['log: {x} | y `z`']),
      step(3, 'ctl/q: handle(ns/a<b>) CALL ext;x.call#(a:b)', 'ctl', ['CALL ext;x.call#(a:b) -> ok']),
      step(4, 'ctl/end: handle(k) PATCH Pod/ns/end', 'ctl', ['PATCH Pod/ns/end -> 409 Conflict: the object has been modified; please apply']),
      step(5, 'clock: advance to 1.000s', 'clock', [], 1000),
      step(6, 'participant: create X/y', 'participant', ['Note over P0: injected'], 1000),
      step(7, 'end: delete X/y', 'end', ['rect rgb(0,0,0)'], 1000),
    ],
    violation: v,
    recorded: v,
    final: { clock: 1000, rng: 0, api: { rv: 0, uidCounter: 0, objects: {}, kinds: {}, options: {} }, controllers: {}, externals: {}, users: {}, faults: {}, steps: 7 } as unknown as Timeline['final'],
  };
}

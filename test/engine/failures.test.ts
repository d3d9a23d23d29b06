/**
 * Broken handlers are reported as world.failure (kind + the action that ran them), never a
 * hang or an exception out of the engine: throws, busy loops, endless handlers, async code,
 * and deadlocks on keyed mutexes.
 */
import { describe, expect, it } from 'vitest';
import type { Effect, ReconcileContext, Reconciler, Task } from '../../src/engine/effects.ts';
import { settle, setupWorld } from '../../src/engine/settle.ts';
import { Simulator } from '../../src/engine/simulator.ts';
import type { ControllerDef, EngineOptions, EventHandlers, Scenario } from '../../src/engine/system.ts';
import type { Failure } from '../../src/engine/world.ts';
import { execute, type CheckContext } from '../../src/check/execute.ts';
import { NS, Run, configMap, createOp, namespaceObj } from '../fixtures/engine-kit.ts';

const enqueueOnAdd: EventHandlers<any> = { add: (ctx, o) => ctx.enqueue('q', `${o.metadata.namespace}/${o.metadata.name}`) };
const createA: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a'))] };

function controllerWith(reconcile: Reconciler<any>, extra: Partial<ControllerDef<any>> = {}): ControllerDef<any> {
  return { name: 'c', initialMemory: null, watches: { ConfigMap: enqueueOnAdd }, queues: { q: { workers: 1, reconcile } }, ...extra };
}

function simOf(ctrl: ControllerDef<any>, options: EngineOptions = {}): Simulator {
  return new Simulator({ kinds: [], controllers: [ctrl], systemActors: [] }, options);
}

/** Settle with the default policy; the engine must stop by itself with a failure. */
function settleToFailure(sim: Simulator, sc: Scenario = createA, maxSteps = 5000, fromInitial = false): { failure: Failure; steps: number } {
  const root = fromInitial ? sim.initialWorld() : setupWorld(sim, sc);
  const r = settle(sim, sc, root, { maxSteps });
  expect(r.kind).toBe('failed');
  expect(sim.enabled(r.world, sc)).toEqual([]);
  return { failure: r.world.failure!, steps: r.steps };
}

describe('handler-threw', () => {
  function* broken(ctx: ReconcileContext<null>, key: string): Generator<Effect, void, unknown> {
    const [ns, name] = key.split('/');
    yield* ctx.client.get('ConfigMap', ns, name);
    const missing = undefined as unknown as { spec: { x: number } };
    yield* ctx.log(`x=${missing.spec.x}`);
  }
  const sim = simOf(controllerWith(broken));

  it('a TypeError in a reconcile is world.failure {kind: handler-threw} with the id of the action that ran it', () => {
    const r = new Run(sim, createA);
    r.steps(/^user: create/, /^deliver /, 'c/q: broken(default/a) begin');
    expect(r.world.failure).toBeUndefined();
    expect(() => r.step('c/q: broken(default/a) GET ConfigMap/default/a')).not.toThrow();
    expect(r.world.failure).toMatchObject({ kind: 'handler-threw', actionId: 'c/q: broken(default/a) GET ConfigMap/default/a' });
    expect(r.world.failure!.message).toMatch(/^broken\(default\/a\) threw TypeError: /);
    expect(r.ids()).toEqual([]);
  });

  it('execute returns an engine violation with the steps so far', () => {
    const ctx: CheckContext = { sim, scenario: createA, properties: [], root: setupWorld(sim, createA) };
    const replayed = execute(ctx, { kind: 'ids', ids: ['user: create ConfigMap/default/a', `deliver ConfigMap/${NS}/a ADDED -> c`, 'c/q: broken(default/a) begin', 'c/q: broken(default/a) GET ConfigMap/default/a'], strict: true });
    expect(replayed.end).toBe('violation');
    expect(replayed.violation).toMatchObject({ kind: 'engine', property: 'handler-threw', step: 4 });
    expect(replayed.violation!.message).toContain('(at "c/q: broken(default/a) GET ConfigMap/default/a")');
    // The same through the default policy (empty schedule, then settle).
    const settled = execute(ctx, { kind: 'choices', choices: [] }, { log: true });
    expect(settled.violation).toMatchObject({ kind: 'engine', property: 'handler-threw' });
    expect(settled.ids).toEqual(replayed.ids);
    expect(settled.log!.map((e) => e.id)).toEqual(settled.ids);
    expect(settled.violation!.step).toBe(settled.ids.length);
  });

  it('a throwing event handler is handler-threw at the delivery', () => {
    const ctrl: ControllerDef<null> = {
      name: 'c',
      initialMemory: null,
      watches: { ConfigMap: { add: (_ctx, o) => void (o.data as unknown as string[]).map(String) } },
      queues: {},
    };
    const { failure } = settleToFailure(simOf(ctrl), { setup: [createOp(namespaceObj())], ops: [createOp({ ...configMap('a'), data: undefined })] });
    expect(failure).toMatchObject({ kind: 'handler-threw', actionId: `deliver ConfigMap/${NS}/a ADDED -> c` });
    expect(failure.message).toContain('TypeError');
  });

  it('a start-up task that throws a TypeError is handler-threw too', () => {
    const start: Task<null> = function* boot(ctx) {
      yield* ctx.client.list('ConfigMap');
      JSON.parse('{');
    };
    const { failure } = settleToFailure(simOf(controllerWith(function* ok() {}, { start })), { ops: [] }, 100, true);
    expect(failure).toMatchObject({ kind: 'handler-threw', actionId: 'c/start: boot() LIST ConfigMap' });
    expect(failure.message).toContain('SyntaxError');
  });
});

describe('budget-exceeded', () => {
  function* spin(ctx: ReconcileContext<null>): Generator<Effect, void, unknown> {
    for (;;) yield* ctx.log('spinning');
  }
  function* endless(ctx: ReconcileContext<null>, key: string): Generator<Effect, void, unknown> {
    const [ns, name] = key.split('/');
    for (;;) yield* ctx.client.get('ConfigMap', ns, name);
  }

  it('a handler looping on local effects hits maxLocalEffects', () => {
    const { failure, steps } = settleToFailure(simOf(controllerWith(spin), { maxLocalEffects: 50 }));
    expect(failure).toMatchObject({ kind: 'budget-exceeded', actionId: 'c/q: spin(default/a) begin' });
    expect(failure.message).toContain('performed 50 effects without reaching a scheduling point');
    expect(steps).toBe(3);
  });

  it('the default local-effect budget stops it too', () => {
    const { failure } = settleToFailure(simOf(controllerWith(spin)));
    expect(failure.message).toContain('performed 10000 effects');
  });

  it('a handler passing scheduling points forever hits maxReconcileSteps', () => {
    const { failure, steps } = settleToFailure(simOf(controllerWith(endless), { maxReconcileSteps: 20 }));
    expect(failure).toMatchObject({ kind: 'budget-exceeded', actionId: 'c/q: endless(default/a) GET ConfigMap/default/a' });
    expect(failure.message).toContain('passed 20 scheduling points without finishing');
    // create, deliver, begin (1st GET pending), 19 resumes; the 20th resume tries a 21st point.
    expect(steps).toBe(3 + 20);
  });

  it('the default reconcile-step budget stops it too', () => {
    const { failure, steps } = settleToFailure(simOf(controllerWith(endless)));
    expect(failure.message).toContain('passed 1000 scheduling points');
    expect(steps).toBe(1003);
  });
});

describe('bad-effect: async code and foreign values', () => {
  const cases: Array<[string, Reconciler<any>, RegExp]> = [
    ['yields a Promise', function* promised() {
      yield Promise.resolve(1) as unknown as Effect;
    }, /yielded a Promise; handlers may only yield\* ctx effects/],
    ['yields a non-effect value', function* numbers() {
      yield 42 as unknown as Effect;
    }, /yielded 42/],
    ['is an async function', (async function asyncReconcile() {
      await Promise.resolve();
    }) as unknown as Reconciler<any>, /must be a generator function/],
    ['is an async generator', (async function* asyncGen() {
      yield { op: 'now' } as Effect;
    }) as unknown as Reconciler<any>, /must be a generator function/],
    ['yields a Promise that rejects', function* rejected() {
      yield Promise.reject(new Error('later')) as unknown as Effect;
    }, /yielded a Promise/],
    ['is an async function that throws after an await', (async function asyncThrows() {
      await Promise.resolve();
      throw new Error('after await');
    }) as unknown as Reconciler<any>, /must be a generator function/],
    ['is a plain function', (() => undefined) as unknown as Reconciler<any>, /must be a generator function/],
    ['enqueues into a queue that does not exist', function* lost(ctx: ReconcileContext<null>) {
      yield* ctx.enqueue('nope', 'x');
    }, /has no queue nope/],
  ];
  for (const [what, reconcile, message] of cases) {
    it(`a reconcile that ${what} is reported as bad-effect`, async () => {
      const { failure } = settleToFailure(simOf(controllerWith(reconcile)));
      // Let abandoned promises settle: a rejection must not escape as an unhandled error.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(failure.kind).toBe('bad-effect');
      expect(failure.actionId).toMatch(/^c\/q: \w+\(default\/a\) begin$/);
      expect(failure.message).toMatch(message);
    });
  }

  it('an async start-up task is reported as bad-effect', () => {
    const start = (async function asyncStart() {}) as unknown as Task<null>;
    const { failure } = settleToFailure(simOf(controllerWith(function* ok() {}, { start })), { ops: [] }, 100, true);
    expect(failure).toMatchObject({ kind: 'bad-effect', actionId: 'c/start: asyncStart begin' });
  });

  it('an async event handler is reported as bad-effect (its late continuation cannot crash the run)', async () => {
    const ctrl: ControllerDef<null> = {
      name: 'c',
      initialMemory: null,
      watches: {
        ConfigMap: {
          add: (async (ctx: { enqueue(q: string, k: string): void }) => {
            await Promise.resolve();
            ctx.enqueue('q', 'late');
          }) as unknown as EventHandlers<null>['add'],
        },
      },
      queues: {},
    };
    const { failure } = settleToFailure(simOf(ctrl));
    expect(failure).toMatchObject({ kind: 'bad-effect', actionId: `deliver ConfigMap/${NS}/a ADDED -> c` });
    expect(failure.message).toMatch(/returned a Promise/);
    await new Promise((resolve) => setTimeout(resolve, 5));
  });
});

describe('deadlock', () => {
  function* leaky(ctx: ReconcileContext<null>): Generator<Effect, void, unknown> {
    yield* ctx.lock('m', 'shared');
    // returns without unlocking
  }
  const sc: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a')), createOp(configMap('b'))] };

  it('a handler that returns holding a lock blocks the next one: settle reports a deadlock', () => {
    const sim = simOf(controllerWith(leaky));
    const { failure } = settleToFailure(sim, sc);
    expect(failure.kind).toBe('deadlock');
    expect(failure.message).toBe('c: leaky(default/b) waits forever for m(shared), held by c/q/default/a');
    expect(failure.actionId).toBe('c/q');
    const ctx: CheckContext = { sim, scenario: sc, properties: [], root: setupWorld(sim, sc) };
    expect(execute(ctx, { kind: 'choices', choices: [] }).violation).toMatchObject({ kind: 'engine', property: 'deadlock' });
  });

  it('the same handler unlocking properly settles', () => {
    function* tidy(ctx: ReconcileContext<null>): Generator<Effect, void, unknown> {
      yield* ctx.withLock('m', 'shared', function* () {});
    }
    const sim = simOf(controllerWith(tidy));
    expect(settle(sim, sc, setupWorld(sim, sc), { maxSteps: 100 }).kind).toBe('stable');
  });
});

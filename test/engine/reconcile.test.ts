/**
 * Reconcile workers through the Simulator: Q6 outcomes, Q2 with parallel workers, keyed
 * mutexes, injected API faults and controller restarts.
 */
import { describe, expect, it } from 'vitest';
import { type ApiError, internalError, isApiError } from '../../src/api/errors.ts';
import type { StoredObject } from '../../src/api/types.ts';
import type { Effect, ReconcileContext, ReconcileResult } from '../../src/engine/effects.ts';
import { fingerprint } from '../../src/engine/fingerprint.ts';
import { Simulator } from '../../src/engine/simulator.ts';
import type { ControllerDef, EngineOptions, EventHandlers, Scenario } from '../../src/engine/system.ts';
import type { World } from '../../src/engine/world.ts';
import { NS, Run, configMap, createOp, namespaceObj, patchCm } from '../fixtures/engine-kit.ts';

const keyOf = (o: StoredObject) => `${o.metadata.namespace}/${o.metadata.name}`;
const enqueueOnAddAndUpdate = (queue: string): EventHandlers<any> => ({
  add: (ctx, o) => ctx.enqueue(queue, keyOf(o)),
  update: (ctx, _old, o) => ctx.enqueue(queue, keyOf(o)),
});

function sim(ctrl: ControllerDef<any>, options: EngineOptions = {}): Simulator {
  return new Simulator({ kinds: [], controllers: [ctrl], systemActors: [] }, options);
}

const createA: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a'))] };

describe('Q6: reconcile outcomes through the engine', () => {
  type Outcome = 'error' | 'after' | 'requeue' | 'ok';
  /** A reconciler that does what `plan` says on its n-th run. */
  function planned(plan: readonly Outcome[]): ControllerDef<number> {
    function* flaky(ctx: ReconcileContext<number>): Generator<Effect, ReconcileResult, unknown> {
      const runs = yield* ctx.updateMemory((n) => n + 1);
      const what = plan[runs - 1] ?? 'ok';
      yield* ctx.log(`run ${runs}: ${what}`);
      if (what === 'error') throw internalError('boom');
      if (what === 'after') return { requeueAfterMs: 1000 };
      if (what === 'requeue') return { requeue: true };
      return undefined;
    }
    return { name: 'r', initialMemory: 0, watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 1, reconcile: flaky } } };
  }
  const BEGIN = 'r/q: flaky(default/a) begin';
  const queue = (r: Run) => r.world.controllers.r.queues.q;

  it('Q6: an ApiError requeues rate-limited: delayed 5ms, then 10ms, back after `clock: advance`; success forgets', () => {
    const r = new Run(sim(planned(['error', 'error', 'ok'])), createA);
    r.steps(/^user: create/, /^deliver /);
    const e1 = r.step(BEGIN);
    expect(e1.notes).toEqual(['run 1: error', 'flaky(default/a) returned error: Internal error occurred: boom', 'requeue default/a (error)']);
    expect(queue(r)).toMatchObject({ queue: [], processing: {}, delayed: [{ item: 'default/a', readyAt: 5 }], failures: { 'default/a': 1 } });
    expect(r.has(BEGIN)).toBe(false);
    expect(r.ids()).toEqual(['clock: advance to 0.005s']);
    r.step('clock: advance to 0.005s');
    expect(r.world.clock).toBe(5);
    expect(queue(r).queue).toEqual(['default/a']);
    r.step(BEGIN);
    expect(queue(r)).toMatchObject({ delayed: [{ item: 'default/a', readyAt: 15 }], failures: { 'default/a': 2 } });
    r.steps('clock: advance to 0.015s', BEGIN);
    expect(queue(r)).toMatchObject({ queue: [], processing: {}, delayed: [], failures: {} });
    expect(r.memory<number>('r')).toBe(3);
    expect(r.ids()).toEqual([]);
  });

  it('Q6: {requeueAfterMs} forgets the failures and adds after the delay', () => {
    const r = new Run(sim(planned(['error', 'after', 'ok'])), createA);
    r.steps(/^user: create/, /^deliver /, BEGIN, 'clock: advance to 0.005s', BEGIN);
    expect(queue(r)).toMatchObject({ queue: [], delayed: [{ item: 'default/a', readyAt: 1005 }], failures: {} });
    expect(r.ids()).toEqual(['clock: advance to 1.005s']);
    r.steps('clock: advance to 1.005s', BEGIN);
    expect(r.memory<number>('r')).toBe(3);
    expect(queue(r).delayed).toEqual([]);
  });

  it('Q6: {requeue: true} is a rate-limited requeue', () => {
    const r = new Run(sim(planned(['requeue', 'ok'])), createA);
    r.steps(/^user: create/, /^deliver /, BEGIN);
    expect(queue(r)).toMatchObject({ delayed: [{ item: 'default/a', readyAt: 5 }], failures: { 'default/a': 1 } });
    const s = r.settle();
    expect(s.kind).toBe('stable');
    expect(r.memory<number>('r')).toBe(2);
    expect(queue(r).failures).toEqual({});
  });
});

describe('Q2: a key is never processed by two workers at once (workers: 2)', () => {
  type M = Readonly<Record<string, number>>;
  function* twice(ctx: ReconcileContext<M>, key: string): Generator<Effect, void, unknown> {
    const m = yield* ctx.updateMemory((m) => ({ ...m, [key]: (m[key] ?? 0) + 1 }));
    if (m[key] > 1) throw new TypeError(`${key} is being reconciled twice at once`);
    const [ns, name] = key.split('/');
    yield* ctx.client.get('ConfigMap', ns, name);
    yield* ctx.client.get('ConfigMap', ns, name);
    yield* ctx.updateMemory((m) => ({ ...m, [key]: m[key] - 1 }));
  }
  const ctrl: ControllerDef<M> = { name: 'w', initialMemory: {}, watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 2, reconcile: twice } } };
  const sc: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a')), createOp(configMap('b')), patchCm('a', { v: '2' })] };

  it('Q2: re-adding a key while it is processed marks it dirty; only other keys can start; Done re-queues it', () => {
    const r = new Run(sim(ctrl), sc);
    r.steps(/create ConfigMap\/default\/a/, /create ConfigMap\/default\/b/, /deliver .*\/a ADDED/, 'w/q: twice(default/a) begin');
    // b's ADDED is older in the DeltaFIFO than a's MODIFIED (W2).
    r.steps(/^user: patch/, /deliver .*\/b ADDED/, /deliver .*\/a MODIFIED/);
    const q = r.world.controllers.w.queues.q;
    expect(q).toMatchObject({ queue: ['default/b'], processing: { 'default/a': true }, dirty: { 'default/a': true, 'default/b': true } });
    expect(r.matching(/ begin$/)).toEqual(['w/q: twice(default/b) begin']);
    r.step('w/q: twice(default/b) begin');
    expect(Object.keys(r.world.controllers.w.inflight).sort()).toEqual(['w/q/default/a', 'w/q/default/b']);
    expect(r.matching(/ begin$/)).toEqual([]);
    r.steps('w/q: twice(default/a) GET ConfigMap/default/a', 'w/q: twice(default/a) GET ConfigMap/default/a');
    expect(r.world.controllers.w.queues.q.queue).toEqual(['default/a']);
    expect(r.matching(/ begin$/)).toEqual(['w/q: twice(default/a) begin']);
  });

  it('Q2: over every schedule no key is in flight twice, while two different keys do run in parallel', () => {
    const s = sim(ctrl);
    const root = new Run(s, sc).world;
    const visited = new Set<number>();
    let maxParallel = 0;
    let states = 0;
    const dfs = (w: World) => {
      const fp = fingerprint(w);
      if (visited.has(fp)) return;
      visited.add(fp);
      states++;
      expect(w.failure).toBeUndefined();
      const c = w.controllers.w;
      const inflightKeys = Object.values(c.inflight).map((f) => f.key);
      expect(inflightKeys.sort()).toEqual(Object.keys(c.queues.q.processing).sort());
      maxParallel = Math.max(maxParallel, inflightKeys.length);
      for (const a of s.enabled(w, sc)) {
        if (a.kind === 'begin') expect(c.queues.q.processing[c.queues.q.queue[0]]).toBeUndefined();
        dfs(s.step(w, a, sc).world);
      }
    };
    dfs(root);
    expect(states).toBeGreaterThan(50);
    expect(maxParallel).toBe(2);
  });
});

describe('keyed mutexes', () => {
  function* guarded(ctx: ReconcileContext<null>, key: string): Generator<Effect, void, unknown> {
    const [ns, name] = key.split('/');
    const obj = yield* ctx.lister('ConfigMap').get(ns, name);
    const data = obj.data as { group: string; mode?: string };
    yield* ctx.withLock('grp', data.group, function* () {
      // mode=fail reads a missing object: NotFound escapes the locked body.
      yield* ctx.client.get('ConfigMap', ns, data.mode === 'fail' ? 'ghost' : name);
    });
  }
  const ctrl: ControllerDef<null> = { name: 'mx', initialMemory: null, watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 3, reconcile: guarded } } };
  const lockId = (k: string, g: string) => `mx/q: guarded(default/${k}) LOCK grp(${g})`;

  function started(aMode?: string): Run {
    const sc: Scenario = {
      setup: [createOp(namespaceObj())],
      ops: [createOp(configMap('a', { group: 'g1', ...(aMode ? { mode: aMode } : {}) })), createOp(configMap('b', { group: 'g1' })), createOp(configMap('c', { group: 'g2' }))],
    };
    const r = new Run(sim(ctrl), sc);
    r.steps(/create .*\/a/, /create .*\/b/, /create .*\/c/, /deliver .*\/a/, /deliver .*\/b/, /deliver .*\/c/);
    r.steps(/guarded\(default\/a\) begin/, /guarded\(default\/b\) begin/, /guarded\(default\/c\) begin/);
    return r;
  }

  it("a second handler's LOCK on the same key is not enabled while the first holds it; other keys are free", () => {
    const r = started();
    expect(r.matching(/ LOCK /)).toEqual([lockId('a', 'g1'), lockId('b', 'g1'), lockId('c', 'g2')]);
    r.step(lockId('a', 'g1'));
    expect(r.world.controllers.mx.locks).toEqual({ 'grp/g1': 'mx/q/default/a' });
    expect(r.matching(/ LOCK /)).toEqual([lockId('c', 'g2')]);
    expect(r.has('mx/q: guarded(default/a) GET ConfigMap/default/a')).toBe(true);
    r.step('mx/q: guarded(default/a) GET ConfigMap/default/a');
    expect(r.world.controllers.mx.locks).toEqual({});
    expect(r.matching(/ LOCK /)).toEqual([lockId('b', 'g1'), lockId('c', 'g2')]);
  });

  it('withLock releases the mutex when the body throws', () => {
    const r = started('fail');
    r.step(lockId('a', 'g1'));
    expect(r.has(lockId('b', 'g1'))).toBe(false);
    const e = r.step('mx/q: guarded(default/a) GET ConfigMap/default/ghost');
    expect(e.notes.some((n) => n.includes('returned error'))).toBe(true);
    expect(r.world.controllers.mx.locks).toEqual({});
    expect(r.world.failure).toBeUndefined();
    expect(r.has(lockId('b', 'g1'))).toBe(true);
    expect(r.world.controllers.mx.queues.q.delayed.map((d) => d.item)).toEqual(['default/a']);
  });
});

describe('injected API faults', () => {
  type M = { readonly codes: readonly number[] };
  function* careful(ctx: ReconcileContext<M>, key: string): Generator<Effect, void, unknown> {
    const [ns, name] = key.split('/');
    yield* ctx.lock('k', key);
    try {
      yield* ctx.client.get('ConfigMap', ns, name);
      yield* ctx.updateMemory((m) => ({ codes: [...m.codes, 200] }));
    } catch (e) {
      if (!isApiError(e)) throw e;
      yield* ctx.updateMemory((m) => ({ codes: [...m.codes, (e as ApiError).code] }));
    } finally {
      yield* ctx.unlock('k', key);
    }
  }
  const ctrl: ControllerDef<M> = { name: 'f', initialMemory: { codes: [] }, watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 1, reconcile: careful } } };
  const GET = 'f/q: careful(default/a) GET ConfigMap/default/a';

  /** Every action id in every reachable state. */
  function allIds(s: Simulator, sc: Scenario): Set<string> {
    const root = new Run(s, sc).world;
    const ids = new Set<string>();
    const seen = new Set<number>();
    const dfs = (w: World) => {
      const fp = fingerprint(w);
      if (seen.has(fp)) return;
      seen.add(fp);
      for (const a of s.enabled(w, sc)) {
        ids.add(a.id);
        dfs(s.step(w, a, sc).world);
      }
    };
    dfs(root);
    return ids;
  }

  it('`!fail` actions appear only when faults.apiErrors > 0, only for API calls of handlers', () => {
    const without = [...allIds(sim(ctrl), createA)];
    expect(without).toContain(GET);
    expect(without.filter((id) => id.endsWith('!fail'))).toEqual([]);
    const withFaults = [...allIds(sim(ctrl, { faults: { apiErrors: 1 } }), createA)];
    expect(withFaults.filter((id) => id.endsWith('!fail'))).toEqual([`${GET} !fail`]);
  });

  it('an injected fault throws a 500 into the handler and uses up the budget', () => {
    const r = new Run(sim(ctrl, { faults: { apiErrors: 1 } }), { ...createA, ops: [...createA.ops, patchCm('a', { v: '2' })] });
    r.steps(/^user: create/, /^deliver /, /begin$/);
    // Pending at the mutex: no fault variant.
    expect(r.matching(/LOCK/)).toEqual(['f/q: careful(default/a) LOCK k(default/a)']);
    r.step(/LOCK/);
    expect(r.matching(/GET/)).toEqual([GET, `${GET} !fail`]);
    const e = r.step(`${GET} !fail`);
    expect(e.actor).toBe('fault');
    expect(e.notes[0]).toMatch(/^injected fault: /);
    expect(r.world.faults.apiErrors).toBe(0);
    expect(r.memory<M>('f').codes).toEqual([500]);
    expect(r.world.controllers.f.locks).toEqual({});
    // The budget is spent: the next run's GET has no fault variant and succeeds.
    r.steps(/^user: patch/, /^deliver /, /begin$/, /LOCK/);
    expect(r.matching(/GET/)).toEqual([GET]);
    r.step(GET);
    expect(r.memory<M>('f').codes).toEqual([500, 200]);
  });
});

describe('controller restart fault', () => {
  interface M {
    readonly log: readonly string[];
  }
  function* initState(ctx: ReconcileContext<M>): Generator<Effect, void, unknown> {
    const listed = yield* ctx.client.list('ConfigMap', { namespace: NS });
    const cached = yield* ctx.lister('ConfigMap').list();
    yield* ctx.updateMemory((m) => ({ log: [...m.log, `start listed=${listed.length} cached=${cached.map((o) => o.metadata.name).join(',')}`] }));
  }
  function* work(ctx: ReconcileContext<M>, key: string): Generator<Effect, void, unknown> {
    const [ns, name] = key.split('/');
    yield* ctx.client.get('ConfigMap', ns, name);
    yield* ctx.updateMemory((m) => ({ log: [...m.log, `work ${name}`] }));
  }
  const ctrl: ControllerDef<M> = {
    name: 'rs',
    initialMemory: { log: [] },
    watches: { ConfigMap: enqueueOnAddAndUpdate('q') },
    queues: { q: { workers: 1, reconcile: work } },
    start: initState,
  };
  const sc: Scenario = {
    setup: [createOp(namespaceObj()), createOp(configMap('a')), createOp(configMap('b'))],
    ops: [createOp(configMap('c'))],
  };

  it('restart loses memory, queues and in-flight handlers; caches are relisted with `initial` events; start-up re-runs before workers', () => {
    const r = new Run(sim(ctrl, { faults: { restarts: 1 } }), sc);
    expect(r.memory<M>('rs').log).toEqual(['start listed=0 cached=', 'work a', 'work b']);
    r.steps(/^user: create/, /^deliver /, 'rs/q: work(default/c) begin');
    expect(Object.keys(r.world.controllers.rs.inflight)).toEqual(['rs/q/default/c']);

    const e = r.step('fault: restart rs');
    expect(e.notes[0]).toMatch(/rs crashed: .* 1 in-flight handlers lost/);
    const c = r.world.controllers.rs;
    expect(c.memory).toEqual({ log: [] });
    expect(c.inflight).toEqual({});
    expect(c.queues.q.queue).toEqual([]);
    expect(c.started).toBe(false);
    expect(c.restarts).toBe(1);
    expect(r.world.faults.restarts).toBe(0);
    const inf = c.informers.ConfigMap;
    expect(inf.cache).toEqual({});
    expect(inf.unsynced).toBe(3);
    expect(inf.pending.map((p) => `${p.type} ${p.key} ${p.initial}`)).toEqual([
      `ADDED ConfigMap/${NS}/a true`,
      `ADDED ConfigMap/${NS}/b true`,
      `ADDED ConfigMap/${NS}/c true`,
    ]);
    // Until every initial event is in, nothing but deliveries can run.
    // The initial list is popped from the DeltaFIFO in order (W2).
    expect(r.ids()).toEqual([`deliver ConfigMap/${NS}/a ADDED -> rs`]);
    r.steps(/deliver .*\/a /, /deliver .*\/b /);
    expect(r.matching(/begin$/)).toEqual([]);
    r.step(/deliver .*\/c /);
    expect(r.world.controllers.rs.queues.q.queue).toEqual(['default/a', 'default/b', 'default/c']);
    // Synced: start-up may begin, workers may not.
    expect(r.ids()).toEqual(['rs/start: initState begin']);
    r.step('rs/start: initState begin');
    expect(r.ids()).toEqual([`rs/start: initState() LIST ConfigMap/${NS}`]);
    r.step(/LIST/);
    expect(r.world.controllers.rs.started).toBe(true);
    expect(r.ids()).toEqual(['rs/q: work(default/a) begin']);
    expect(r.settle().kind).toBe('stable');
    expect(r.memory<M>('rs').log).toEqual(['start listed=3 cached=a,b,c', 'work a', 'work b', 'work c']);
  });
});

describe('ctx.sleep (Go time.Sleep inside a handler)', () => {
  type M = readonly string[];
  function* napper(ctx: ReconcileContext<M>, key: string): Generator<Effect, void, unknown> {
    yield* ctx.updateMemory((m) => [...m, `before ${key}`]);
    yield* ctx.sleep(1000);
    yield* ctx.updateMemory((m) => [...m, `after ${key}`]);
  }
  const ctrl: ControllerDef<M> = { name: 'z', initialMemory: [], watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 1, reconcile: napper } } };
  const sc: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a'))] };

  it('the handler resumes only once the clock has passed the sleep; the clock offers exactly that time', () => {
    const r = new Run(sim(ctrl), sc);
    const t0 = r.world.clock;
    r.steps(/create/, /deliver/, 'z/q: napper(default/a) begin');
    expect(r.memory<M>('z')).toEqual(['before default/a']);
    // Paused at the sleep: no resume is enabled, only the clock, to exactly 1 s later.
    expect(r.matching(/SLEEP/)).toEqual([]);
    expect(r.ids()).toEqual([`clock: advance to ${(t0 / 1000 + 1).toFixed(3)}s`]);
    r.step(/^clock: /);
    expect(r.world.clock).toBe(t0 + 1000);
    r.step('z/q: napper(default/a) SLEEP 1.000s');
    expect(r.memory<M>('z')).toEqual(['before default/a', 'after default/a']);
  });
});

describe('memory reads with a selector: an in-flight handler is what it received', () => {
  interface Mem {
    readonly count: number;
    readonly other: number;
  }
  /** reader: reads memory, then pauses at a GET; writer: bumps `other` (memory it never reads). */
  function ctrl(select: boolean): ControllerDef<Mem> {
    function* reader(ctx: ReconcileContext<Mem>, key: string): Generator<Effect, void, unknown> {
      const count = select ? yield* ctx.memory((m) => m.count) : (yield* ctx.memory()).count;
      const [ns, name] = key.split('/');
      yield* ctx.client.get('ConfigMap', ns, name);
      yield* ctx.log(`count ${count}`);
    }
    function* writer(ctx: ReconcileContext<Mem>): Generator<Effect, void, unknown> {
      const r = yield* ctx.updateMemory((m) => ({ ...m, other: m.other + 1 }), () => undefined);
      expect(r).toBeUndefined();
    }
    const both: EventHandlers<Mem> = { add: (ctx, o) => (ctx.enqueue('q', keyOf(o)), ctx.enqueue('w', keyOf(o))) };
    return { name: 'm', initialMemory: { count: 0, other: 0 }, watches: { ConfigMap: both }, queues: { q: { workers: 1, reconcile: reader }, w: { workers: 1, reconcile: writer } } };
  }
  const worlds = (select: boolean): [World, World] => {
    const s = sim(ctrl(select));
    const a = new Run(s, createA).steps(/^user: create/, /^deliver /, /m\/w: writer/, /m\/q: reader/);
    const b = new Run(s, createA).steps(/^user: create/, /^deliver /, /m\/q: reader/, /m\/w: writer/);
    return [a.world, b.world];
  };

  it('the writer before or after the read reaches one state when the reader selected what it uses', () => {
    const [a, b] = worlds(true);
    expect(Object.keys(a.controllers.m.inflight)).toHaveLength(1);
    expect(a.controllers.m.memory).toEqual(b.controllers.m.memory);
    expect(fingerprint(a, 'time-abstract')).toBe(fingerprint(b, 'time-abstract'));
  });

  it('and two states when it kept the whole memory (it could still look at `other`)', () => {
    const [a, b] = worlds(false);
    expect(a.controllers.m.memory).toEqual(b.controllers.m.memory);
    expect(fingerprint(a, 'time-abstract')).not.toBe(fingerprint(b, 'time-abstract'));
  });
});

describe('ctx.ignoreResult: a call whose answer the handler drops', () => {
  it('passes on and records undefined for a success, and still throws an error (NotFound)', () => {
    const seen: unknown[] = [];
    function* h(ctx: ReconcileContext<null>, key: string): Generator<Effect, void, unknown> {
      const [ns, name] = key.split('/');
      seen.push(yield* ctx.ignoreResult(ctx.client.get('ConfigMap', ns, name)));
      try {
        yield* ctx.ignoreResult(ctx.client.get('ConfigMap', ns, 'missing'));
        seen.push('no error');
      } catch (e) {
        seen.push(isApiError(e) ? (e as ApiError).reason : 'other');
      }
    }
    const c: ControllerDef<null> = { name: 'g', initialMemory: null, watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 1, reconcile: h } } };
    const r = new Run(sim(c), createA).steps(/^user: create/, /^deliver /, /g\/q: h\(default\/a\) begin/);
    r.step(/GET ConfigMap\/default\/a/);
    const f = Object.values(r.world.controllers.g.inflight)[0];
    expect(f.results?.head).toEqual({ ok: true, value: undefined });
    r.step(/GET ConfigMap\/default\/missing/);
    expect(seen).toEqual([undefined, 'NotFound']);
  });
});

describe('ctx.keep: a call of whose answer the handler keeps one part', () => {
  /** Reads ConfigMap a live (keeps its data.v), then its cached copy (keeps whether it has data), then pauses at a GET of b. */
  function keeper(seen: unknown[]): ControllerDef<null> {
    function* h(ctx: ReconcileContext<null>, key: string): Generator<Effect, void, unknown> {
      const [ns, name] = key.split('/');
      if (name !== 'a') return;
      seen.push(yield* ctx.keep(ctx.client.get('ConfigMap', ns, name), (o) => (o.data as Record<string, string> | undefined)?.v));
      seen.push(yield* ctx.keep(ctx.lister('ConfigMap').get(ns, name), (o) => o.data !== undefined));
      try {
        yield* ctx.keep(ctx.client.get('ConfigMap', ns, 'missing'), () => 'never');
        seen.push('no error');
      } catch (e) {
        seen.push(isApiError(e) ? (e as ApiError).reason : 'other');
      }
    }
    return { name: 'k', initialMemory: null, watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 1, reconcile: h } } };
  }
  const withData: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp({ ...configMap('a'), data: { v: '1', other: 'x' } })] };
  const start = [/^user: create/, /^deliver /, /k\/q: h\(default\/a\) begin/] as const;

  it('passes on and records only the part, for API calls and lister reads; an error still throws', () => {
    const seen: unknown[] = [];
    const r = new Run(sim(keeper(seen)), withData).steps(...start);
    r.step(/GET ConfigMap\/default\/a/);
    const f = Object.values(r.world.controllers.k.inflight)[0];
    // Newest first: the lister read (local, in the same step), then the live GET.
    expect(f.results?.head).toEqual({ ok: true, value: true });
    expect(f.results?.tail?.head).toEqual({ ok: true, value: '1' });
    r.step(/GET ConfigMap\/default\/missing/);
    expect(seen).toEqual(['1', true, 'NotFound']);
  });

  it('a replayed handler receives the kept parts again (a second branch resumes the same record)', () => {
    const seen: unknown[] = [];
    const r = new Run(sim(keeper(seen)), withData).steps(...start);
    r.step(/GET ConfigMap\/default\/a/);
    const w = r.world;
    r.step(/GET ConfigMap\/default\/missing/);
    // The live generator is used up: resuming from the same world replays the recorded parts.
    const replayed: unknown[] = [];
    new Run(sim(keeper(replayed)), withData, w).step(/GET ConfigMap\/default\/missing/);
    expect(seen).toEqual(['1', true, 'NotFound']);
    expect(replayed).toEqual(['1', true, 'NotFound']);
  });

  it('two worlds whose answers differ only outside the kept part have one fingerprint; keepFullResults tells them apart', () => {
    const other: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp({ ...configMap('a'), data: { v: '1', other: 'y' } })] };
    const at = (options: EngineOptions, s: Scenario) => {
      const r = new Run(sim(keeper([]), options), s).steps(...start);
      r.step(/GET ConfigMap\/default\/a/);
      return r.world;
    };
    const kept = at({}, withData);
    const full = at({ keepFullResults: true }, withData);
    expect(Object.values(full.controllers.k.inflight)[0].results?.tail?.head).toMatchObject({ ok: true, value: '1', raw: { data: { v: '1', other: 'x' } } });
    expect(fingerprint(kept, 'exact')).not.toBe(fingerprint(full, 'exact'));
    // Same kept parts from different objects: the in-flight records hash alike.
    const inflightOf = (w: World) => Object.values(w.controllers.k.inflight)[0];
    expect(inflightOf(kept).results).toEqual(inflightOf(at({}, other)).results);
    // ... and the unreduced records differ (the raw answers are fingerprinted).
    expect(inflightOf(full).results).not.toEqual(inflightOf(at({ keepFullResults: true }, other)).results);
  });

  it('a call that makes more than one effect is a handler failure, not a silent pass', () => {
    function* two(ctx: ReconcileContext<null>): Generator<Effect, unknown, unknown> {
      yield* ctx.client.get('ConfigMap', NS, 'a');
      return yield* ctx.client.get('ConfigMap', NS, 'a');
    }
    function* h(ctx: ReconcileContext<null>): Generator<Effect, void, unknown> {
      yield* ctx.keep(two(ctx), () => 1);
    }
    const c: ControllerDef<null> = { name: 'k', initialMemory: null, watches: { ConfigMap: enqueueOnAddAndUpdate('q') }, queues: { q: { workers: 1, reconcile: h } } };
    const r = new Run(sim(c), createA).steps(/^user: create/, /^deliver /, /k\/q: h\(default\/a\) begin/);
    r.step(/GET ConfigMap\/default\/a/);
    expect(r.world.failure?.kind).toBe('handler-threw');
    expect(r.world.failure?.message).toMatch(/ctx.keep: the call made more than one effect/);
  });
});

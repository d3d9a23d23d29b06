/**
 * Informer semantics through the Simulator (spec W2-W5): one DeltaFIFO per informer (stream
 * order across objects of one kind, a popped key's deltas together), no order across informers,
 * handlers after the cache update, watch gaps with tombstones, resync, stale listers.
 */
import { describe, expect, it } from 'vitest';
import { isNotFound } from '../../src/api/errors.ts';
import type { StoredObject } from '../../src/api/types.ts';
import type { Effect, ReconcileContext } from '../../src/engine/effects.ts';
import { Simulator } from '../../src/engine/simulator.ts';
import type { ControllerDef, FaultBudget, Scenario, SystemDef } from '../../src/engine/system.ts';
import type { World } from '../../src/engine/world.ts';
import {
  NS,
  Run,
  type Seen,
  Widget,
  configMap,
  createOp,
  deleteCm,
  namespaceObj,
  patchCm,
  recorderController,
  widget,
} from '../fixtures/engine-kit.ts';

const A = `ConfigMap/${NS}/a`;
const B = `ConfigMap/${NS}/b`;

function recSystem(kinds: readonly string[] = ['ConfigMap']): SystemDef {
  return { kinds: [Widget], controllers: [recorderController(kinds)], systemActors: [] };
}

function recRun(scenario: Scenario, faults?: FaultBudget, kinds?: readonly string[]): Run {
  return new Run(new Simulator(recSystem(kinds), { faults }), scenario);
}

const seenOf = (r: Run) => r.memory<readonly Seen[]>('rec');

/** Is `sub` a subsequence of `seq` (same order, elements may be skipped)? */
function isSubsequence<T>(sub: readonly T[], seq: readonly T[]): boolean {
  let i = 0;
  for (const x of seq) if (i < sub.length && sub[i] === x) i++;
  return i === sub.length;
}

/** Append `x` unless it repeats the last element. */
function pushChanged<T>(xs: readonly T[], x: T): readonly T[] {
  return xs.length && xs[xs.length - 1] === x ? xs : [...xs, x];
}

const stateOf = (o: StoredObject | undefined) => (o ? `${o.metadata.uid}@${o.metadata.resourceVersion}` : 'absent');

/**
 * Every maximal schedule from `root` (plain DFS, no state merging). For each path, the
 * successive states of `key` in the API and in `rec`'s cache (consecutive repeats removed).
 */
function objectHistories(sim: Simulator, scenario: Scenario, root: World, key: string) {
  const out: Array<{ api: readonly string[]; cache: readonly string[]; seen: readonly Seen[] }> = [];
  const dfs = (w: World, api: readonly string[], cache: readonly string[]) => {
    const actions = sim.enabled(w, scenario);
    if (actions.length === 0) {
      out.push({ api, cache, seen: w.controllers.rec.memory as readonly Seen[] });
      return;
    }
    for (const a of actions) {
      const next = sim.step(w, a, scenario).world;
      dfs(
        next,
        pushChanged(api, stateOf(next.api.objects[key])),
        pushChanged(cache, stateOf(next.controllers.rec.informers.ConfigMap.cache[key])),
      );
    }
  };
  dfs(root, [stateOf(root.api.objects[key])], [stateOf(root.controllers.rec.informers.ConfigMap.cache[key])]);
  return out;
}

describe('W2: informer caches and event order', () => {
  const lifecycle: Scenario = {
    setup: [createOp(namespaceObj())],
    ops: [createOp(configMap('a', { v: '1' })), patchCm('a', { v: '2' }), patchCm('a', { v: '3' }), deleteCm('a')],
  };

  it('W2: only the oldest pending event of an object is deliverable', () => {
    const r = recRun(lifecycle);
    r.steps(/^user: create/, /^user: patch .*"2"/, /^user: patch .*"3"/);
    expect(r.world.controllers.rec.informers.ConfigMap.pending).toHaveLength(3);
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} ADDED -> rec`]);
    r.step(/^deliver /);
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} MODIFIED -> rec`]);
    r.step(/^deliver /);
    expect((r.cache('rec', 'ConfigMap')[A].data as { v: string }).v).toBe('2');
  });

  it('W2: over every schedule the cache shows a subsequence of the object states, in order (a watch gap skips some)', () => {
    const withGap = recRun(lifecycle, { watchDisconnects: 1 });
    const paths = objectHistories(withGap.sim, lifecycle, withGap.world, A);
    expect(paths.length).toBeGreaterThan(20);
    let skipped = 0;
    for (const p of paths) {
      expect(isSubsequence(p.cache, p.api), `cache ${p.cache.join(' ')} vs api ${p.api.join(' ')}`).toBe(true);
      // Every path ends converged: the cache holds the last state.
      expect(p.cache[p.cache.length - 1]).toBe(p.api[p.api.length - 1]);
      if (p.cache.length < p.api.length) skipped++;
      // The handlers saw the object's versions in the order it had them.
      const notified = p.seen.filter((s) => s.ev !== 'delete').map((s) => `${s.uid}@${s.rv}`);
      expect(isSubsequence(notified, p.api)).toBe(true);
    }
    expect(skipped).toBeGreaterThan(0);

    // Without faults the model loses nothing: every state reaches the cache.
    const noGap = recRun(lifecycle);
    for (const p of objectHistories(noGap.sim, lifecycle, noGap.world, A)) expect(p.cache).toEqual(p.api);
  });

  it('W2: events of different objects of one informer are delivered in stream (resourceVersion) order', () => {
    const sc: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a')), createOp(configMap('b'))] };
    const r = recRun(sc);
    r.steps(/create ConfigMap\/default\/a/, /create ConfigMap\/default\/b/);
    // The DeltaFIFO's head is a: b's event cannot overtake it.
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} ADDED -> rec`]);
    r.step(`deliver ${A} ADDED -> rec`);
    expect(r.matching(/^deliver /)).toEqual([`deliver ${B} ADDED -> rec`]);
    r.step(`deliver ${B} ADDED -> rec`);
    expect(seenOf(r).map((s) => s.name)).toEqual(['a', 'b']);
  });

  it("W2: a popped key hands over its later deltas too, ahead of another key's older event", () => {
    const sc: Scenario = {
      setup: [createOp(namespaceObj())],
      ops: [createOp(configMap('a', { v: '1' })), createOp(configMap('b')), patchCm('a', { v: '2' })],
    };
    const r = recRun(sc);
    r.steps(/create ConfigMap\/default\/a/, /create ConfigMap\/default\/b/, /patch ConfigMap\/default\/a/);
    // Pop a with the delta the reflector had received so far (1), or with both (2, b lies between).
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} ADDED -> rec`, `deliver ${A} ADDED+MODIFIED -> rec`]);
    const together = r.fork();
    together.step(`deliver ${A} ADDED+MODIFIED -> rec`);
    expect(together.matching(/^deliver /)).toEqual([`deliver ${B} ADDED -> rec`]);
    together.step(`deliver ${B} ADDED -> rec`);
    expect(seenOf(together).map((s) => `${s.ev} ${s.name}`)).toEqual(['add a', 'update a', 'add b']);
    // Popped one at a time, b's older event comes before a's second delta.
    const apart = r.fork();
    apart.step(`deliver ${A} ADDED -> rec`);
    expect(apart.matching(/^deliver /)).toEqual([`deliver ${B} ADDED -> rec`]);
    apart.steps(`deliver ${B} ADDED -> rec`, `deliver ${A} MODIFIED -> rec`);
    expect(seenOf(apart).map((s) => `${s.ev} ${s.name}`)).toEqual(['add a', 'add b', 'update a']);
  });

  it('W2: over every schedule, handler calls of one informer follow DeltaFIFO order', () => {
    // a, b, a, c, b: any out-of-FIFO delivery (b before a's first event, c before b's first...) fails.
    const sc: Scenario = {
      setup: [createOp(namespaceObj())],
      ops: [createOp(configMap('a')), createOp(configMap('b')), patchCm('a', { v: '2' }), createOp(configMap('c')), deleteCm('b')],
    };
    const r = recRun(sc);
    let paths = 0;
    const orders = new Set<string>();
    const dfs = (w: World) => {
      const actions = r.sim.enabled(w, sc);
      if (actions.length === 0) {
        paths++;
        const seen = w.controllers.rec.memory as readonly Seen[];
        // Stream order: each event's resourceVersion, as emitted (DELETED carries the deletion's RV).
        const stream = [...seen].sort((x, y) => Number(x.rv) - Number(y.rv));
        expect(stream.map((s) => s.rv)).toEqual([...new Set(stream.map((s) => s.rv))]);
        for (let j = 0; j < seen.length; j++) {
          // Every event older than seen[j] of another key was handled before it, unless seen[j]
          // was popped together with an earlier delta of its own key that is older still.
          const y = seen[j];
          for (const x of seen.slice(j + 1)) {
            if (x.name === y.name || Number(x.rv) > Number(y.rv)) continue;
            let k = j - 1;
            while (k >= 0 && seen[k].name === y.name) k--;
            const popHead = seen[k + 1];
            expect(popHead.name === y.name && Number(popHead.rv) < Number(x.rv), `${y.ev} ${y.name}@${y.rv} handled before older ${x.ev} ${x.name}@${x.rv}`).toBe(true);
          }
        }
        orders.add(seen.map((s) => `${s.ev} ${s.name}`).join(', '));
        return;
      }
      for (const a of actions) dfs(r.sim.step(w, a, sc).world);
    };
    dfs(r.world);
    expect(paths).toBeGreaterThan(50);
    // The per-key pops make several orders reachable, but never one that puts b first.
    expect(orders.size).toBeGreaterThan(1);
    for (const o of orders) expect(o.startsWith('add a')).toBe(true);
    expect([...orders].some((o) => o.startsWith('add a, update a, add b'))).toBe(true);
    expect([...orders].some((o) => o.startsWith('add a, add b, update a'))).toBe(true);
  });

  it('W2: there is no order across informers (ConfigMap vs Widget)', () => {
    const sc: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a')), createOp(widget('w'))] };
    const r = recRun(sc, undefined, ['ConfigMap', 'Widget']);
    r.steps(/create ConfigMap/, /create Widget/);
    const both = [`deliver ${A} ADDED -> rec`, `deliver Widget/${NS}/w ADDED -> rec`];
    expect(r.matching(/^deliver /)).toEqual(both);
    const widgetFirst = r.fork().steps(both[1], both[0]);
    expect(seenOf(widgetFirst).map((s) => `${s.kind}/${s.name}`)).toEqual(['Widget/w', 'ConfigMap/a']);
    const cmFirst = r.fork().steps(both[0], both[1]);
    expect(seenOf(cmFirst).map((s) => `${s.kind}/${s.name}`)).toEqual(['ConfigMap/a', 'Widget/w']);
  });

  it('W2: handlers run after the cache is updated (add, update and delete see the new cache)', () => {
    const r = recRun(lifecycle);
    r.settle();
    const seen = seenOf(r);
    expect(seen.map((s) => s.ev)).toEqual(['add', 'update', 'update', 'delete']);
    const [add, up1, up2, del] = seen;
    expect(add.cache.a).toBe(add.rv);
    expect(up1.cache.a).toBe(up1.rv);
    expect(up1.cache.a).not.toBe(up1.oldRv);
    expect(up2.oldRv).toBe(up1.rv);
    expect(up2.cache.a).toBe(up2.rv);
    expect(del.cache).toEqual({});
    expect(del.tombstone).toBe(false);
    // D6: the DELETED event is stamped with the deletion's RV, newer than the last update.
    expect(del.rv).not.toBe(up2.rv);
  });

  // A pop of several deltas applies them all to the indexer before the handlers run (client-go's
  // processorListener runs behind the indexer), so the first handler sees the later state.
  it('W2: the cache may already be newer than the notification a handler runs for', () => {
    const sc: Scenario = {
      setup: [createOp(namespaceObj()), createOp(configMap('a', { v: '1' })), createOp(configMap('b', { v: '1' }))],
      ops: [patchCm('a', { v: '2' }), patchCm('b', { v: '2' }), patchCm('a', { v: '3' })],
    };
    const r = recRun(sc);
    const setupSeen = seenOf(r).length;
    r.steps(/patch ConfigMap\/default\/a .*"2"/, /patch ConfigMap\/default\/b/, /patch ConfigMap\/default\/a .*"3"/);
    const aLatest = r.stored(A)!.metadata.resourceVersion;
    r.step(`deliver ${A} MODIFIED+MODIFIED -> rec`);
    const [first, second] = seenOf(r).slice(setupSeen);
    expect(first.ev).toBe('update');
    expect(first.rv).not.toBe(aLatest);
    // The notification for v=2 runs against a cache that already holds v=3.
    expect(first.cache.a).toBe(aLatest);
    expect(second.rv).toBe(aLatest);
    expect(second.oldRv).toBe(first.rv);
    // Popped alone, the same notification sees exactly its own version.
    const alone = recRun(sc);
    alone.steps(/patch ConfigMap\/default\/a .*"2"/, /patch ConfigMap\/default\/b/, /patch ConfigMap\/default\/a .*"3"/, `deliver ${A} MODIFIED -> rec`);
    const only = seenOf(alone).slice(setupSeen)[0];
    expect(only.cache.a).toBe(only.rv);
  });
});

describe('W3: watch disconnect and relist', () => {
  const base = [createOp(namespaceObj()), createOp(configMap('a', { v: '1' }))];

  it('W3: a disconnect drops pending events and relists; intermediate states are never seen', () => {
    const sc: Scenario = { setup: base, ops: [patchCm('a', { v: '2' }), patchCm('a', { v: '3' })] };
    const r = recRun(sc, { watchDisconnects: 1 });
    const before = seenOf(r).length;
    r.steps(/"2"/, /"3"/);
    expect(r.world.controllers.rec.informers.ConfigMap.pending).toHaveLength(2);
    const entry = r.step('fault: watch disconnect rec/ConfigMap');
    expect(entry.notes).toEqual(['watch of ConfigMap lost 2 events; relist yields 1']);
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} MODIFIED -> rec`]);
    r.settle();
    const after = seenOf(r).slice(before);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ ev: 'update', data: { v: '3' }, rv: r.stored(A)!.metadata.resourceVersion });
  });

  it('W3: a delete missed during the gap arrives as a DELETED tombstone with the last known state', () => {
    const sc: Scenario = { setup: base, ops: [patchCm('a', { v: '2' }), deleteCm('a')] };
    const r = recRun(sc, { watchDisconnects: 1 });
    const known = r.cache('rec', 'ConfigMap')[A];
    r.steps(/^user: patch/, /^user: delete/);
    expect(r.stored(A)).toBeUndefined();
    r.step('fault: watch disconnect rec/ConfigMap');
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} DELETED(tombstone) -> rec`]);
    r.step(/^deliver /);
    const last = seenOf(r)[seenOf(r).length - 1];
    expect(last).toMatchObject({ ev: 'delete', tombstone: true, data: { v: '1' }, rv: known.metadata.resourceVersion, uid: known.metadata.uid });
    expect(r.cache('rec', 'ConfigMap')).toEqual({});

    // Without the gap the same delete is an ordinary DELETED with the final state.
    const plain = recRun(sc, { watchDisconnects: 1 });
    plain.steps(/^user: patch/, /^user: delete/, /MODIFIED/, /DELETED/);
    const del = seenOf(plain)[seenOf(plain).length - 1];
    expect(del).toMatchObject({ ev: 'delete', tombstone: false, data: { v: '2' } });
  });

  it('W3: a delete and re-create during the gap arrives as an update with a different uid', () => {
    const sc: Scenario = { setup: base, ops: [deleteCm('a'), createOp(configMap('a', { v: 'new' }))] };
    const r = recRun(sc, { watchDisconnects: 1 });
    const oldUid = r.cache('rec', 'ConfigMap')[A].metadata.uid;
    const before = seenOf(r).length;
    r.steps(/^user: delete/, /^user: create/);
    const newUid = r.stored(A)!.metadata.uid;
    expect(newUid).not.toBe(oldUid);
    r.step('fault: watch disconnect rec/ConfigMap');
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} MODIFIED -> rec`]);
    r.settle();
    const after = seenOf(r).slice(before);
    expect(after.map((s) => s.ev)).toEqual(['update']);
    expect(after[0]).toMatchObject({ oldUid, uid: newUid, data: { v: 'new' } });

    // Without the gap: delete then add.
    const plain = recRun(sc);
    plain.steps(/^user: delete/, /^user: create/);
    plain.settle();
    expect(seenOf(plain).slice(before).map((s) => s.ev)).toEqual(['delete', 'add']);
  });

  it('W3: fault actions exist only with a budget, one per informer, and use it up', () => {
    const sc: Scenario = { setup: base, ops: [] };
    expect(recRun(sc, undefined, ['ConfigMap', 'Widget']).ids().filter((id) => id.startsWith('fault:'))).toEqual([]);
    const r = recRun(sc, { watchDisconnects: 1 }, ['ConfigMap', 'Widget']);
    expect(r.ids()).toEqual(['fault: watch disconnect rec/ConfigMap', 'fault: watch disconnect rec/Widget']);
    const apiBefore = r.world.api;
    r.step('fault: watch disconnect rec/Widget');
    expect(r.world.faults.watchDisconnects).toBe(0);
    expect(r.ids()).toEqual([]);
    expect(r.world.api).toBe(apiBefore);
  });

  it('W3: a disconnect during the initial list after a restart still waits for the relist before start-up runs', () => {
    type M = { readonly startSaw?: readonly string[] };
    const ctrl: ControllerDef<M> = {
      name: 'rec',
      initialMemory: {},
      watches: { ConfigMap: {} },
      queues: {},
      *start(ctx) {
        const all = yield* ctx.lister('ConfigMap').list();
        yield* ctx.updateMemory(() => ({ startSaw: all.map((o) => o.metadata.name) }));
      },
    };
    const sc: Scenario = { setup: [...base, createOp(configMap('b'))], ops: [] };
    const r = new Run(new Simulator({ kinds: [], controllers: [ctrl], systemActors: [] }, { faults: { restarts: 1, watchDisconnects: 1 } }), sc);
    // Start-up ran at process start, before setup created anything.
    expect(r.memory<M>('rec').startSaw).toEqual([]);
    r.step('fault: restart rec');
    expect(r.memory<M>('rec')).toEqual({});
    expect(r.world.controllers.rec.informers.ConfigMap.unsynced).toBe(2);
    r.step(`deliver ${A} ADDED -> rec`);
    r.step('fault: watch disconnect rec/ConfigMap');
    // The relist still has b to deliver: WaitForCacheSync has not returned.
    expect(r.matching(/start/)).toEqual([]);
    expect(r.matching(/^deliver /)).toEqual([`deliver ${B} ADDED -> rec`]);
    r.settle();
    expect(r.memory<M>('rec').startSaw).toEqual(['a', 'b']);
  });
});

describe('W4: resync', () => {
  const sc: Scenario = {
    setup: [createOp(namespaceObj()), createOp(configMap('a', { v: '1' })), createOp(configMap('b', { v: '1' }))],
    ops: [patchCm('a', { v: '2' })],
  };

  it('W4: resync delivers update(old, new) with equal resourceVersions without contacting the API server', () => {
    const r = recRun(sc, { resyncs: 1 });
    const api = r.world.api;
    const before = seenOf(r).length;
    const entry = r.step('fault: resync rec/ConfigMap');
    expect(r.world.api).toBe(api);
    expect([...entry.reads, ...entry.writes].filter((x) => x.startsWith('api/'))).toEqual([]);
    expect(r.world.faults.resyncs).toBe(0);
    // Sync deltas queue in key order behind one another (W2): a first, then b.
    expect(r.matching(/^deliver /)).toEqual([`deliver ${A} RESYNC -> rec`]);
    r.step(/deliver .*\/a RESYNC/);
    expect(r.matching(/^deliver /)).toEqual([`deliver ${B} RESYNC -> rec`]);
    r.step(/deliver .*\/b RESYNC/);
    const resynced = seenOf(r).slice(before);
    expect(resynced.map((s) => `${s.ev} ${s.name}`)).toEqual(['update a', 'update b']);
    for (const s of resynced) {
      expect(s.rv).toBe(s.oldRv);
      expect(s.uid).toBe(s.oldUid);
    }
    expect(r.world.api).toBe(api);
  });

  it('W4: resync skips an object that still has an event queued, so its cache never goes back', () => {
    const r = recRun(sc, { resyncs: 1 });
    r.step(/^user: patch/);
    r.step('fault: resync rec/ConfigMap');
    // client-go DeltaFIFO.syncKeyLocked: no Sync delta for a key with queued deltas.
    const pending = r.world.controllers.rec.informers.ConfigMap.pending;
    expect(pending.map((p) => `${p.type} ${p.key}`)).toEqual([`MODIFIED ${A}`, `RESYNC ${B}`]);
    r.settle();
    expect(r.cache('rec', 'ConfigMap')[A].metadata.resourceVersion).toBe(r.stored(A)!.metadata.resourceVersion);
    const rvsOfA = seenOf(r).filter((s) => s.name === 'a').map((s) => s.rv);
    expect(new Set(rvsOfA).size).toBe(rvsOfA.length);
  });
});

describe('W5: listers read the cache', () => {
  interface Observed {
    readonly before?: string;
    readonly written?: string;
    readonly listerAfterWrite?: string;
    readonly direct?: string;
    readonly listerLater?: string;
  }
  function* bump(ctx: ReconcileContext<Observed>, key: string): Generator<Effect, void, unknown> {
    const [ns, name] = key.split('/');
    const cur = yield* ctx.client.get('ConfigMap', ns, name);
    const written = yield* ctx.client.update({ ...cur, data: { v: 'mine' } });
    const cached = yield* ctx.lister('ConfigMap').get(ns, name);
    const direct = yield* ctx.client.get('ConfigMap', ns, name);
    const later = yield* ctx.lister('ConfigMap').get(ns, name);
    yield* ctx.updateMemory(() => ({
      before: cur.metadata.resourceVersion,
      written: written.metadata.resourceVersion,
      listerAfterWrite: cached.metadata.resourceVersion,
      direct: direct.metadata.resourceVersion,
      listerLater: later.metadata.resourceVersion,
    }));
  }
  const ctrl: ControllerDef<Observed> = {
    name: 'w5',
    initialMemory: {},
    watches: { ConfigMap: { add: (ctx, o) => ctx.enqueue('q', `${o.metadata.namespace}/${o.metadata.name}`) } },
    queues: { q: { workers: 1, reconcile: bump } },
  };
  const sc: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a', { v: '1' }))] };
  const sim = new Simulator({ kinds: [], controllers: [ctrl], systemActors: [] });

  function upToUpdate(): Run {
    const r = new Run(sim, sc);
    r.steps(/^user: create/, /^deliver /, 'w5/q: bump(default/a) begin', 'w5/q: bump(default/a) GET ConfigMap/default/a');
    r.step('w5/q: bump(default/a) UPDATE ConfigMap/default/a');
    return r;
  }

  it("W5: a lister read after the controller's own write is stale; a direct GET is current", () => {
    const r = upToUpdate();
    // The MODIFIED event of our own write has not been delivered yet.
    expect(r.matching(/^deliver /)).toEqual(['deliver ConfigMap/default/a MODIFIED -> w5']);
    r.step('w5/q: bump(default/a) GET ConfigMap/default/a');
    const m = r.memory<Observed>('w5');
    expect(m.written).not.toBe(m.before);
    expect(m.listerAfterWrite).toBe(m.before);
    expect(m.direct).toBe(m.written);
    expect(m.listerLater).toBe(m.before);
  });

  it('W5: once the event is delivered the lister catches up (staleness depends on the schedule)', () => {
    const r = upToUpdate();
    r.step('deliver ConfigMap/default/a MODIFIED -> w5');
    r.step('w5/q: bump(default/a) GET ConfigMap/default/a');
    const m = r.memory<Observed>('w5');
    expect(m.listerAfterWrite).toBe(m.before);
    expect(m.listerLater).toBe(m.written);
  });

  it('W5: an event handler lister is stale relative to ctx.get', () => {
    const seen: Array<[string | undefined, string | undefined]> = [];
    const watcher: ControllerDef<null> = {
      name: 'h',
      initialMemory: null,
      watches: {
        ConfigMap: {},
        Widget: {
          add: (ctx) => {
            seen.push([ctx.lister('ConfigMap').get(NS, 'a')?.metadata.resourceVersion, ctx.get('ConfigMap', NS, 'a')?.metadata.resourceVersion]);
          },
        },
      },
      queues: {},
    };
    const s2: Scenario = {
      setup: [createOp(namespaceObj()), createOp(configMap('a', { v: '1' }))],
      ops: [patchCm('a', { v: '2' }), createOp(widget('w'))],
    };
    const r = new Run(new Simulator({ kinds: [Widget], controllers: [watcher], systemActors: [] }), s2);
    const old = r.stored(A)!.metadata.resourceVersion;
    // No order across informers (W2): the Widget event overtakes the ConfigMap one.
    r.steps(/^user: patch/, /^user: create/, `deliver Widget/${NS}/w ADDED -> h`);
    expect(seen).toEqual([[old, r.stored(A)!.metadata.resourceVersion]]);
    expect(seen[0][0]).not.toBe(seen[0][1]);
  });

  it('W5: a lister get of an object not yet in the cache throws NotFound like a Go lister', () => {
    let caught: unknown;
    function* probe(ctx: ReconcileContext<null>): Generator<Effect, void, unknown> {
      try {
        yield* ctx.lister('ConfigMap').get(NS, 'nope');
      } catch (e) {
        caught = e;
      }
    }
    const c: ControllerDef<null> = {
      name: 'p',
      initialMemory: null,
      watches: { ConfigMap: { add: (ctx) => ctx.enqueue('q', 'x') } },
      queues: { q: { workers: 1, reconcile: probe } },
    };
    const r = new Run(new Simulator({ kinds: [], controllers: [c], systemActors: [] }), { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a'))] });
    r.settle();
    expect(isNotFound(caught)).toBe(true);
  });
});


/**
 * Determinism: a seed and a schedule fully determine an execution (in one process and across
 * processes), a branch rebuilt by replay behaves like the live one, fingerprints identify worlds
 * reached by commuting independent steps, and generateName draws come from the seeded RNG.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/engine/simulator.ts';
import { canonicalWorld, fingerprint } from '../../src/engine/fingerprint.ts';
import { setupWorld } from '../../src/engine/settle.ts';
import { Simulator } from '../../src/engine/simulator.ts';
import type { Scenario } from '../../src/engine/system.ts';
import { busyContext, lcgChoices, runLog } from '../fixtures/determinism-system.ts';
import { NS, Run, Widget, configMap, createOp, namespaceObj, widget } from '../fixtures/engine-kit.ts';

const SEED = 7;
const CHOICES = lcgChoices(60, 1);
const script = fileURLToPath(new URL('../fixtures/determinism-run.ts', import.meta.url));
const repo = fileURLToPath(new URL('../..', import.meta.url));

describe('determinism of executions', () => {
  it('the same seed and choices give a byte-identical execution log, twice in one process', () => {
    const a = runLog(SEED, CHOICES);
    const b = runLog(SEED, CHOICES);
    expect(b).toBe(a);
    const { end, log } = JSON.parse(a) as { end: string; log: LogEntry[] };
    expect(end).toBe('stable');
    // The run is not trivial: faults fired, names were generated, handlers interleaved.
    expect(log.length).toBeGreaterThan(20);
    expect(log.filter((e) => e.actor === 'fault').length).toBeGreaterThanOrEqual(3);
    expect(log.some((e) => e.notes.some((n) => /^made kid-\w{5}-\w{5}$/.test(n)))).toBe(true);
    // A different schedule gives a different log.
    expect(runLog(SEED, lcgChoices(60, 2))).not.toBe(a);
  });

  it('the same seed and choices give a byte-identical execution log in two separate processes', () => {
    const run = () => execFileSync(process.execPath, ['--import', 'tsx', script, String(SEED), '1', '60'], { cwd: repo, encoding: 'utf8' });
    const first = run();
    const second = run();
    expect(second).toBe(first);
    expect(first).toBe(runLog(SEED, CHOICES));
  });

  it('a handler rebuilt by replay behaves exactly like the live generator', () => {
    const ctx = busyContext(SEED);
    // Walk the default schedule; at every step, take the same action twice from the same world:
    // the first use consumes the live generator, the second replays the recorded results.
    let world = ctx.root;
    let resumes = 0;
    for (let i = 0; i < 40; i++) {
      const actions = ctx.sim.enabled(world, ctx.scenario).filter((a) => a.actor !== 'fault');
      if (actions.length === 0) break;
      const a = actions[actions.length - 1];
      const live = ctx.sim.step(world, a, ctx.scenario);
      const replayed = ctx.sim.step(world, a, ctx.scenario);
      expect(JSON.stringify(replayed.entry)).toBe(JSON.stringify(live.entry));
      expect(canonicalWorld(replayed.world)).toBe(canonicalWorld(live.world));
      if (a.kind === 'resume') resumes++;
      world = live.world;
    }
    expect(resumes).toBeGreaterThan(3);
  });
});

describe('fingerprints', () => {
  // One controller with two informers: events of ConfigMap and Widget have no order between them (W2).
  const sim = new Simulator({ kinds: [Widget], controllers: [{ name: 'c', initialMemory: null, watches: { ConfigMap: {}, Widget: {} }, queues: {} }], systemActors: [] });
  const sc: Scenario = { setup: [createOp(namespaceObj())], ops: [createOp(configMap('a'), 'u1'), createOp(widget('w'), 'u2')] };
  const A = `ConfigMap/${NS}/a`;
  const W = `Widget/${NS}/w`;

  it('worlds reached by commuting independent steps have equal fingerprints (RVs and uids renamed)', () => {
    const ab = new Run(sim, sc).steps('u1: create ConfigMap/default/a', 'u2: create Widget/default/w');
    const ba = new Run(sim, sc).steps('u2: create Widget/default/w', 'u1: create ConfigMap/default/a');
    // The raw worlds differ: a and w got each other's resourceVersion and uid.
    expect(ab.stored(A)!.metadata.resourceVersion).toBe(ba.stored(W)!.metadata.resourceVersion);
    expect(ab.stored(A)!.metadata.resourceVersion).not.toBe(ba.stored(A)!.metadata.resourceVersion);
    expect(ab.stored(A)!.metadata.uid).not.toBe(ba.stored(A)!.metadata.uid);
    expect(fingerprint(ab.world)).toBe(fingerprint(ba.world));
    expect(canonicalWorld(ab.world)).toBe(canonicalWorld(ba.world));

    ab.steps(`deliver ${A} ADDED -> c`, `deliver ${W} ADDED -> c`);
    ba.steps(`deliver ${W} ADDED -> c`, `deliver ${A} ADDED -> c`);
    expect(fingerprint(ab.world)).toBe(fingerprint(ba.world));
  });

  it("W2: the DeltaFIFO's order across objects of one informer is state: creates of one kind do not commute", () => {
    const one: Scenario = { setup: sc.setup, ops: [createOp(configMap('a'), 'u1'), createOp(configMap('b'), 'u2')] };
    const ab = new Run(sim, one).steps('u1: create ConfigMap/default/a', 'u2: create ConfigMap/default/b');
    const ba = new Run(sim, one).steps('u2: create ConfigMap/default/b', 'u1: create ConfigMap/default/a');
    expect(ab.world.controllers.c.informers.ConfigMap.pending.map((p) => p.key)).toEqual([A, `ConfigMap/${NS}/b`]);
    expect(ba.world.controllers.c.informers.ConfigMap.pending.map((p) => p.key)).toEqual([`ConfigMap/${NS}/b`, A]);
    // a is delivered first in one world, b in the other: the worlds must not be merged.
    expect(fingerprint(ab.world)).not.toBe(fingerprint(ba.world));
    // Once both are delivered nothing of the order is left.
    ab.steps(/deliver .*\/a /, /deliver .*\/b /);
    ba.steps(/deliver .*\/b /, /deliver .*\/a /);
    expect(fingerprint(ab.world)).toBe(fingerprint(ba.world));
  });

  it('fingerprints still tell apart worlds that differ in content or progress', () => {
    const ab = new Run(sim, sc).steps('u1: create ConfigMap/default/a', 'u2: create Widget/default/w');
    const one = ab.fork();
    one.step(`deliver ${A} ADDED -> c`);
    expect(fingerprint(one.world)).not.toBe(fingerprint(ab.world));
    const onlyA = new Run(sim, sc).steps('u1: create ConfigMap/default/a');
    expect(fingerprint(onlyA.world)).not.toBe(fingerprint(ab.world));
    // Same objects, different data: different fingerprint.
    const other: Scenario = { setup: sc.setup, ops: [createOp(configMap('a', { x: '1' }), 'u1'), createOp(widget('w'), 'u2')] };
    const changed = new Run(sim, other).steps('u1: create ConfigMap/default/a', 'u2: create Widget/default/w');
    expect(fingerprint(changed.world)).not.toBe(fingerprint(ab.world));
  });

  it('over all schedules, states are identified up to the order of independent steps', () => {
    // Count distinct fingerprints over all schedules of the two creates and their deliveries.
    const count = (scenario: Scenario) => {
      const root = setupWorld(sim, scenario);
      const fps = new Set<number>();
      let paths = 0;
      const dfs = (w: typeof root) => {
        fps.add(fingerprint(w));
        const actions = sim.enabled(w, scenario);
        if (!actions.length) paths++;
        for (const a of actions) dfs(sim.step(w, a, scenario).world);
      };
      dfs(root);
      return { paths, states: fps.size };
    };
    // Two informers: 2 creates and 2 deliveries (each after its create): 6 schedules, and the states
    // are the subsets of {created a, created w, delivered a, delivered w} closed under "delivered => created".
    expect(count(sc)).toEqual({ paths: 6, states: 9 });
    // One informer (W2): the second delivery waits for the first, so 4 schedules; the two create
    // orders are distinct states until both are delivered (root, a, b, ab, ba, a+da, b+db,
    // ab+da = a+da+b, ba+db = b+db+a, all delivered).
    const one: Scenario = { setup: sc.setup, ops: [createOp(configMap('a'), 'u1'), createOp(configMap('b'), 'u2')] };
    expect(count(one)).toEqual({ paths: 4, states: 10 });
  });
});

describe('generateName draws come from the seeded RNG (M2)', () => {
  const sc: Scenario = {
    setup: [createOp(namespaceObj())],
    ops: [1, 2, 3].map(() => createOp({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'cm-', namespace: NS } })),
  };
  function names(seed: number): string[] {
    const sim = new Simulator({ kinds: [], controllers: [], systemActors: [] }, { seed });
    const r = new Run(sim, sc);
    r.settle();
    return Object.keys(r.world.api.objects).filter((k) => k.startsWith('ConfigMap/')).sort();
  }

  it('same seed -> same names; another seed -> other names', () => {
    const one = names(1);
    expect(one).toHaveLength(3);
    for (const k of one) expect(k).toMatch(/^ConfigMap\/default\/cm-[a-z0-9]{5}$/);
    expect(names(1)).toEqual(one);
    expect(names(2)).not.toEqual(one);
    expect(names(2)).toEqual(names(2));
  });

  it('the RNG state lives in the world: stepping a snapshot again draws the same name', () => {
    const sim = new Simulator({ kinds: [], controllers: [], systemActors: [] }, { seed: 3 });
    const r = new Run(sim, sc);
    const snapshot = r.world;
    r.step(/create/);
    const first = Object.keys(r.world.api.objects);
    const again = new Run(sim, sc, snapshot);
    again.step(/create/);
    expect(Object.keys(again.world.api.objects)).toEqual(first);
    expect(r.world.rng).not.toBe(snapshot.rng);
    expect(r.log[0].reads).toContain('rng');
    expect(r.log[0].writes).toContain('rng');
  });

  it('the busy system generates different names under another seed', () => {
    const namesIn = (log: string) => (JSON.parse(log) as { log: LogEntry[] }).log.flatMap((e) => e.notes.filter((n) => n.startsWith('made ')));
    const seven = namesIn(runLog(SEED, CHOICES));
    const eight = namesIn(runLog(SEED + 1, CHOICES));
    expect(seven).toHaveLength(2);
    expect(eight).toHaveLength(2);
    expect(eight).not.toEqual(seven);
  });
});

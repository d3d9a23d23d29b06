/**
 * Soundness of the search reductions: on every bundled model and every scenario small enough
 * for a full search, each reduced search (sleep-set POR, the breadth-first phase, both) reaches
 * the same SET of stable-state fingerprints as the plain DFS, and the same verdict per
 * property. A reduction that loses a stable state or an `always` violation fails here.
 */
import { describe, expect, test } from 'vitest';
import { type ExhaustiveOptions, checkExhaustive } from '../../src/check/exhaustive.ts';
import type { ModelDef } from '../../src/check/model.ts';
import { violation } from '../../src/check/property.ts';
import { SymmetricFingerprint } from '../../src/check/symmetry.ts';
import { fingerprint } from '../../src/engine/fingerprint.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import { operatorModel } from '../../models/operator/index.ts';
import { vpcModel } from '../../models/vpc/index.ts';
import { slotsModel } from '../fixtures/slots-model.ts';
import type { World } from '../../src/engine/world.ts';
import { toyModel } from '../fixtures/toy-model.ts';

interface Outcome {
  readonly stable: Set<number>;
  /** atStable properties violated at some stable world, and the verdict of every always property. */
  readonly verdicts: Record<string, 'holds' | 'violated'>;
  readonly states: number;
}

const CAP = 5_000;

/**
 * The stable states (keyed by `stableKey`, default the search's fingerprint) and verdicts of one
 * complete search, or undefined when it needed more than `cap` states.
 */
function run(
  model: ModelDef<any>,
  variant: string,
  scenario: string,
  opts: ExhaustiveOptions,
  cap = CAP,
  stableKey?: (world: World) => number,
): Outcome | undefined {
  const stable = new Set<number>();
  const verdicts: Record<string, 'holds' | 'violated'> = {};
  const atStable = model.properties.filter((p) => p.kind === 'atStable');
  for (const p of atStable) verdicts[p.name] = 'holds';
  const r = checkExhaustive(model, {
    variant,
    scenario,
    stopAtFirst: false,
    maxStates: cap,
    ...opts,
    onStable: (fp, world) => {
      stable.add(stableKey ? stableKey(world) : fp);
      for (const p of atStable) if (violation(p, world) !== undefined) verdicts[p.name] = 'violated';
    },
  });
  if (r.stats.stoppedBy !== undefined) return undefined;
  // Each always property on its own (a search reports one violation, the first).
  for (const p of model.properties.filter((q) => q.kind === 'always')) {
    verdicts[p.name] = checkExhaustive(model, { variant, scenario, maxStates: cap, properties: [p.name], ...opts }).result;
  }
  return { stable, verdicts, states: r.stats.states! };
}

/** Each reduction, and whether it promises every state (sleep sets prune transitions only). */
const reductions: Record<string, { opts: ExhaustiveOptions; allStates: boolean }> = {
  'sleep sets': { opts: { por: true, bfsStates: 0 }, allStates: true },
  'breadth-first phase': { opts: { por: false, bfsStates: 20 }, allStates: true },
  'breadth-first phase + sleep sets': { opts: { por: true, bfsStates: 20 }, allStates: true },
  // Removes states: fewer or as many, the same stable ones.
  'source-DPOR': { opts: { por: 'source-dpor' }, allStates: false },
};

const models: ModelDef<any>[] = [toyModel, slotsModel, vpcModel, operatorModel, kubeOvnModel];
/** Scenarios known to need far more than CAP states (measured: tens of thousands and more) are not tried. */
const large: Record<string, readonly string[]> = {
  slots: ['six', 'eight'],
  'kube-ovn': Object.keys(kubeOvnModel.scenarios).filter((s) => s !== 'serialized-idle'),
};

describe.each(models.map((m) => [m.name, m] as const))('reductions are sound on %s', (_name, model) => {
  const scenarios = Object.keys(model.scenarios).filter((s) => !large[model.name]?.includes(s));
  const cells = Object.keys(model.variants).flatMap((v) => scenarios.map((s) => [v, s] as const));
  test('every small scenario: same stable states and verdicts as the plain DFS', { timeout: 120_000 }, () => {
    let checked = 0;
    for (const [variant, scenario] of cells) {
      const full = run(model, variant, scenario, { por: false, bfsStates: 0 });
      if (!full) continue;
      checked++;
      for (const [name, { opts, allStates }] of Object.entries(reductions)) {
        const red = run(model, variant, scenario, opts);
        expect(red, `${variant}/${scenario} with ${name} completes`).toBeDefined();
        expect([...red!.stable].sort(), `${variant}/${scenario} with ${name}: stable states`).toEqual([...full.stable].sort());
        expect(red!.verdicts, `${variant}/${scenario} with ${name}: verdicts`).toEqual(full.verdicts);
        if (allStates) expect(red!.states, `${variant}/${scenario} with ${name}: states`).toBe(full.states);
        else expect(red!.states).toBeLessThanOrEqual(full.states);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

/**
 * Source-DPOR (src/check/dpor.ts) on the Kube-OVN scenarios the plain search completes within
 * 40,000 states, every variant: the scenarios whose users wait for idleness (`whenIdle`: an
 * action other steps disable), locks held across API calls, and two pods. The vpc model's
 * `finalizer-only/delete-together` cell above is the one that caught lock releases ordering
 * acquires (a stable state was lost before releases stopped counting as dependent).
 */
describe('source-DPOR is sound on the Kube-OVN scenarios small enough for the plain search', () => {
  const scenarios = ['subnet-held-by-live-pod', 'vm-stopped-subnet-deleted', 'serialized-idle'];
  const cells = [
    ...Object.keys(kubeOvnModel.variants).flatMap((v) => scenarios.map((s) => [v, s] as const)),
    ...['fix2+fix4', 'master'].map((v) => [v, 'two-pods'] as const),
  ];
  test.each(cells)('%s/%s: same stable states and verdicts, fewer states', { timeout: 120_000 }, (variant, scenario) => {
    const full = run(kubeOvnModel, variant, scenario, { por: false, bfsStates: 0 }, 40_000);
    expect(full, `${variant}/${scenario} within 40,000 states`).toBeDefined();
    const red = run(kubeOvnModel, variant, scenario, { por: 'source-dpor' }, 40_000)!;
    expect([...red.stable].sort()).toEqual([...full!.stable].sort());
    expect(red.verdicts).toEqual(full!.verdicts);
    expect(red.states).toBeLessThan(full!.states);
  });
});

/**
 * The informer-lag bound as enabledness in source-DPOR (a step over the bound is not taken, pops
 * at the bound order with appends, a step that brings an informer to the bound adds what it
 * disables): on cells where the bound prunes, the same stable states and verdicts as the plain
 * search under the same bound.
 */
describe('source-DPOR is sound under a tight informer-lag bound', () => {
  // Cells where the bound prunes (asserted below); fix 2's lock leaves too little concurrency
  // on subnet-held-by-live-pod for lag 2 to be reached.
  const cells = [
    ...Object.keys(kubeOvnModel.variants).map((v) => [v, 'vm-stopped-subnet-deleted', 2] as const),
    ...['fix3', 'master', 'master+fix4'].map((v) => [v, 'subnet-held-by-live-pod', 2] as const),
    ...['v1.12.28', 'master'].map((v) => [v, 'subnet-held-by-live-pod', 1] as const),
    ...['v1.12.28', 'fix2+fix4'].map((v) => [v, 'single-network', 1] as const),
  ].map(([v, s, lag]) => [v, s, lag, 'events'] as const);
  // Counted in writes (the kubelet's two-event delete is one, D9): every variant where the
  // bound prunes on these scenarios, and two pods.
  const writeCells = [
    ...Object.keys(kubeOvnModel.variants).map((v) => [v, 'vm-stopped-subnet-deleted', 1, 'writes'] as const),
    ...['v1.12.28', 'fix3', 'master'].map((v) => [v, 'subnet-held-by-live-pod', 1, 'writes'] as const),
    ...['fix3', 'master+fix4'].map((v) => [v, 'two-pods', 1, 'writes'] as const),
  ];
  test.each([...cells, ...writeCells])('%s/%s, lag <= %i %s', { timeout: 120_000 }, (variant, scenario, lag, lagUnit) => {
    const bound = { maxInformerLag: lag, lagUnit };
    const cap = 60_000;
    const full = run(kubeOvnModel, variant, scenario, { por: false, bfsStates: 0, ...bound }, cap);
    expect(full, `${variant}/${scenario} within ${cap} states`).toBeDefined();
    const pruned = checkExhaustive(kubeOvnModel, { variant, scenario, por: false, bfsStates: 0, maxStates: cap, ...bound }).stats.lagPruned;
    expect(pruned, 'the bound prunes states in this cell').toBeGreaterThan(0);
    // single-network reaches no stable state within lag <= 1: those cells compare the always
    // property and the state counts only; every other cell has stable states to compare.
    if (scenario !== 'single-network') expect(full!.stable.size, 'stable states to compare').toBeGreaterThan(0);
    const red = run(kubeOvnModel, variant, scenario, { por: 'source-dpor', ...bound }, cap)!;
    expect([...red.stable].sort()).toEqual([...full!.stable].sort());
    expect(red.verdicts).toEqual(full!.verdicts);
    expect(red.states).toBeLessThan(full!.states);
    // Sleep sets under the bound (lag footprints as enabledness): the same stable states and
    // verdicts; the count may differ only in over-the-bound leaves, which are never expanded.
    const sleep = run(kubeOvnModel, variant, scenario, { por: true, bfsStates: 0, ...bound }, cap)!;
    expect([...sleep.stable].sort()).toEqual([...full!.stable].sort());
    expect(sleep.verdicts).toEqual(full!.verdicts);
  });
});

/**
 * Symmetry reduction (src/check/symmetry.ts): on every bundled scenario that declares its
 * interchangeable names, the reduced search reaches the same stable states up to renaming (the
 * plain DFS's stable worlds, canonicalised, against the reduced search's), the same verdicts, and
 * no more states; with `symmetryCheckEvery: 1` every state is also checked to be an automorphism.
 */
describe('symmetry reduction is sound', () => {
  const cells: Array<readonly [ModelDef<any>, string, string, number]> = [
    ...['buggy', 'fixed'].flatMap((v) => ['two', 'three'].map((s) => [slotsModel, v, s, CAP] as const)),
    // two-pods is ~24,000 states unreduced: three variants (the fix, its parts' base, and master).
    ...['v1.12.28', 'fix2+fix4', 'master'].map((v) => [kubeOvnModel, v, 'two-pods', 40_000] as const),
  ];
  test.each(cells.map(([m, v, s, cap]) => [`${m.name} ${v}/${s}`, m, v, s, cap] as const))('%s: same stable states up to renaming, same verdicts', { timeout: 120_000 }, (_label, model, variant, scenario, cap) => {
    const canon = new SymmetricFingerprint(model.scenarios[scenario].symmetry!, 'time-abstract');
    const outcome = (opts: ExhaustiveOptions) => {
      const o = run(model, variant, scenario, opts, cap, (w) => canon.of(w));
      expect(o, `${variant}/${scenario} within ${cap} states`).toBeDefined();
      return o!;
    };
    const full = outcome({ por: false, bfsStates: 0 });
    const reduced = outcome({ symmetry: true, symmetryCheckEvery: 1 });
    expect([...reduced.stable].sort()).toEqual([...full.stable].sort());
    expect(reduced.verdicts).toEqual(full.verdicts);
    expect(reduced.states).toBeLessThan(full.states);
  });

  test('a declared symmetry the model breaks is caught: slot 0 goes to cm1 first, whatever the order', () => {
    // A scenario whose symmetry is wrong: cm1 and cm2 are created by users with different ops.
    const scenario = { ...slotsModel.scenarios.two, ops: [...slotsModel.scenarios.two.ops, { verb: 'delete' as const, kind: 'ConfigMap', namespace: 'default', name: 'cm1', actor: 'user1' }] };
    expect(() => checkExhaustive(slotsModel, { variant: 'fixed', scenario, symmetry: true })).toThrow(/does not map the scenario onto itself/);
  });
});

/**
 * The time abstraction of an idle clock (fingerprint.ts `time-abstract`: no clock, due times,
 * backoff counters or token bucket, only the order of pending timers) is a reduction too, and
 * not a bisimulation: two worlds it merges may differ in whether a timer fires before one set
 * later (found on fix2+fix4/single-network within lag <= 1 writes: a 30 s AddAfter and a 5 ms
 * backoff of the same item, merged). On every cell where the search with exact times is finite
 * and small, both reach the same stable states (keyed without times) and the same verdicts.
 */
describe('the idle-clock time abstraction against exact times', () => {
  const withoutTime = (w: World) => fingerprint(w, 'ignore-time');
  const small = ['subnet-held-by-live-pod', 'vm-stopped-subnet-deleted', 'serialized-idle'];
  const cells: Array<readonly [ModelDef<any>, string, string, number]> = [
    ...models
      .filter((m) => m !== kubeOvnModel)
      .flatMap((m) => Object.keys(m.variants).flatMap((v) => Object.keys(m.scenarios).filter((s) => !large[m.name]?.includes(s)).map((s) => [m, v, s, CAP] as const))),
    ...Object.keys(kubeOvnModel.variants).flatMap((v) => small.map((s) => [kubeOvnModel, v, s, 20_000] as const)),
    ...['v1.12.28', 'fix2+fix4', 'master'].map((v) => [kubeOvnModel, v, 'two-pods', 60_000] as const),
  ];
  test.each(cells.map(([m, v, s, cap]) => [`${m.name} ${v}/${s}`, m, v, s, cap] as const))('%s: same stable states and verdicts', { timeout: 120_000 }, (_label, model, variant, scenario, cap) => {
    const exact = run(model, variant, scenario, { por: false, bfsStates: 0, exactTime: true }, cap, withoutTime);
    expect(exact, `${variant}/${scenario} with exact times within ${cap} states`).toBeDefined();
    const abstract = run(model, variant, scenario, { por: false, bfsStates: 0 }, cap, withoutTime)!;
    expect([...abstract.stable].sort()).toEqual([...exact!.stable].sort());
    expect(abstract.verdicts).toEqual(exact!.verdicts);
    // Exact times refine the abstraction: it never has more states.
    expect(abstract.states).toBeLessThanOrEqual(exact!.states);
  });
});

/**
 * What a handler keeps of an answer (ctx.keep: a LIST it only counts, a subnet it only names) is
 * a projection of its in-flight record. It is exact by construction (the handler never receives
 * the rest), and checked here against the unreduced search that fingerprints the whole answers
 * too (EngineOptions.keepFullResults): the same stable states and verdicts on every Kube-OVN
 * variant of the small scenarios and on two pods, never more states, and fewer somewhere.
 */
describe('what handlers keep of an answer (ctx.keep) against the whole answers', () => {
  const small = ['subnet-held-by-live-pod', 'vm-stopped-subnet-deleted', 'serialized-idle'];
  const cells: Array<readonly [string, string, number]> = [
    ...Object.keys(kubeOvnModel.variants).flatMap((v) => small.map((s) => [v, s, 20_000] as const)),
    ...['fix2+fix4', 'master'].map((v) => [v, 'two-pods', 60_000] as const),
  ];
  let fewer = 0;
  test.each(cells)('%s/%s: same stable states and verdicts', { timeout: 120_000 }, (variant, scenario, cap) => {
    const full = run(kubeOvnModel, variant, scenario, { por: false, bfsStates: 0, engine: { keepFullResults: true } }, cap);
    expect(full, `${variant}/${scenario} with whole answers within ${cap} states`).toBeDefined();
    const kept = run(kubeOvnModel, variant, scenario, { por: false, bfsStates: 0 }, cap)!;
    expect([...kept.stable].sort()).toEqual([...full!.stable].sort());
    expect(kept.verdicts).toEqual(full!.verdicts);
    expect(kept.states).toBeLessThanOrEqual(full!.states);
    if (kept.states < full!.states) fewer++;
  });
  test('the projection removes states on some cell (the comparison is not vacuous)', () => {
    expect(fewer).toBeGreaterThan(0);
  });
});

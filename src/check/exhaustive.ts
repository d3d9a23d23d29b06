/**
 * Exhaustive bounded search over every interleaving from a fixed scenario.
 *
 * DFS with a visited set of state fingerprints and sleep-set partial-order reduction
 * (Godefroid): after exploring action a at a state, a sibling's subtree need not try a
 * again as long as the steps taken since are independent of it (disjoint read/write
 * footprints). A revisited state is skipped only if it was explored with a sleep set no
 * larger than the current one; otherwise it is re-explored with the intersection, which
 * keeps sleep sets sound together with state caching.
 *
 * BFS (`shortest`) finds a shortest counterexample; it uses the visited set but no POR.
 */
import { FingerprintTable } from './fptable.ts';
import { wallClockMs } from './stopwatch.ts';
import { dependent, type Footprint } from '../engine/footprint.ts';
import { fingerprint } from '../engine/fingerprint.ts';
import { deadlock, isQuiescent, settle } from '../engine/settle.ts';
import type { Action } from '../engine/simulator.ts';
import type { Scenario } from '../engine/system.ts';
import type { World } from '../engine/world.ts';
import { type Target, type TargetOptions, contextFor, target } from './context.ts';
import { type CheckContext, type Violation, checkAlways, checkAtStable, recordCoverage } from './execute.ts';
import type { ModelDef } from './model.ts';
import { checkShard } from './shard.ts';
import { type CheckReport, coverageRecord, toTrace } from './random.ts';

/**
 * Options of {@link checkExhaustive}: scenario, maxDepth (400), maxStates (2,000,000),
 * maxTimeMs, por, shortest, bfsStates (breadth-first phase before the DFS), shard, stopAtFirst,
 * clock (`idle` or `any`), onStable, onProgress.
 *
 * @example
 * ```ts
 * const opts: ExhaustiveOptions = { variant: 'v2', scenario: 'create-then-delete', shortest: true, maxStates: 100_000 };
 * ```
 *
 * @category Checking
 */
export interface ExhaustiveOptions extends TargetOptions {
  readonly scenario?: Scenario | string;
  /** Deepest path explored (default 400). */
  readonly maxDepth?: number;
  /** Most distinct states (default 2,000,000). */
  readonly maxStates?: number;
  /** Wall-clock limit in ms (default none). */
  readonly maxTimeMs?: number;
  /** Sleep-set partial-order reduction (default on; ignored with `shortest`). */
  readonly por?: boolean;
  /** Breadth-first: the counterexample found is a shortest one. */
  readonly shortest?: boolean;
  /** Explore only root branches i with i % count === index. */
  readonly shard?: { readonly index: number; readonly count: number };
  /** Stop at the first violation (default true). */
  readonly stopAtFirst?: boolean;
  /**
   * When the clock may advance: `idle` (default) only when nothing else can happen, so delayed
   * retries and periodic tasks run when the system is idle and the state space stays finite;
   * `any` also lets time pass mid-flight (timers racing handlers), bounded by maxDepth.
   */
  readonly clock?: 'idle' | 'any';
  /**
   * Fairness bound: a state in which some informer has more than this many watch events not yet
   * delivered (the initial list excluded) is not expanded. Without it an unfair schedule that never
   * lets an informer catch up, while the controller keeps writing, has unboundedly many states. A
   * search that prunes here is complete only within the bound, and says so. Default: the model's
   * `exhaustive.maxInformerLag`; `null` turns it off.
   */
  readonly maxInformerLag?: number | null;
  /** Called about every 10,000 states. */
  readonly onProgress?: (p: { states: number; transitions: number; depth: number; elapsedMs: number }) => void;
}

interface Found {
  readonly path: string[];
  readonly violation: Violation;
}

type Sleep = ReadonlyMap<string, Footprint>;

function footprintOf(entry: { reads: readonly string[]; writes: readonly string[] }): Footprint {
  return { reads: entry.reads as string[], writes: entry.writes as string[] };
}

/** Decide whether a quiescent world is stable (a violation if it deadlocked). */
/**
 * What a state's enabled actions say about it: quiescent (only faults and the clock left),
 * stable (quiescent and nothing makes progress any more) and, at a stable state, a deadlock or
 * a violated `atStable` property.
 */
function classify(ctx: CheckContext, world: World, actions: readonly Action[], depth: number): { quiet: boolean; stable: boolean; violation?: Violation } {
  if (!isQuiescent(actions)) return { quiet: false, stable: false };
  const stuck = deadlock(world);
  if (stuck) return { quiet: true, stable: true, violation: { property: stuck.kind, kind: 'engine', message: stuck.message, step: depth } };
  let stable = true;
  if (actions.some((a) => a.kind === 'clock')) {
    const probe = settle(ctx.sim, ctx.scenario, world, { maxSteps: 2000 });
    stable = probe.kind === 'stable' && probe.steps === 0;
  }
  return { quiet: true, stable, violation: stable ? checkAtStable(ctx, world, depth) : undefined };
}

/**
 * Exhaustive bounded search over every interleaving of a fixed scenario (depth-first with
 * sleep-set partial-order reduction; `shortest` for breadth-first). `stats.complete` says
 * whether the whole state space was explored (a proof for that scenario and its bounds).
 *
 * @example
 * ```ts
 * const report = checkExhaustive(backupModel, { variant: 'v2', scenario: 'create-then-delete' });
 * console.log(report.result, report.stats.states, report.stats.complete);
 * ```
 *
 * @category Checking
 */
export function checkExhaustive(model: ModelDef<any>, opts: ExhaustiveOptions = {}): CheckReport {
  const t = target(model, opts);
  const ctx = contextFor(t, opts.scenario);
  const r = explore(t, ctx, opts);
  return r;
}

/** The most watch events any informer has not delivered yet (initial-list events not counted). */
export function informerLag(world: World): number {
  let max = 0;
  for (const name in world.controllers) {
    const informers = world.controllers[name].informers;
    for (const kind in informers) {
      let n = 0;
      for (const ev of informers[kind].pending) if (!ev.initial) n++;
      if (n > max) max = n;
    }
  }
  return max;
}

export function explore(t: Target, ctx: CheckContext & { scenarioName?: string }, opts: ExhaustiveOptions): CheckReport {
  const started = wallClockMs();
  // A shard outside 0..count-1 would explore nothing and report a complete proof.
  if (opts.shard) checkShard(opts.shard);
  const maxDepth = opts.maxDepth ?? 400;
  const maxStates = opts.maxStates ?? 2_000_000;
  const por = opts.por !== false && !opts.shortest;
  const stopAtFirst = opts.stopAtFirst !== false;
  const idleClock = (opts.clock ?? 'idle') === 'idle';
  // With an idle-only clock, exact times and backoff counters are abstracted (see fingerprint.ts).
  const fpMode = idleClock ? 'time-abstract' : 'exact';
  const reached = new Set<string>();
  const stats = { states: 0, transitions: 0, maxDepth: 0, complete: true, lagPruned: 0 };
  // `null` turns the model's default bound off.
  const lagBound = opts.maxInformerLag === null ? undefined : (opts.maxInformerLag ?? t.model.exhaustive?.maxInformerLag);
  const overLag = (w: World) => lagBound !== undefined && informerLag(w) > lagBound;
  let found: Found | undefined;
  let stopped = false;
  const overTime = () => opts.maxTimeMs !== undefined && wallClockMs() - started > opts.maxTimeMs;
  const progress = () => {
    if (opts.onProgress && stats.states % 10_000 === 0) {
      opts.onProgress({ states: stats.states, transitions: stats.transitions, depth: stats.maxDepth, elapsedMs: wallClockMs() - started });
    }
  };

  const report = (path: string[], violation: Violation) => {
    if (!found) found = { path: [...path], violation: { ...violation, step: violation.kind === 'engine' && violation.step === 0 ? path.length : violation.step } };
    if (stopAtFirst) stopped = true;
  };

  const rootViolation = checkAlways(ctx, ctx.root, 0);
  recordCoverage(ctx, ctx.root, reached);
  if (rootViolation) report([], rootViolation);

  if (!stopped && opts.shortest) {
    // BFS with parent links for path reconstruction.
    interface Node {
      readonly world: World;
      readonly parent: number;
      readonly id: string;
      readonly depth: number;
    }
    const nodes: Node[] = [{ world: ctx.root, parent: -1, id: '', depth: 0 }];
    const visited = new FingerprintTable();
    visited.add(fingerprint(ctx.root, fpMode));
    stats.states = 1;
    const pathTo = (i: number): string[] => {
      const p: string[] = [];
      for (let n = i; n > 0; n = nodes[n].parent) p.push(nodes[n].id);
      return p.reverse();
    };
    for (let head = 0; head < nodes.length && !stopped; head++) {
      const node = nodes[head];
      const world = node.world;
      if (world.failure) continue;
      const actions = ctx.sim.enabled(world, ctx.scenario);
      const { quiet, stable, violation } = classify(ctx, world, actions, node.depth);
      if (violation) {
        report(pathTo(head), violation);
        continue;
      }
      if (node.depth >= maxDepth) {
        stats.complete = false;
        continue;
      }
      if (overLag(world)) {
        stats.lagPruned++;
        continue;
      }
      for (let i = 0; i < actions.length && !stopped; i++) {
        const a = actions[i];
        if (a.kind === 'clock' && (stable || (idleClock && !quiet))) continue;
        if (node.depth === 0 && opts.shard && i % opts.shard.count !== opts.shard.index) continue;
        const r = ctx.sim.step(world, a, ctx.scenario);
        stats.transitions++;
        const fp = fingerprint(r.world, fpMode);
        if (!visited.add(fp)) continue;
        stats.states++;
        progress();
        stats.maxDepth = Math.max(stats.maxDepth, node.depth + 1);
        nodes.push({ world: r.world, parent: head, id: a.id, depth: node.depth + 1 });
        recordCoverage(ctx, r.world, reached);
        const v = checkAlways(ctx, r.world, node.depth + 1);
        if (v) report(pathTo(nodes.length - 1), v);
        if (stats.states >= maxStates || (stats.states % 1000 === 0 && overTime())) {
          stats.complete = false;
          stopped = true;
        }
      }
    }
  } else if (!stopped) {
    const visited = new FingerprintTable<ReadonlySet<string>>();
    const noIds: ReadonlySet<string> = new Set();
    const path: string[] = [];
    const dfs = (world: World, depth: number, sleepIn: Sleep): void => {
      const fp = fingerprint(world, fpMode);
      let sleep = sleepIn;
      const prev = visited.get(fp);
      if (prev) {
        if (prev.size === 0) return;
        let subset = true;
        for (const id of prev) if (!sleep.has(id)) subset = false;
        if (subset) return;
        const narrowed = new Map<string, Footprint>();
        for (const [id, f] of sleep) if (prev.has(id)) narrowed.set(id, f);
        sleep = narrowed;
      } else {
        stats.states++;
        progress();
        if (stats.states >= maxStates || (stats.states % 1000 === 0 && overTime())) {
          stats.complete = false;
          stopped = true;
        }
      }
      visited.set(fp, sleep.size ? new Set(sleep.keys()) : noIds);
      stats.maxDepth = Math.max(stats.maxDepth, depth);
      if (world.failure) return;
      const actions = ctx.sim.enabled(world, ctx.scenario);
      const { quiet, stable, violation } = classify(ctx, world, actions, depth);
      if (violation) return report(path, violation);
      if (depth >= maxDepth) {
        stats.complete = false;
        return;
      }
      if (overLag(world)) {
        stats.lagPruned++;
        return;
      }
      const done: Array<[string, Footprint]> = [];
      for (let i = 0; i < actions.length && !stopped; i++) {
        const a = actions[i];
        if (a.kind === 'clock' && (stable || (idleClock && !quiet))) continue;
        if (depth === 0 && opts.shard && i % opts.shard.count !== opts.shard.index) continue;
        if (por && sleep.size !== 0 && sleep.has(a.id)) continue;
        const r = ctx.sim.step(world, a, ctx.scenario);
        stats.transitions++;
        const fpA = footprintOf(r.entry);
        path.push(a.id);
        recordCoverage(ctx, r.world, reached);
        const v = checkAlways(ctx, r.world, depth + 1);
        if (v) {
          report(path, v);
        } else {
          let childSleep: Map<string, Footprint> = new Map();
          if (por) {
            if (sleep.size !== 0) for (const [id, f] of sleep) if (!dependent(f, fpA)) childSleep.set(id, f);
            for (const [id, f] of done) if (!dependent(f, fpA)) childSleep.set(id, f);
          }
          dfs(r.world, depth + 1, childSleep);
        }
        path.pop();
        if (por) done.push([a.id, fpA]);
      }
    };
    dfs(ctx.root, 0, new Map());
  }

  const durationMs = wallClockMs() - started;
  const base = { model: t.model.name, variant: t.variant, mode: 'exhaustive' as const, coverage: coverageRecord(t, reached) };
  const s = {
    states: stats.states,
    transitions: stats.transitions,
    maxDepth: stats.maxDepth,
    // Pruned by the fairness bound: complete only within it (completeWithinLag).
    complete: stats.complete && !found && stats.lagPruned === 0,
    ...(lagBound !== undefined ? { lagBound, lagPruned: stats.lagPruned, completeWithinLag: stats.complete && !found } : {}),
    steps: stats.transitions,
    durationMs,
  };
  if (!found) return { ...base, result: 'holds', stats: s };
  const run = { ids: found.path, world: ctx.root, violation: found.violation, end: 'violation' as const };
  return {
    ...base,
    result: 'violated',
    violation: found.violation,
    counterexample: toTrace(t, ctx, run, { mode: 'exhaustive' }),
    stats: s,
  };
}

export { target };

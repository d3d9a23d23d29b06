/**
 * Exhaustive bounded search over every interleaving from a fixed scenario.
 *
 * First a breadth-first phase explores whole levels while the stored states stay within
 * `bfsStates` (shallow counterexamples first, and shortest; `stats.completeDepth` says to
 * which depth every state was explored), then a DFS runs from every node of its frontier,
 * sharing the visited set:
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
import type { SharedSearch } from './shared-visited.ts';
import { wallClockMs } from './stopwatch.ts';
import { dependent, type Footprint } from '../engine/footprint.ts';
import { fingerprint } from '../engine/fingerprint.ts';
import { isQuiescent } from '../engine/settle.ts';
import { type LagBound, type LagUnit, classifyState as classify, informerLag, lagBoundOf, withLag } from './state-kind.ts';
import type { Action } from '../engine/simulator.ts';
import type { Scenario } from '../engine/system.ts';
import type { World } from '../engine/world.ts';
import { type Target, type TargetOptions, contextFor, target } from './context.ts';
import { type CheckContext, type Violation, checkAlways, recordCoverage } from './execute.ts';
import { type Histories, nextHistories, rootHistories, stateKey } from './history.ts';
import { type ModelDef, UsageError } from './model.ts';
import { checkShard } from './shard.ts';
import { sourceDpor } from './dpor.ts';
import { type Symmetry, SymmetricFingerprint, SymmetryCheck, validateSymmetry } from './symmetry.ts';
import { type CheckReport, coverageRecord, toTrace } from './random.ts';

/**
 * Options of {@link checkExhaustive}: scenario, maxDepth (400), maxStates (2,000,000),
 * maxTimeMs, por, shortest, bfsStates (breadth-first phase before the DFS), shard, stopAtFirst,
 * clock (`idle` or `any`), maxInformerLag, onStable, onProgress.
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
  /**
   * Partial-order reduction: `true` or `'sleep-sets'` (the default; ignored with `shortest`):
   * sleep sets, which prune transitions but not states; `'source-dpor'`: source-set DPOR with
   * state caching and sleep sets (./dpor.ts), which removes states, from the root (no
   * breadth-first phase; not with `shortest`, symmetry, shared workers or history properties);
   * `false`: none.
   */
  readonly por?: boolean | 'sleep-sets' | 'source-dpor';
  /** Breadth-first: the counterexample found is a shortest one. */
  readonly shortest?: boolean;
  /**
   * Breadth-first phase before the DFS: whole levels are explored (shallowest first) while the
   * states stored stay within this many (default min(50,000, maxStates / 10); 0: DFS only,
   * from the root),
   * so a shallow counterexample is found quickly even when the whole space is large, and
   * `stats.completeDepth` says to which depth every state was explored.
   */
  readonly bfsStates?: number;
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
   * Key states by exact times (the clock, timer due times, backoff counters, the token bucket)
   * instead of the time abstraction of an idle clock (fingerprint.ts `time-abstract`). That
   * abstraction keeps only the order of pending timers, so two worlds it merges can differ in
   * whether a timer fires before one set later: it is not a bisimulation. Exact times are; a
   * retry loop that never ends then gives unboundedly many states (the depth bound stops it).
   */
  readonly exactTime?: boolean;
  /**
   * Fairness bound: a state in which some informer has more than this many watch events not yet
   * delivered (the initial list excluded) is not expanded. Without it an unfair schedule that never
   * lets an informer catch up, while the controller keeps writing, has unboundedly many states. A
   * search that prunes here is complete only within the bound, and says so (`completeDepth`
   * then counts within the bound too). Default: the model's `exhaustive.maxInformerLag`; `null`
   * turns it off.
   */
  readonly maxInformerLag?: number | null;
  /**
   * What the fairness bound counts: `events` (default, or the model's `exhaustive.lagUnit`)
   * or `writes` (API requests not fully delivered; one request may emit two events, D9).
   */
  readonly lagUnit?: LagUnit;
  /**
   * Symmetry reduction (./symmetry.ts): `true` uses the scenario's `symmetry`, or pass one. States
   * equal up to a permutation of interchangeable names are explored once; the sleep-set POR is
   * off meanwhile (sleep sets name actions of one naming). Every `symmetryCheckEvery`-th new state
   * (default 64) is checked to have the renamed successors of its renaming.
   */
  readonly symmetry?: boolean | Symmetry;
  readonly symmetryCheckEvery?: number;
  /** Called at every stable world explored (with its fingerprint), e.g. to compare reductions. */
  readonly onStable?: (fp: number, world: World) => void;
  /** Called about every 10,000 states. */
  readonly onProgress?: (p: ExploreProgress) => void;
}

/**
 * What {@link ExhaustiveOptions.onProgress} reports: states, transitions, deepest depth, the
 * frontier (breadth-first phase: states of the open levels not yet expanded; DFS phase: frontier
 * nodes not yet taken plus the current path), the depth covered completely so far, and time.
 * Parallel searches report sums over their workers, without frontier and phase.
 *
 * @example
 * ```ts
 * const onProgress = (p: ExploreProgress) => console.error(`${p.states} states, complete to depth ${p.completeDepth ?? '-'}, frontier ${p.frontier ?? '-'}`);
 * ```
 *
 * @category Checking
 */
export interface ExploreProgress {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly frontier?: number;
  readonly completeDepth?: number;
  readonly phase?: 'bfs' | 'dfs';
  readonly elapsedMs: number;
}

interface Found {
  readonly path: string[];
  readonly violation: Violation;
}

type Sleep = ReadonlyMap<string, Footprint>;

function footprintOf(entry: { reads: readonly string[]; writes: readonly string[] }): Footprint {
  return { reads: entry.reads as string[], writes: entry.writes as string[] };
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

/**
 * A worker of a frontier-split search (./parallel.ts): the DFS phase takes frontier nodes
 * from, and records states in, what the workers share (no sleep sets there).
 */
export interface SharedWorker {
  readonly shared?: { readonly search: SharedSearch; readonly worker: number };
}

/** {@link checkExhaustive} as one worker of a frontier-split search. */
export function checkExhaustiveShared(model: ModelDef<any>, opts: ExhaustiveOptions & SharedWorker): CheckReport {
  const t = target(model, opts);
  return explore(t, contextFor(t, opts.scenario), opts);
}

/** Default state budget of the breadth-first phase that runs before the DFS (see `bfsStates`). */
export const DEFAULT_BFS_STATES = 50_000;

export function explore(t: Target, ctx: CheckContext & { scenarioName?: string }, optsIn: ExhaustiveOptions & SharedWorker): CheckReport {
  const started = wallClockMs();
  // Distinct stable states, for the report: a pass with none is vacuous for `atStable` properties.
  const stableSeen = new Set<number>();
  const userOnStable = optsIn.onStable;
  const opts: ExhaustiveOptions & SharedWorker = {
    ...optsIn,
    onStable: (fp, world) => {
      stableSeen.add(fp);
      userOnStable?.(fp, world);
    },
  };
  const withStable = (r: CheckReport): CheckReport => ({ ...r, stats: { ...r.stats, stableStates: stableSeen.size } });
  // A shard outside 0..count-1 would explore nothing and report a complete proof.
  if (opts.shard) checkShard(opts.shard);
  const maxDepth = opts.maxDepth ?? 400;
  const maxStates = opts.maxStates ?? 2_000_000;
  const shared = opts.shared?.search;
  // Histories: the state is (world, histories), and POR is unsound for it (./history.ts).
  const h0 = rootHistories(ctx.properties, ctx.root);
  const idleClock = (opts.clock ?? 'idle') === 'idle';
  // With an idle-only clock, exact times and backoff counters are abstracted (see fingerprint.ts).
  const fpMode = idleClock && !opts.exactTime ? 'time-abstract' : 'exact';
  const symmetry = symmetryOf(opts, ctx.scenario);
  if (symmetry && h0 !== undefined) throw new UsageError('symmetry reduction cannot be combined with history properties (a history is not renamed)');
  const symFp = symmetry ? new SymmetricFingerprint(symmetry, fpMode) : undefined;
  if (symFp) validateSymmetry(symFp, ctx.scenario, ctx.root);
  /** The visited-set key of a world: its fingerprint, or the smallest over its renamings. */
  const fingerprintOf = symFp ? (w: World) => symFp.of(w) : (w: World) => fingerprint(w, fpMode);
  if (opts.por === 'source-dpor') return withStable(exploreDpor(t, ctx, opts, started, h0, fpMode, symmetry !== undefined));
  const por = opts.por !== false && !opts.shortest && !shared && h0 === undefined && !symmetry;
  const stopAtFirst = opts.stopAtFirst !== false;
  // `shortest` is the breadth-first phase without a budget of its own.
  const bfsStates = opts.shortest ? Infinity : Math.max(0, opts.bfsStates ?? Math.min(DEFAULT_BFS_STATES, Math.floor(maxStates / 10)));
  const reached = new Set<string>();
  const stats = { states: 0, transitions: 0, maxDepth: 0, depthCut: false, lagPruned: 0 };
  // `null` turns the model's default bound off.
  const lagBound = lagBoundOf(opts.maxInformerLag, opts.lagUnit, t.model.exhaustive);
  const overLag = (w: World) => lagBound !== undefined && informerLag(w, lagBound.unit) > lagBound.max;
  let stoppedBy: 'states' | 'time' | undefined;
  /** Every state within this many steps of the root has been explored (classified, successors generated). */
  let completeDepth: number | undefined;
  let found: Found | undefined;
  let stopped = false;
  let dfsPhase = false;
  /** DFS phase: frontier nodes taken so far (index into `nodes`), and the current path. */
  let frontierTaken = 0;
  let dfsPath: readonly string[] = [];
  const overTime = () => opts.maxTimeMs !== undefined && wallClockMs() - started > opts.maxTimeMs;
  const progress = () => {
    if (opts.onProgress && stats.states % 10_000 === 0) {
      opts.onProgress({
        states: stats.states,
        transitions: stats.transitions,
        depth: stats.maxDepth,
        frontier: dfsPhase ? Math.max(0, nodes.length - frontierTaken) + dfsPath.length : nodes.length - head,
        ...(completeDepth !== undefined ? { completeDepth } : {}),
        phase: dfsPhase ? 'dfs' : 'bfs',
        elapsedMs: wallClockMs() - started,
      });
    }
  };
  /** Count a new state; false (and the search stops) once a budget is spent. */
  const countState = (): boolean => {
    stats.states++;
    progress();
    const total = shared && dfsPhase ? shared.addStates(1) : stats.states;
    if (total >= maxStates) stoppedBy = 'states';
    else if (stats.states % 1000 === 0 && overTime()) stoppedBy = 'time';
    else if (shared?.stopped) stopped = true;
    if (stoppedBy) stopped = true;
    return !stoppedBy;
  };

  const report = (path: readonly string[], violation: Violation) => {
    if (!found) found = { path: [...path], violation: { ...violation, step: violation.kind === 'engine' && violation.step === 0 ? path.length : violation.step } };
    if (stopAtFirst) {
      stopped = true;
      shared?.stop();
    }
  };

  const rootViolation = checkAlways(ctx, ctx.root, 0, h0);
  recordCoverage(ctx, ctx.root, reached, h0);
  if (rootViolation) report([], rootViolation);

  // Visited states; the value is the sleep set a state was explored with (empty: fully).
  const visited = new FingerprintTable<ReadonlySet<string>>();
  // Symmetry: sampled states are checked to be mapped onto their renamings' successors.
  const symEvery = Math.max(1, opts.symmetryCheckEvery ?? 64);
  let symSeen = 0;
  const symCheck = symFp
    ? new SymmetryCheck(symFp, ctx.sim, ctx.scenario, (a, actions) => a.kind !== 'clock' || !idleClock || isQuiescent(actions))
    : undefined;
  const describePath = (p: readonly string[]) => (p.length ? `${p.length} steps (last: ${p[p.length - 1]})` : 'the set-up');
  const noIds: ReadonlySet<string> = new Set();

  // Phase 1, breadth-first by levels: shallow counterexamples are found first (and are
  // shortest), whatever the size of the whole space. Worlds are kept for the unexpanded
  // levels only; every node keeps its parent link for the path.
  interface Node {
    world: World | undefined;
    readonly h: Histories;
    readonly parent: number;
    readonly id: string;
    readonly depth: number;
  }
  const nodes: Node[] = [{ world: ctx.root, h: h0, parent: -1, id: '', depth: 0 }];
  // With shared workers, the phase's states go into the shared set afterwards.
  const bfsFps: number[] = [stateKey(fingerprintOf(ctx.root), h0)];
  visited.set(bfsFps[0], noIds);
  stats.states = 1;
  const pathTo = (i: number): string[] => {
    const p: string[] = [];
    for (let n = i; n > 0; n = nodes[n].parent) p.push(nodes[n].id);
    return p.reverse();
  };
  let head = 0;
  let level = 0;
  // bfsStates 0: the DFS starts at the root itself (its sleep sets then span the root's branches).
  while (!stopped && head < nodes.length && bfsStates > 0) {
    // Expand the next level only while the stored states stay within the phase budget.
    if (nodes[head].depth > level) {
      completeDepth = level;
      level = nodes[head].depth;
      if (nodes.length > bfsStates) break;
    }
    const node = nodes[head];
    const world = node.world;
    node.world = undefined;
    head++;
    if (!world) continue;
    if (world.failure) continue;
    const actions = ctx.sim.enabled(world, ctx.scenario);
    const { quiet, stable, violation } = classify(ctx, world, actions, node.depth, node.h);
    if (stable && opts.onStable) opts.onStable(fingerprintOf(world), world);
    if (violation) {
      report(pathTo(head - 1), violation);
      continue;
    }
    if (node.depth >= maxDepth) {
      stats.depthCut = true;
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
      const h = nextHistories(ctx.properties, node.h, r.world);
      const fp = stateKey(fingerprintOf(r.world), h);
      if (!visited.set(fp, noIds)) continue;
      if (symCheck && ++symSeen % symEvery === 0) symCheck.check(r.world, symSeen / symEvery, () => describePath([...pathTo(head - 1), a.id]));
      if (shared) bfsFps.push(fp);
      stats.maxDepth = Math.max(stats.maxDepth, node.depth + 1);
      nodes.push({ world: r.world, h, parent: head - 1, id: a.id, depth: node.depth + 1 });
      recordCoverage(ctx, r.world, reached, h);
      const v = checkAlways(ctx, r.world, node.depth + 1, h);
      if (v) {
        report(pathTo(nodes.length - 1), v);
        // A violating state ends its path, as in the DFS: it is counted, never expanded.
        nodes[nodes.length - 1].world = undefined;
      }
      countState();
    }
  }
  const bfsDone = head >= nodes.length;
  // Breadth-first is depth-exact: a finished phase explored every state within maxDepth.
  if (bfsDone && !stopped) completeDepth = stats.depthCut ? maxDepth : stats.maxDepth;

  // Phase 2: depth-first from every node the breadth-first phase left unexpanded, with the
  // sleep-set POR, sharing the visited set.
  const bfs = { states: stats.states, transitions: stats.transitions };
  if (!stopped && !bfsDone) {
    dfsPhase = true;
    if (shared) {
      for (const fp of bfsFps) shared.add(fp);
      if (opts.shared!.worker === 0) shared.addStates(bfs.states);
    }
    const path: string[] = [];
    dfsPath = path;
    const dfs = (world: World, h: Histories, depth: number, sleepIn: Sleep): void => {
      const fp = stateKey(fingerprintOf(world), h);
      if (symCheck && !visited.has(fp) && ++symSeen % symEvery === 0) symCheck.check(world, symSeen / symEvery, () => describePath(path));
      if (shared) {
        if (!shared.add(fp)) return;
        countState();
        stats.maxDepth = Math.max(stats.maxDepth, depth);
        return expand(world, h, depth, sleepIn);
      }
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
        countState();
      }
      visited.set(fp, sleep.size ? new Set(sleep.keys()) : noIds);
      stats.maxDepth = Math.max(stats.maxDepth, depth);
      expand(world, h, depth, sleep);
    };
    const expand = (world: World, h: Histories, depth: number, sleep: Sleep): void => {
      if (world.failure) return;
      const actions = ctx.sim.enabled(world, ctx.scenario);
      const { quiet, stable, violation } = classify(ctx, world, actions, depth, h);
      if (stable && opts.onStable) opts.onStable(fingerprintOf(world), world);
      if (violation) return report(path, violation);
      if (depth >= maxDepth) {
        stats.depthCut = true;
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
        // With a lag bound, the footprints carry it as enabledness (see withLag): otherwise a
        // step into a state over the bound would put to sleep an action that a pop makes
        // takeable below the bound, and that state would be missed.
        const fpA = lagBound === undefined ? footprintOf(r.entry) : withLag(a, r.entry.reads as string[], r.entry.writes as string[], world, lagBound);
        path.push(a.id);
        const hNext = nextHistories(ctx.properties, h, r.world);
        recordCoverage(ctx, r.world, reached, hNext);
        const v = checkAlways(ctx, r.world, depth + 1, hNext);
        if (v) {
          report(path, v);
        } else {
          let childSleep: Map<string, Footprint> = new Map();
          if (por) {
            if (sleep.size !== 0) for (const [id, f] of sleep) if (!dependent(f, fpA)) childSleep.set(id, f);
            for (const [id, f] of done) if (!dependent(f, fpA)) childSleep.set(id, f);
          }
          dfs(r.world, hNext, depth + 1, childSleep);
        }
        path.pop();
        if (por) done.push([a.id, fpA]);
      }
    };
    // The frontier nodes are already counted and marked visited: expand them directly.
    // Shared workers take the frontier nodes one at a time.
    const nextNode = (i: number) => (shared ? head + shared.takeNext() : i + 1);
    for (let i = shared ? nextNode(0) : head; i < nodes.length && !stopped; i = nextNode(i)) {
      const node = nodes[i];
      const world = node.world;
      node.world = undefined;
      frontierTaken = i + 1;
      if (!world) continue;
      path.length = 0;
      path.push(...pathTo(i));
      expand(world, node.h, node.depth, new Map());
    }
  }

  const complete = !stoppedBy && !stats.depthCut;
  if (complete && !found) completeDepth = stats.maxDepth;
  const durationMs = wallClockMs() - started;
  const base = { model: t.model.name, variant: t.variant, mode: 'exhaustive' as const, coverage: coverageRecord(t, reached) };
  const stoppedReason = stoppedBy ?? (stats.depthCut ? ('depth' as const) : undefined);
  // The breadth-first phase is the same in every shared worker: worker 0 counts it.
  const own = opts.shared && opts.shared.worker !== 0 ? bfs : { states: 0, transitions: 0 };
  const s = {
    states: stats.states - own.states,
    transitions: stats.transitions - own.transitions,
    maxDepth: stats.maxDepth,
    // Pruned by the fairness bound: complete only within it (completeWithinLag).
    complete: complete && !found && stats.lagPruned === 0,
    ...(lagBound !== undefined ? { ...lagStats(lagBound), lagPruned: stats.lagPruned, completeWithinLag: complete && !found } : {}),
    ...(completeDepth !== undefined ? { completeDepth } : {}),
    ...(symFp && symCheck ? { symmetryRenamings: symFp.renamers.length, symmetryChecked: symCheck.checked } : {}),
    // A search that stopped at its first violation was not stopped by a budget.
    ...(stoppedReason && !(found && stopAtFirst) ? { stoppedBy: stoppedReason } : {}),
    steps: stats.transitions - own.transitions,
    stableStates: stableSeen.size,
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

/** The bound as the report states it: the number, and the unit when it is not the default. */
function lagStats(b: LagBound): { lagBound: number; lagUnit?: 'writes' } {
  return b.unit === 'writes' ? { lagBound: b.max, lagUnit: 'writes' } : { lagBound: b.max };
}

/** `por: 'source-dpor'`: the search of ./dpor.ts, reported like the others. */
function exploreDpor(t: Target, ctx: CheckContext, opts: ExhaustiveOptions & SharedWorker, started: number, h0: Histories, fpMode: 'time-abstract' | 'exact', symmetric: boolean): CheckReport {
  if (opts.shortest) throw new UsageError('source-DPOR explores depth-first: it cannot be combined with `shortest`');
  if (symmetric) throw new UsageError('source-DPOR cannot be combined with symmetry reduction (its backtrack sets name actions of one naming)');
  if (opts.shared) throw new UsageError('source-DPOR runs in one worker');
  if (h0 !== undefined) throw new UsageError('source-DPOR cannot be combined with history properties (the state includes the path)');
  if (opts.shard) checkShard(opts.shard);
  const maxStates = opts.maxStates ?? 2_000_000;
  const lagBound = lagBoundOf(opts.maxInformerLag, opts.lagUnit, t.model.exhaustive);
  const reached = new Set<string>();
  recordCoverage(ctx, ctx.root, reached, h0);
  const rootViolation = checkAlways(ctx, ctx.root, 0, h0);
  const overTime = () => opts.maxTimeMs !== undefined && wallClockMs() - started > opts.maxTimeMs;
  const r = rootViolation
    ? undefined
    : sourceDpor(ctx, (w) => fingerprint(w, fpMode), {
        maxDepth: opts.maxDepth ?? 400,
        maxStates,
        ...(lagBound !== undefined ? { lagBound } : {}),
        idleClock: (opts.clock ?? 'idle') === 'idle',
        stopAtFirst: opts.stopAtFirst !== false,
        ...(opts.shard ? { shard: opts.shard } : {}),
        overTime,
        reached,
        ...(opts.onStable ? { onStable: opts.onStable } : {}),
        ...(opts.onProgress
          ? {
              onState: (states: number, transitions: number, depth: number, pathLength: number) => {
                if (states % 10_000 === 0) opts.onProgress!({ states, transitions, depth, frontier: pathLength, phase: 'dfs', elapsedMs: wallClockMs() - started });
              },
            }
          : {}),
      });
  const found = rootViolation ? { path: [] as string[], violation: rootViolation } : r!.found;
  const complete = !!r && !r.stoppedBy && !r.depthCut;
  const stoppedReason = r?.stoppedBy ?? (r?.depthCut ? ('depth' as const) : undefined);
  const s = {
    states: r?.states ?? 1,
    transitions: r?.transitions ?? 0,
    maxDepth: r?.maxDepth ?? 0,
    complete: complete && !found && (r?.lagPruned ?? 0) === 0,
    ...(lagBound !== undefined ? { ...lagStats(lagBound), lagPruned: r?.lagPruned ?? 0, completeWithinLag: complete && !found } : {}),
    ...(complete && !found ? { completeDepth: r!.maxDepth } : {}),
    ...(r ? { dpor: { racesAdded: r.racesAdded, fullExpansions: r.fullExpansions, reexplored: r.reexplored } } : {}),
    ...(stoppedReason && !(found && opts.stopAtFirst !== false) ? { stoppedBy: stoppedReason } : {}),
    steps: r?.transitions ?? 0,
    durationMs: wallClockMs() - started,
  };
  const base = { model: t.model.name, variant: t.variant, mode: 'exhaustive' as const, coverage: coverageRecord(t, reached) };
  if (!found) return { ...base, result: 'holds', stats: s };
  const run = { ids: found.path, world: ctx.root, violation: found.violation, end: 'violation' as const };
  return { ...base, result: 'violated', violation: found.violation, counterexample: toTrace(t, ctx, run, { mode: 'exhaustive' }), stats: s };
}

/** The symmetry an exhaustive search uses: the option's, or the scenario's with `symmetry: true`. */
function symmetryOf(opts: ExhaustiveOptions, scenario: Scenario): Symmetry | undefined {
  if (!opts.symmetry) return undefined;
  if (opts.symmetry === true) {
    if (!scenario.symmetry?.length) throw new UsageError('symmetry reduction needs a scenario that declares its interchangeable names (`symmetry`)');
    return scenario.symmetry;
  }
  return opts.symmetry;
}

export { informerLag, target };

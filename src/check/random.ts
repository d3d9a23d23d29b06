/**
 * Random search driven by fast-check: one arbitrary for the scenario, one for the schedule
 * (an array of choice indices among enabled actions). fast-check's shrinking shortens the
 * array and moves indices towards 0 (= the default order), so what is left are the
 * deviations that matter; {@link minimize} then removes steps by action id.
 */
import { wallClockMs } from './stopwatch.ts';
import * as fc from 'fast-check';
import type { Scenario } from '../engine/system.ts';
import { type Target, type TargetOptions, contextFor, target } from './context.ts';
import { type CheckContext, type Execution, type Schedule, type Violation, execute } from './execute.ts';
import { minimize } from './minimize.ts';
import type { ModelDef } from './model.ts';
import { TRACE_FORMAT, type TraceFile } from '../trace/format.ts';
import { definitionsOf } from '../trace/definitions.ts';
import { setupWorld } from '../engine/settle.ts';
import { type Shard, checkShard, shardRuns, shardSeed } from './shard.ts';

/** The name of a model scenario given by identity (random search may pick a named one). */
export function scenarioNameOf(model: ModelDef<any>, sc: Scenario): string | undefined {
  for (const [name, s] of Object.entries(model.scenarios)) if (s === sc) return name;
  return undefined;
}

/**
 * Options of {@link checkRandom}: numRuns (default 200), seed, maxSteps of the random
 * schedule, a fixed scenario (object or name), shard, fast-check examples.
 *
 * @example
 * ```ts
 * const opts: RandomOptions = { variant: 'v1', scenario: 'create-then-delete', numRuns: 500, seed: 42 };
 * ```
 *
 * @category Checking
 */
export interface RandomOptions extends TargetOptions {
  /** fast-check runs (default 200). */
  readonly numRuns?: number;
  readonly seed?: number;
  /** fast-check replay path (with seed). */
  readonly path?: string;
  /** Longest random schedule before the default policy settles the world (default 60). */
  readonly maxSteps?: number;
  /** A fixed scenario (or a model scenario name); default: the model's scenario arbitrary. */
  readonly scenario?: Scenario | string;
  /** Skip the id-level minimisation pass. */
  readonly noMinimize?: boolean;
  /** fast-check examples to try first: [scenario, choices]. */
  readonly examples?: ReadonlyArray<[Scenario, number[]]>;
  /** Run only this shard's share of numRuns, with seed + index (see ./shard.ts). */
  readonly shard?: Shard;
  /** Called once, when the first failing run ends (before fast-check shrinks it): for timing. */
  readonly onFirstViolation?: (run: number) => void;
  /**
   * How random schedules are drawn: `uniform` picks uniformly among enabled actions at each
   * step; `pct` uses PCT priorities (./pct.ts), which keeps single actors (an undelivered watch
   * event, a paused handler) waiting for long; `mixed` (default) draws either, so bugs that need
   * a starved actor are found without opting in.
   */
  readonly strategy?: RandomStrategy;
  /** Called after every run (before shrinking starts), for progress lines. */
  readonly onProgress?: (p: { readonly runs: number; readonly steps: number; readonly elapsedMs: number }) => void;
}

export type RandomStrategy = 'uniform' | 'pct' | 'mixed';

/** A drawn schedule: choice indices (uniform), or a PCT seed and depth. */
export type ScheduleDraw = number[] | { readonly pct: { readonly seed: number; readonly depth: number } };

/** PCT draws: seed and 0-4 priority change points; not shrunk (the id-level minimiser shortens the trace). */
export function pctArbitrary(): fc.Arbitrary<ScheduleDraw> {
  return fc.noShrink(fc.record({ seed: fc.nat(), depth: fc.integer({ min: 0, max: 4 }) })).map((pct) => ({ pct }));
}

export function scheduleDrawArbitrary(strategy: RandomStrategy, maxSteps = 60): fc.Arbitrary<ScheduleDraw> {
  if (strategy === 'uniform') return scheduleArbitrary(maxSteps);
  if (strategy === 'pct') return pctArbitrary();
  return fc.oneof(scheduleArbitrary(maxSteps), pctArbitrary());
}

export function scheduleOf(draw: ScheduleDraw, maxSteps = 60): Schedule {
  return Array.isArray(draw) ? { kind: 'choices', choices: draw } : { kind: 'pct', seed: draw.pct.seed, depth: draw.pct.depth, maxSteps };
}

/**
 * The result of a check: `holds` or `violated` (with the violation and a counterexample
 * trace), statistics, and which `sometimes` goals were reached.
 *
 * @example
 * ```ts
 * const r: CheckReport = checkExhaustive(backupModel, { variant: 'v2' });
 * if (r.result === 'holds' && !r.stats.complete) console.warn('bounded: not a proof');
 * ```
 *
 * @category Checking
 */
export interface CheckReport {
  readonly model: string;
  readonly variant: string;
  readonly mode: 'random' | 'exhaustive';
  readonly result: 'holds' | 'violated';
  readonly violation?: Violation;
  readonly counterexample?: TraceFile;
  readonly stats: {
    readonly runs?: number;
    readonly steps: number;
    readonly states?: number;
    readonly transitions?: number;
    readonly maxDepth?: number;
    readonly complete?: boolean;
    /** Exhaustive: every state within this many steps of the start was explored (undefined: not known). */
    readonly completeDepth?: number;
    /** Exhaustive: the budget that ended an incomplete search. */
    readonly stoppedBy?: 'depth' | 'states' | 'time';
    readonly statesWithoutPor?: number;
    /** Exhaustive with a fairness bound: the bound, the states not expanded for it, and whether every state within it was explored. */
    readonly lagBound?: number;
    /** Set when the bound counts API writes, not watch events (ExhaustiveOptions.lagUnit). */
    readonly lagUnit?: 'writes';
    readonly lagPruned?: number;
    readonly completeWithinLag?: boolean;
    /**
     * Exhaustive: distinct stable states reached, where the `atStable` properties were checked.
     * Zero makes a pass vacuous for them (the CLI says so and does not exit 0).
     */
    readonly stableStates?: number;
    /** Exhaustive with symmetry reduction: the renamings states were keyed up to, and the states checked as automorphisms. */
    readonly symmetryRenamings?: number;
    readonly symmetryChecked?: number;
    /** Exhaustive with source-DPOR: backtrack points added by races, states expanded fully (cycles, unexpanded children), states explored again. */
    readonly dpor?: { readonly racesAdded: number; readonly fullExpansions: number; readonly reexplored: number };
    readonly durationMs: number;
    /** Random mode: the fast-check seed used (pass it back as `seed` to repeat the check). */
    readonly seed?: number;
    /** Merged reports: how many shards (or workers) contributed. */
    readonly shards?: number;
  };
  /** `sometimes` goals: reached or not. */
  readonly coverage: Readonly<Record<string, boolean>>;
}

/** The schedule arbitrary: choice indices among enabled actions. */
export function scheduleArbitrary(maxSteps = 60): fc.Arbitrary<number[]> {
  return fc.array(fc.nat({ max: 1 << 16 }), { maxLength: maxSteps });
}

/** The scenario arbitrary of a target: a fixed one, the model's generator, or one of its named scenarios. */
export function scenarioArbitrary(t: Target, scenario?: Scenario | string): fc.Arbitrary<Scenario> {
  if (scenario !== undefined) return fc.constant(contextFor(t, scenario).scenario);
  const config = t.model.variants[t.variant].config;
  return t.model.scenarioArbitrary?.(config) ?? fc.constantFrom(...Object.values(t.model.scenarios));
}

/** Contexts per scenario object, so a constant scenario is set up once per check. */
export function contextCache(t: Target): (sc: Scenario) => CheckContext {
  const cache = new WeakMap<Scenario, CheckContext>();
  return (sc) => {
    let ctx = cache.get(sc);
    if (!ctx) cache.set(sc, (ctx = { sim: t.sim, scenario: sc, properties: t.properties, root: setupWorld(t.sim, sc), classify: t.model.classify }));
    return ctx;
  };
}

export function coverageRecord(t: Target, reached: ReadonlySet<string>): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const p of t.properties) if (p.kind === 'sometimes') out[p.name] = reached.has(p.name);
  return out;
}

export function toTrace(t: Target, ctx: CheckContext & { scenarioName?: string }, run: Execution, found: TraceFile['found']): TraceFile {
  return {
    format: TRACE_FORMAT,
    model: t.model.name,
    variant: t.variant,
    engine: t.engine,
    ...(ctx.scenarioName ? { scenarioName: ctx.scenarioName } : {}),
    scenario: ctx.scenario,
    steps: run.ids,
    violation: run.violation!,
    found,
    // Lets a replay tell a changed property or config from a fixed bug.
    definitions: definitionsOf(t.model, t.variant, run.violation!.kind === 'engine' ? undefined : run.violation!.property),
  };
}

/**
 * Random search driven by fast-check: random scenarios (the model's generator, or a fixed
 * one) and random schedules; a violation is shrunk by fast-check, then minimised step by
 * step. Deterministic for a given `seed`.
 *
 * @example
 * ```ts
 * const report = checkRandom(backupModel, { variant: 'v1', numRuns: 300, seed: 1 });
 * if (report.result === 'violated') console.log(describeTrace(report.counterexample!));
 * ```
 *
 * @category Checking
 */
export function checkRandom(model: ModelDef<any>, opts: RandomOptions = {}): CheckReport {
  const t = target(model, opts);
  const started = wallClockMs();
  const ctxOf = contextCache(t);
  const reached = new Set<string>();
  let internalError: unknown;
  let runs = 0;
  let steps = 0;
  let violated = false;
  const fixedScenario = opts.scenario !== undefined ? contextFor(t, opts.scenario) : undefined;
  const scArb = fixedScenario ? fc.constant(fixedScenario.scenario) : scenarioArbitrary(t);
  const prop = fc.property(scArb, scheduleDrawArbitrary(opts.strategy ?? 'mixed', opts.maxSteps), (sc, draw) => {
    runs++;
    let run: Execution;
    try {
      run = execute(ctxOf(sc), scheduleOf(draw, opts.maxSteps), { coverage: reached });
    } catch (e) {
      internalError ??= e;
      return false;
    }
    steps += run.ids.length;
    if (!violated) opts.onProgress?.({ runs, steps, elapsedMs: wallClockMs() - started });
    if (run.violation === undefined) return true;
    if (!violated) {
      violated = true;
      opts.onFirstViolation?.(runs);
    }
    return false;
  });
  const shard = opts.shard && checkShard(opts.shard);
  const numRuns = shard ? shardRuns(opts.numRuns ?? 200, shard) : opts.numRuns ?? 200;
  const seed = opts.seed === undefined ? undefined : shard ? shardSeed(opts.seed, shard) : opts.seed;
  const base = { model: model.name, variant: t.variant, mode: 'random' as const };
  if (numRuns <= 0) {
    return { ...base, result: 'holds', stats: { runs: 0, steps: 0, durationMs: wallClockMs() - started, ...(seed !== undefined ? { seed } : {}) }, coverage: coverageRecord(t, reached) };
  }
  const details = fc.check(prop, {
    numRuns,
    ...(seed !== undefined ? { seed } : {}),
    ...(opts.path !== undefined ? { path: opts.path } : {}),
    ...(opts.examples ? { examples: opts.examples.map(([s, c]) => [s, c] as [Scenario, ScheduleDraw]) } : {}),
  });
  // fast-check 4 sets errorInstance for a `false` too; only a thrown error (an engine bug) is rethrown.
  if (details.failed && internalError) throw internalError;
  if (!details.failed || !details.counterexample) {
    return { ...base, result: 'holds', stats: { runs, steps, durationMs: wallClockMs() - started, seed: details.seed }, coverage: coverageRecord(t, reached) };
  }
  const [sc, draw] = details.counterexample;
  const ctx = { ...ctxOf(sc), scenarioName: fixedScenario?.scenarioName ?? scenarioNameOf(model, sc) };
  let run = execute(ctx, scheduleOf(draw, opts.maxSteps));
  const shrunkFrom = run.ids.length;
  if (!opts.noMinimize) run = minimize(ctx, run);
  const trace = toTrace(t, ctx, run, { mode: 'random', seed: details.seed, path: details.counterexamplePath ?? undefined, shrunkFrom });
  return {
    ...base,
    result: 'violated',
    violation: run.violation,
    counterexample: trace,
    stats: { runs: details.numRuns, steps, durationMs: wallClockMs() - started, seed: details.seed },
    coverage: coverageRecord(t, reached),
  };
}


export { target };

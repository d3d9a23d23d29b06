/**
 * One execution of a model: follow a schedule (random choices, or recorded action ids), then
 * let the default policy settle the world, checking properties on the way. Random search,
 * minimisation and replay all run through here, so they agree on what a violation is.
 */
import type { LogEntry, Simulator } from '../engine/simulator.ts';
import { settle } from '../engine/settle.ts';
import type { Scenario } from '../engine/system.ts';
import type { World } from '../engine/world.ts';
import { PctChooser, type PctSchedule } from './pct.ts';
import type { Classification, Classifier } from './classify.ts';
import { type Property, type PropertyKind, reached, violation } from './property.ts';
import { WorldView } from './view.ts';

/**
 * A violated property (or an engine-detected failure, kind `engine`: a handler that threw
 * something other than an API error, a deadlock, a budget exceeded), and the step after
 * which it was seen.
 *
 * @example
 * ```ts
 * const v: Violation | undefined = report.violation;
 * if (v) console.log(`${v.property} (${v.kind}) after step ${v.step}: ${v.message}`);
 * ```
 *
 * @category Checking
 */
export interface Violation {
  readonly property: string;
  readonly kind: PropertyKind | 'engine';
  readonly message: string;
  /** 1-based step after which it was seen (0 = the initial world). */
  readonly step: number;
  /** Which known failure this is, with final-state evidence (when the model classifies). */
  readonly classification?: Classification;
}

export interface CheckContext {
  readonly sim: Simulator;
  readonly scenario: Scenario;
  readonly properties: readonly Property[];
  /** The world after the scenario's setup. */
  readonly root: World;
  /** The model's classifier of violations, if any. */
  readonly classify?: Classifier;
}

export type Schedule =
  /** Random mode: at each step take enabled[c % n]. */
  | { readonly kind: 'choices'; readonly choices: readonly number[] }
  /** Replay: action ids; `strict` fails when one is not enabled, otherwise it is skipped. */
  | { readonly kind: 'ids'; readonly ids: readonly string[]; readonly strict: boolean }
  /** Random mode, PCT priorities (see ./pct.ts). */
  | PctSchedule;

export interface ExecuteOptions {
  /** Keep the full execution log. */
  readonly log?: boolean;
  /** Settle after the schedule and check `atStable` properties (default true). */
  readonly settle?: boolean;
  /** Most steps while settling (default 5000). */
  readonly maxSettleSteps?: number;
  /** Collect the `sometimes` goals reached into this set. */
  readonly coverage?: Set<string>;
  /** Lenient id replay: called for each recorded id skipped because it was not enabled (index into the schedule). */
  readonly onSkip?: (index: number, id: string) => void;
  /** Called with the world after every executed step (settling and probe steps included: trim to the returned ids). */
  readonly onStep?: (world: World, entry: LogEntry) => void;
}

export interface Execution {
  /** Every action executed after setup, in order, up to the violation or the stable world. */
  readonly ids: string[];
  readonly world: World;
  readonly violation?: Violation;
  /** How the run ended. */
  readonly end: 'violation' | 'stable' | 'no-stable-state' | 'schedule-done';
  readonly log?: LogEntry[];
}

/**
 * A strict replay found a recorded step that is no longer enabled: the model changed since
 * the trace was written ("model changed at step N: expected ..., enabled now ...").
 *
 * @example
 * ```ts
 * expect(() => replayTrace(trace, models, { variant: 'v2', strict: true })).toThrow(ModelChangedError);
 * ```
 *
 * @category Counterexample files and replay
 */
export class ModelChangedError extends Error {
  override readonly name = 'ModelChangedError';
}

export function engineViolation(world: World, step: number): Violation | undefined {
  const f = world.failure;
  return f && { property: f.kind, kind: 'engine', message: `${f.message} (at "${f.actionId}")`, step };
}

/** The violation with the model's classification of it in `world` attached. */
export function classified(ctx: Pick<CheckContext, 'classify'>, world: World, v: Violation): Violation {
  const c = ctx.classify?.(new WorldView(world), v);
  return c ? { ...v, classification: c } : v;
}

export function checkAlways(ctx: CheckContext, world: World, step: number): Violation | undefined {
  const eng = engineViolation(world, step);
  if (eng) return eng;
  for (const p of ctx.properties) {
    if (p.kind !== 'always') continue;
    const msg = violation(p, world);
    if (msg !== undefined) return classified(ctx, world, { property: p.name, kind: 'always', message: msg, step });
  }
  return undefined;
}

export function checkAtStable(ctx: CheckContext, world: World, step: number): Violation | undefined {
  for (const p of ctx.properties) {
    if (p.kind !== 'atStable') continue;
    const msg = violation(p, world);
    if (msg !== undefined) return classified(ctx, world, { property: p.name, kind: 'atStable', message: msg, step });
  }
  return undefined;
}

export function recordCoverage(ctx: CheckContext, world: World, into: Set<string>): void {
  for (const p of ctx.properties) if (p.kind === 'sometimes' && !into.has(p.name) && reached(p, world)) into.add(p.name);
}

export function execute(ctx: CheckContext, schedule: Schedule, opts: ExecuteOptions = {}): Execution {
  const ids: string[] = [];
  const log: LogEntry[] | undefined = opts.log ? [] : undefined;
  let world = ctx.root;
  const coverage = opts.coverage;
  if (coverage) recordCoverage(ctx, world, coverage);
  const initial = checkAlways(ctx, world, 0);
  if (initial) return { ids, world, violation: initial, end: 'violation', log };

  const length = schedule.kind === 'choices' ? schedule.choices.length : schedule.kind === 'pct' ? schedule.maxSteps : schedule.ids.length;
  const pct = schedule.kind === 'pct' ? new PctChooser(schedule) : undefined;
  for (let i = 0; i < length; i++) {
    const actions = ctx.sim.enabled(world, ctx.scenario);
    let action;
    if (schedule.kind === 'choices') {
      if (actions.length === 0) break;
      action = actions[schedule.choices[i] % actions.length];
    } else if (schedule.kind === 'pct') {
      if (actions.length === 0) break;
      action = pct!.choose(world, actions);
    } else {
      const want = schedule.ids[i];
      action = actions.find((a) => a.id === want);
      if (!action) {
        if (!schedule.strict) {
          opts.onSkip?.(i, want);
          continue;
        }
        const now = actions.map((a) => a.id);
        throw new ModelChangedError(
          `model changed at step ${ids.length + 1}: expected "${want}", enabled now: ${now.length ? now.map((x) => `"${x}"`).join(', ') : 'nothing'}`,
        );
      }
    }
    const r = ctx.sim.step(world, action, ctx.scenario);
    world = r.world;
    ids.push(action.id);
    log?.push(r.entry);
    opts.onStep?.(world, r.entry);
    if (coverage) recordCoverage(ctx, world, coverage);
    const v = checkAlways(ctx, world, ids.length);
    if (v) return { ids, world, violation: v, end: 'violation', log };
  }
  if (opts.settle === false) return { ids, world, end: 'schedule-done', log };

  const prefix = ids.length;
  let violated: Violation | undefined;
  const s = settle(ctx.sim, ctx.scenario, world, {
    maxSteps: opts.maxSettleSteps ?? 5000,
    onStep: (w, entry) => {
      ids.push(entry.id);
      log?.push(entry);
      opts.onStep?.(w, entry);
      if (coverage) recordCoverage(ctx, w, coverage);
      violated = checkAlways(ctx, w, ids.length);
      return violated === undefined;
    },
  });
  if (violated) return { ids, world: s.world, violation: violated, end: 'violation', log };
  if (s.kind === 'failed') {
    return { ids, world: s.world, violation: engineViolation(s.world, ids.length), end: 'violation', log };
  }
  if (s.kind === 'budget') return { ids, world: s.world, end: 'no-stable-state', log };
  // Drop the probe steps that only showed that nothing moves any more.
  ids.length = prefix + s.steps;
  if (log) log.length = prefix + s.steps;
  const v = checkAtStable(ctx, s.world, ids.length);
  if (v) return { ids, world: s.world, violation: v, end: 'violation', log };
  return { ids, world: s.world, end: 'stable', log };
}

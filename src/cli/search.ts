/**
 * Per-property searches for the matrix and the demo: search with every property still
 * unviolated, take the one found out of the set, search again — so one search covers all the
 * properties that hold and each violated property gets its own counterexample.
 */
import { checkExhaustive } from '../check/exhaustive.ts';
import type { ModelDef } from '../check/model.ts';
import { type CheckReport, checkRandom } from '../check/random.ts';
import type { Scenario } from '../engine/system.ts';
import type { TraceFile } from '../trace/format.ts';
import type { Classification } from '../check/classify.ts';

export interface Finding {
  readonly property: string;
  readonly kind: string;
  readonly message: string;
  readonly steps: number;
  readonly mode: 'random' | 'exhaustive';
  /** Scenario name, or `generated` for the model's random scenarios. */
  readonly scenario: string;
  readonly trace: TraceFile;
  /** The model's class of the violation (e.g. `scenario A`), with its final-state evidence. */
  readonly classification?: Classification;
  /** An exhaustive search run within a fairness bound the caller chose (rerun it with the same bound). */
  readonly within?: LagChoice;
}

/** A fairness bound chosen for one search: informers at most `max` events (or writes) behind. */
export interface LagChoice {
  readonly max: number;
  readonly unit: 'events' | 'writes';
}

export interface SearchOutcome {
  readonly mode: 'random' | 'exhaustive';
  readonly scenario: string;
  /** One per violated property (and at most one engine failure, which ends the search). */
  readonly findings: readonly Finding[];
  /** Properties never violated. */
  readonly holding: readonly string[];
  readonly runs: number;
  readonly states: number;
  /** Exhaustive: the last search (over `holding`) explored everything within the depth bound (and the fairness bound, if any). */
  readonly complete: boolean;
  /** Exhaustive: the fairness bound the search was complete within, when it pruned states. */
  readonly lagBound?: number;
  /** Set when that bound counts API writes (ExhaustiveOptions.lagUnit). */
  readonly lagUnit?: 'writes';
  /** Exhaustive: some search stopped at the time budget (the state count then depends on the machine). */
  readonly timeBudgetHit: boolean;
  /** Exhaustive: stable states the last search reached (none: its `atStable` passes are vacuous). */
  readonly stableStates?: number;
  readonly durationMs: number;
}

export interface SearchBudget {
  readonly runs?: number;
  readonly seed?: number;
  readonly maxSteps?: number;
  readonly maxStates?: number;
  readonly maxDepth?: number;
  readonly maxTimeMs?: number;
  /** Exhaustive only: the fairness bound (default: the model's) and what it counts. */
  readonly maxInformerLag?: number;
  readonly lagUnit?: 'events' | 'writes';
}

export const GENERATED = 'generated';

export function searchProperties(
  model: ModelDef<any>,
  variant: string,
  scenario: string | { readonly name: string; readonly scenario: Scenario } | undefined,
  properties: readonly string[],
  mode: 'random' | 'exhaustive',
  budget: SearchBudget = {},
): SearchOutcome {
  const name = scenario === undefined ? GENERATED : typeof scenario === 'string' ? scenario : scenario.name;
  const sc = scenario === undefined ? undefined : typeof scenario === 'string' ? scenario : scenario.scenario;
  let remaining = [...properties];
  const findings: Finding[] = [];
  let runs = 0;
  let states = 0;
  let complete = false;
  let timeBudgetHit = false;
  let lagBound: number | undefined;
  let lagUnit: 'writes' | undefined;
  let durationMs = 0;
  let stableStates: number | undefined;
  while (remaining.length) {
    let r: CheckReport;
    if (mode === 'random') {
      r = checkRandom(model, {
        variant,
        properties: remaining,
        numRuns: budget.runs ?? 200,
        seed: budget.seed ?? 1,
        ...(budget.maxSteps !== undefined ? { maxSteps: budget.maxSteps } : {}),
        ...(sc !== undefined ? { scenario: sc } : {}),
      });
      runs += r.stats.runs ?? 0;
    } else {
      r = checkExhaustive(model, {
        variant,
        properties: remaining,
        ...(sc !== undefined ? { scenario: sc } : {}),
        maxStates: budget.maxStates ?? 20_000,
        ...(budget.maxDepth !== undefined ? { maxDepth: budget.maxDepth } : {}),
        ...(budget.maxTimeMs !== undefined ? { maxTimeMs: budget.maxTimeMs } : {}),
        ...(budget.maxInformerLag !== undefined ? { maxInformerLag: budget.maxInformerLag } : {}),
        ...(budget.lagUnit !== undefined ? { lagUnit: budget.lagUnit } : {}),
      });
      states += r.stats.states ?? 0;
      if (budget.maxTimeMs !== undefined && r.stats.durationMs >= budget.maxTimeMs) timeBudgetHit = true;
    }
    durationMs += r.stats.durationMs;
    if (r.result === 'holds' || !r.violation || !r.counterexample) {
      complete = r.stats.complete === true || r.stats.completeWithinLag === true;
      stableStates = r.stats.stableStates;
      if (r.stats.complete !== true && r.stats.completeWithinLag === true) {
        lagBound = r.stats.lagBound;
        lagUnit = r.stats.lagUnit;
      }
      break;
    }
    const v = r.violation;
    findings.push({
      property: v.property,
      kind: v.kind,
      message: v.message,
      steps: r.counterexample.steps.length,
      mode,
      scenario: name,
      trace: r.counterexample,
      ...(mode === 'exhaustive' && budget.maxInformerLag !== undefined ? { within: { max: budget.maxInformerLag, unit: budget.lagUnit ?? 'events' } } : {}),
      ...(v.classification ? { classification: v.classification } : {}),
    });
    if (v.kind === 'engine' || !remaining.includes(v.property)) break;
    remaining = remaining.filter((p) => p !== v.property);
  }
  const violated = new Set(findings.map((f) => f.property));
  return {
    mode,
    scenario: name,
    findings,
    holding: properties.filter((p) => !violated.has(p)),
    runs,
    states,
    complete,
    ...(lagBound !== undefined ? { lagBound } : {}),
    ...(lagUnit ? { lagUnit } : {}),
    ...(stableStates !== undefined ? { stableStates } : {}),
    timeBudgetHit,
    durationMs,
  };
}

/** The shortest finding per property over several outcomes. */
export function shortestFindings(outcomes: readonly SearchOutcome[]): Map<string, Finding> {
  const best = new Map<string, Finding>();
  for (const o of outcomes) {
    for (const f of o.findings) {
      const b = best.get(f.property);
      if (!b || f.steps < b.steps) best.set(f.property, f);
    }
  }
  return best;
}

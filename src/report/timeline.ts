/**
 * A replayed trace as data for every report format (text, JSON, Mermaid, HTML): each step
 * with its actor, notes, the objects it changed and the cluster state after it.
 */
import type { StoredObject } from '../api/types.ts';
import { contextFor, target } from '../check/context.ts';
import type { CheckContext, Violation } from '../check/execute.ts';
import { execute } from '../check/execute.ts';
import type { ModelDef } from '../check/model.ts';
import type { World } from '../engine/world.ts';
import type { TraceFile } from '../trace/format.ts';

/**
 * One step of a {@link Timeline}: the action, its actor and notes, the objects it changed,
 * and the state after it (API objects, external systems, clock, and the whole world: informer
 * caches, work queues, in-flight handlers, locks and controller memory).
 *
 * @example
 * ```ts
 * for (const s of timelineOf(model, trace).steps) console.log(s.step, s.actor, s.id, s.changed.join(', '));
 * ```
 *
 * @category Reports
 */
export interface TimelineStep {
  readonly step: number;
  readonly id: string;
  readonly actor: string;
  readonly notes: readonly string[];
  /** Object keys (Kind/ns/name) created, changed or removed by this step. */
  readonly changed: readonly string[];
  /** Objects after the step (by key), for viewers that show the state at any step. */
  readonly objects: Readonly<Record<string, StoredObject>>;
  /** External systems after the step. */
  readonly externals: Readonly<Record<string, unknown>>;
  readonly clock: number;
  /** The world after the step (absent in hand-made timelines): what the controllers saw and held. */
  readonly world?: World;
}

/**
 * A replayed counterexample as data, what every report renders ({@link renderText},
 * {@link renderHtml}, {@link renderMermaid}, {@link renderJson}, {@link renderYaml}): the steps,
 * the violation seen on replay and the one recorded, the final world. Made by {@link timelineOf}.
 *
 * @example
 * ```ts
 * const t: Timeline = timelineOf(model, readTraceFile('.kuberace/x.json'));
 * console.log(t.steps.length, t.violation?.property ?? 'holds now');
 * ```
 *
 * @category Reports
 */
export interface Timeline {
  readonly model: string;
  readonly variant: string;
  readonly scenarioName?: string;
  /** State after the scenario's setup. */
  readonly initial: { readonly objects: Readonly<Record<string, StoredObject>>; readonly externals: Readonly<Record<string, unknown>>; readonly world?: World };
  readonly steps: readonly TimelineStep[];
  /** The violation seen when replaying (undefined if the property now holds). */
  readonly violation?: Violation;
  /** The violation recorded in the trace file. */
  readonly recorded: Violation;
  readonly final: World;
}

function changedKeys(before: World, after: World): string[] {
  if (before.api.objects === after.api.objects) return [];
  const out: string[] = [];
  const keys = new Set([...Object.keys(before.api.objects), ...Object.keys(after.api.objects)]);
  for (const k of [...keys].sort()) if (before.api.objects[k] !== after.api.objects[k]) out.push(k);
  return out;
}

/** Replay `trace` (strictly) in `ctx` and collect the timeline. */
export function buildTimeline(ctx: CheckContext & { scenarioName?: string }, trace: TraceFile): Timeline {
  const steps: TimelineStep[] = [];
  let world = ctx.root;
  const run = execute(
    ctx,
    { kind: 'ids', ids: trace.steps, strict: true },
    {
      settle: trace.violation.kind === 'atStable',
      onStep: (next, entry) => {
        steps.push({
          step: entry.step,
          id: entry.id,
          actor: entry.actor,
          notes: entry.notes,
          changed: changedKeys(world, next),
          objects: next.api.objects,
          externals: next.externals,
          clock: next.clock,
          world: next,
        });
        world = next;
      },
    },
  );
  // Settling may run probe steps past the stable world; the run's ids end at that world.
  if (steps.length > run.ids.length) {
    steps.length = run.ids.length;
    world = run.world;
  }
  return {
    model: trace.model,
    variant: trace.variant,
    scenarioName: trace.scenarioName,
    initial: { objects: ctx.root.api.objects, externals: ctx.root.externals, world: ctx.root },
    steps,
    violation: run.violation,
    recorded: trace.violation,
    final: world,
  };
}

/**
 * Replay a trace file into a {@link Timeline}, strictly, on its own variant (or `variant`),
 * checking only the recorded property. `steps` replaces the trace's steps (for another variant:
 * the steps {@link replayTrace} ran there).
 *
 * @example
 * ```ts
 * import { readTraceFile, renderHtml, timelineOf } from 'kuberace';
 * const trace = readTraceFile('.kuberace/replicaset-buggy-never-fewer-1a2b3c4d5e.json');
 * writeFileSync('report.html', renderHtml(timelineOf(replicasetModel, trace), { traceFile: 'x.json' }));
 * ```
 *
 * @category Reports
 */
export function timelineOf(model: ModelDef<any>, trace: TraceFile, variant?: string, steps?: readonly string[]): Timeline {
  const v = trace.violation;
  const t0 = target(model, { variant: variant ?? trace.variant, engine: trace.engine, ...(v.kind === 'engine' ? {} : { properties: [v.property] }) });
  const t = v.kind === 'engine' ? { ...t0, properties: t0.properties.filter((p) => p.kind === 'sometimes') } : t0;
  const ctx = { ...contextFor(t, trace.scenario), scenarioName: trace.scenarioName };
  return buildTimeline(ctx, { ...trace, variant: t.variant, steps: steps ?? trace.steps });
}

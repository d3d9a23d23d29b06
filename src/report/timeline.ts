/**
 * A replayed trace as data for every report format (text, JSON, Mermaid, HTML): each step
 * with its actor, notes, the objects it changed and the cluster state after it.
 */
import type { StoredObject } from '../api/types.ts';
import type { CheckContext, Violation } from '../check/execute.ts';
import { execute } from '../check/execute.ts';
import type { World } from '../engine/world.ts';
import type { TraceFile } from '../trace/format.ts';

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
}

export interface Timeline {
  readonly model: string;
  readonly variant: string;
  readonly scenarioName?: string;
  /** State after the scenario's setup. */
  readonly initial: { readonly objects: Readonly<Record<string, StoredObject>>; readonly externals: Readonly<Record<string, unknown>> };
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
    initial: { objects: ctx.root.api.objects, externals: ctx.root.externals },
    steps,
    violation: run.violation,
    recorded: trace.violation,
    final: world,
  };
}

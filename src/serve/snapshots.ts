/**
 * A replayed trace as the API server saw it: the API state after the scenario setup (step 0)
 * and after every step, and the watch events between them. `kuberace serve` answers GET, LIST
 * and WATCH from this data; nothing here reads the clock.
 *
 * Watch events are derived from the difference between consecutive states (created: ADDED,
 * changed: MODIFIED, removed: DELETED), so two writes of one object within a single step show
 * as one event. A DELETED event carries the last stored state stamped with the step's final
 * resourceVersion (D6 stamps it with the deletion's RV; one step deleting several objects
 * gives them the same RV here).
 */
import type { ApiState, KindDef, StoredObject, WatchEventType } from '../api/types.ts';
import { contextFor, target } from '../check/context.ts';
import { execute } from '../check/execute.ts';
import type { ModelDef } from '../check/model.ts';
import type { TraceFile } from '../trace/format.ts';

export interface ServedStep {
  /** 0 = after the setup, n = after step n. */
  readonly step: number;
  /** The action id of the step (a description for step 0). */
  readonly id: string;
  readonly actor: string;
  readonly api: ApiState;
  /** Simulated clock after the step, ms (for AGE columns). */
  readonly clock: number;
}

export interface ServedEvent {
  /** The step that produced the event (0: the objects of the setup, as ADDED). */
  readonly step: number;
  readonly type: WatchEventType;
  readonly object: StoredObject;
}

export interface ServedTrace {
  readonly model: string;
  readonly variant: string;
  /** Registered kinds, sorted by kind name. */
  readonly kinds: readonly KindDef[];
  /** Index = step number; length = steps + 1. */
  readonly steps: readonly ServedStep[];
  /** Every watch event from step 0 on, in order. */
  readonly events: readonly ServedEvent[];
  /** The step the trace records its violation after. */
  readonly violationStep: number;
}

function sortedKeys(objects: Readonly<Record<string, StoredObject>>): string[] {
  return Object.keys(objects).sort();
}

/** Watch events turning state `before` into `after` (object RV order; deletions last). */
export function eventsBetween(before: ApiState, after: ApiState, step: number): ServedEvent[] {
  if (before.objects === after.objects) return [];
  const out: ServedEvent[] = [];
  const deleted: ServedEvent[] = [];
  for (const k of sortedKeys(after.objects)) {
    const o = after.objects[k];
    const old = before.objects[k];
    if (old === o) continue;
    out.push({ step, type: old === undefined ? 'ADDED' : 'MODIFIED', object: o });
  }
  for (const k of sortedKeys(before.objects)) {
    if (after.objects[k] !== undefined) continue;
    const last = before.objects[k];
    const object = { ...last, metadata: { ...last.metadata, resourceVersion: String(after.rv) } } as StoredObject;
    deleted.push({ step, type: 'DELETED', object });
  }
  out.sort((a, b) => Number(a.object.metadata.resourceVersion) - Number(b.object.metadata.resourceVersion));
  return out.concat(deleted);
}

/**
 * Replay `trace` strictly on its recorded variant (ModelChangedError when a recorded step is
 * no longer enabled) and keep the API state after every step, as the report timeline does.
 */
export function serveTrace(model: ModelDef<any>, trace: TraceFile): ServedTrace {
  const v = trace.violation;
  const t0 = target(model, { variant: trace.variant, engine: trace.engine, ...(v.kind === 'engine' ? {} : { properties: [v.property] }) });
  const t = v.kind === 'engine' ? { ...t0, properties: t0.properties.filter((p) => p.kind === 'sometimes') } : t0;
  const ctx = contextFor(t, trace.scenario);
  const steps: ServedStep[] = [{ step: 0, id: 'initial state (after the scenario setup)', actor: 'setup', api: ctx.root.api, clock: ctx.root.clock }];
  const run = execute(
    ctx,
    { kind: 'ids', ids: trace.steps, strict: true },
    {
      settle: v.kind === 'atStable',
      onStep: (world, entry) => void steps.push({ step: steps.length, id: entry.id, actor: entry.actor, api: world.api, clock: world.clock }),
    },
  );
  // Settling may run probe steps past the stable world; the run's ids end at that world.
  if (steps.length > run.ids.length + 1) steps.length = run.ids.length + 1;
  const events: ServedEvent[] = sortedKeys(ctx.root.api.objects).map((k) => ({ step: 0, type: 'ADDED', object: ctx.root.api.objects[k] }));
  for (let i = 1; i < steps.length; i++) events.push(...eventsBetween(steps[i - 1].api, steps[i].api, i));
  const kinds = Object.values(steps[steps.length - 1].api.kinds).sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return { model: model.name, variant: trace.variant, kinds, steps, events, violationStep: v.step };
}

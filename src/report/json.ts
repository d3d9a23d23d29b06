/**
 * The JSON report of a replayed counterexample: the timeline as plain data, each step with the
 * new value of the objects it changed (null when removed), and the final state as a
 * Kubernetes `List` (what `kubectl get -o json` prints). The same data feeds the YAML report.
 */
import type { StoredObject } from '../api/types.ts';
import type { Violation } from '../check/execute.ts';
import type { Timeline } from './timeline.ts';

/**
 * The format tag of the JSON and YAML reports (`'kuberace-timeline/1'`).
 *
 * @example
 * ```ts
 * if (JSON.parse(text).format !== TIMELINE_FORMAT) throw new Error('not a kuberace report');
 * ```
 *
 * @category Reports
 */
export const TIMELINE_FORMAT = 'kuberace-timeline/1';

/**
 * A Kubernetes List of objects, sorted by key (Kind/ns/name): what `kubectl get -o json` prints.
 *
 * @example
 * ```ts
 * const names = (l: KubeList) => l.items.map((o) => o.metadata.name);
 * ```
 *
 * @category Reports
 */
export interface KubeList {
  readonly apiVersion: 'v1';
  readonly kind: 'List';
  readonly items: readonly StoredObject[];
}

export function kubeList(objects: Readonly<Record<string, StoredObject>>): KubeList {
  return {
    apiVersion: 'v1',
    kind: 'List',
    items: Object.keys(objects)
      .sort()
      .map((k) => objects[k]),
  };
}

/**
 * The data of the JSON and YAML reports: the steps with the new value of each object they
 * changed (null when removed), the recorded and the replayed violation, the initial and the
 * final state as Kubernetes Lists.
 *
 * @example
 * ```ts
 * const data = JSON.parse(renderJson(timeline)) as TimelineData;
 * console.log(data.steps.filter((s) => s.changed.length).length, 'steps wrote something');
 * ```
 *
 * @category Reports
 */
export interface TimelineData {
  readonly format: typeof TIMELINE_FORMAT;
  readonly model: string;
  readonly variant: string;
  readonly scenarioName: string | null;
  /** The violation recorded in the trace. */
  readonly recorded: Violation;
  /** The violation seen on this replay (null: the property held). */
  readonly violation: Violation | null;
  readonly initial: KubeList;
  readonly steps: ReadonlyArray<{
    readonly step: number;
    readonly id: string;
    readonly actor: string;
    /** Simulated time after the step, ms. */
    readonly clock: number;
    readonly notes: readonly string[];
    readonly changed: readonly string[];
    /** New value of each changed object; null when the step removed it. */
    readonly objects: Readonly<Record<string, StoredObject | null>>;
  }>;
  readonly final: { readonly clock: number; readonly state: KubeList; readonly externals: Readonly<Record<string, unknown>> };
}

export function timelineData(t: Timeline): TimelineData {
  return {
    format: TIMELINE_FORMAT,
    model: t.model,
    variant: t.variant,
    scenarioName: t.scenarioName ?? null,
    recorded: t.recorded,
    violation: t.violation ?? null,
    initial: kubeList(t.initial.objects),
    steps: t.steps.map((s) => ({
      step: s.step,
      id: s.id,
      actor: s.actor,
      clock: s.clock,
      notes: s.notes,
      changed: s.changed,
      objects: Object.fromEntries(s.changed.map((k) => [k, s.objects[k] ?? null])),
    })),
    final: { clock: t.final.clock, state: kubeList(t.final.api.objects), externals: t.final.externals },
  };
}

/**
 * The JSON report ({@link TimelineData}, two-space indentation, trailing newline); `extra`
 * fields are merged at the top.
 *
 * @example
 * ```ts
 * writeFileSync('race.json', renderJson(timelineOf(model, trace), { ticket: 'OPS-42' }));
 * ```
 *
 * @category Reports
 */
export function renderJson(t: Timeline, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ ...timelineData(t), ...extra }, null, 2)}\n`;
}

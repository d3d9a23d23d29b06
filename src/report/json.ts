/**
 * The JSON report of a replayed counterexample: the timeline as plain data, each step with the
 * new value of the objects it changed (null when removed), and the final state as a
 * Kubernetes `List` (what `kubectl get -o json` prints). The same data feeds the YAML report.
 */
import type { StoredObject } from '../api/types.ts';
import type { Violation } from '../check/execute.ts';
import type { Timeline } from './timeline.ts';

export const TIMELINE_FORMAT = 'kuberace-timeline/1';

/** A Kubernetes List of objects, sorted by key (Kind/ns/name). */
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

/** The JSON report (two-space indentation, trailing newline). `extra` fields are merged at the top. */
export function renderJson(t: Timeline, extra: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ ...timelineData(t), ...extra }, null, 2)}\n`;
}

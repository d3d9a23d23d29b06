/**
 * What the simulator schedules and what it logs: one {@link Action} per schedulable step, each
 * with a stable, human-readable id, and one {@link LogEntry} per executed step (its notes and
 * read/write footprint, which partial-order reduction trusts).
 */
import type { SystemAction } from '../api/actors.ts';
import type { UserOp } from './system.ts';
import type { World } from './world.ts';

export type Action =
  | { readonly kind: 'user'; readonly id: string; readonly actor: string; readonly op: UserOp }
  /** Pop the head key of an informer's DeltaFIFO with its first `count` pending deltas (W2). */
  | { readonly kind: 'deliver'; readonly id: string; readonly actor: string; readonly controller: string; readonly informer: string; readonly count: number }
  | { readonly kind: 'begin'; readonly id: string; readonly actor: string; readonly controller: string; readonly queue: string }
  | { readonly kind: 'beginTask'; readonly id: string; readonly actor: string; readonly controller: string; readonly task: string }
  | { readonly kind: 'resume'; readonly id: string; readonly actor: string; readonly controller: string; readonly inflight: string; readonly fail: boolean }
  | { readonly kind: 'clock'; readonly id: string; readonly actor: 'clock'; readonly to: number }
  | { readonly kind: 'system'; readonly id: string; readonly actor: string; readonly action: SystemAction }
  | { readonly kind: 'restart'; readonly id: string; readonly actor: 'fault'; readonly controller: string }
  | { readonly kind: 'disconnect'; readonly id: string; readonly actor: 'fault'; readonly controller: string; readonly informer: string }
  | { readonly kind: 'resync'; readonly id: string; readonly actor: 'fault'; readonly controller: string; readonly informer: string };

export type ActionKind = Action['kind'];

/** One line of the execution log. */
export interface LogEntry {
  readonly step: number;
  readonly id: string;
  readonly actor: string;
  /** What happened: API results, handler log lines, outcomes. */
  readonly notes: readonly string[];
  readonly reads: readonly string[];
  readonly writes: readonly string[];
}

export interface StepResult {
  readonly world: World;
  readonly entry: LogEntry;
}

/**
 * The world: one immutable value holding everything a simulation can observe or change.
 * Keeping a reference is a snapshot; two equal worlds behave identically.
 */
import type { ApiState, StoredObject, WatchEventType } from '../api/types.ts';
import type { Effect } from './effects.ts';
import type { QueueState } from './workqueue.ts';

/** A watch event waiting to reach an informer's cache. */
export interface PendingEvent {
  readonly type: WatchEventType | 'RESYNC';
  readonly key: string;
  readonly object: StoredObject;
  /** Part of the initial list after a (re)start: the cache is not synced until these are in. */
  readonly initial?: boolean;
  /** DeletedFinalStateUnknown from a relist (W3). */
  readonly tombstone?: boolean;
  /**
   * Emitted by the same API request as the event before it in this stream, for the same key
   * (D9: the kubelet's grace-0 delete of a pod is MODIFIED then DELETED). Only the fairness bound
   * counted in writes reads it (check/state-kind.ts).
   */
  readonly joined?: true;
}

export interface InformerState {
  readonly cache: Readonly<Record<string, StoredObject>>;
  readonly pending: readonly PendingEvent[];
  /** Initial-list events not yet delivered. */
  readonly unsynced: number;
}

/** One recorded effect result; a handler is rebuilt by replaying these. */
export type EffectResult =
  /** `raw`: the whole answer of a `ctx.keep` call when EngineOptions.keepFullResults is set (fingerprinted, never replayed). */
  | { readonly ok: true; readonly value: unknown; readonly raw?: unknown }
  | { readonly ok: false; readonly error: unknown };

/** Persistent list of results, newest first (O(1) append, shared between branches). */
export interface ResultList {
  readonly head: EffectResult;
  readonly tail: ResultList | undefined;
  readonly length: number;
}

/**
 * A reconcile or task that has started and is paused at a scheduling point, as
 * {@link WorldView.inflight} lists them: controller, queue or task, key, handler name, pending
 * effect.
 *
 * @example
 * ```ts
 * const busy = (v: WorldView) => v.inflight().map((f: Inflight) => `${f.handler}(${f.key}) at ${f.pending.op}`);
 * ```
 *
 * @category Models and properties
 */
export interface Inflight {
  readonly id: string;
  readonly controller: string;
  /** Queue name, or undefined for a task. */
  readonly queue?: string;
  /** Task name (start-up, periodic) when queue is undefined. */
  readonly task?: string;
  readonly key: string;
  readonly handler: string;
  readonly pending: Effect;
  readonly results: ResultList | undefined;
  /** Scheduling points passed so far. */
  readonly steps: number;
}

export interface ControllerState {
  readonly informers: Readonly<Record<string, InformerState>>;
  readonly queues: Readonly<Record<string, QueueState>>;
  readonly memory: unknown;
  /** Held mutexes: `mutex/key` -> holder inflight id. */
  readonly locks: Readonly<Record<string, string>>;
  readonly inflight: Readonly<Record<string, Inflight>>;
  /** Start-up code has finished: workers and periodic tasks may run. */
  readonly started: boolean;
  /** Periodic task name -> next run time (absent while it runs). */
  readonly timers: Readonly<Record<string, number>>;
  readonly restarts: number;
}

export interface FaultsLeft {
  readonly restarts: number;
  readonly watchDisconnects: number;
  readonly resyncs: number;
  readonly apiErrors: number;
}

/** Why a run cannot continue: a bug in the model or handler, not a property violation. */
export interface Failure {
  readonly kind: 'handler-threw' | 'budget-exceeded' | 'bad-effect' | 'deadlock';
  readonly message: string;
  readonly actionId: string;
}

/**
 * The whole simulated world (API state, controllers, externals, clock), as
 * {@link WorldView.world} exposes it.
 *
 * @example
 * ```ts
 * const objects = (v: WorldView) => Object.keys(v.world.api.objects).length;
 * ```
 *
 * @category Models and properties
 */
export interface World {
  /** Simulation time in ms. */
  readonly clock: number;
  readonly rng: number;
  readonly api: ApiState;
  readonly controllers: Readonly<Record<string, ControllerState>>;
  readonly externals: Readonly<Record<string, unknown>>;
  /** Actor -> index of its next operation in the scenario's ops (per actor). */
  readonly users: Readonly<Record<string, number>>;
  readonly faults: FaultsLeft;
  readonly failure?: Failure;
  readonly steps: number;
}

/**
 * Definitions a user writes: controllers (informers, event handlers, queues, workers,
 * in-memory state, start-up and periodic tasks), external systems, and scenarios of user
 * operations. All are data plus pure functions; the engine owns the state.
 */
import type { ApiOptions, DeleteOptions, KindDef, KubeObject, ListOptions, StoredObject } from '../api/types.ts';
import type { Effect, Reconciler, Task } from './effects.ts';
import type { RateLimiterConfig } from './workqueue.ts';

/** Synchronous lister for event handlers (the cache is already updated, W2). */
export interface HandlerLister<T extends StoredObject = StoredObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(options?: ListOptions): T[];
}

/**
 * What an informer event handler may do: read caches and memory, enqueue. Runs inside the
 * delivery step. Call these as methods of the context (`ctx.enqueue(...)`), not detached.
 */
export interface HandlerContext<M = unknown> {
  lister<T extends StoredObject = StoredObject>(kind: string): HandlerLister<T>;
  /**
   * A direct GET from the API server inside the handler (some controllers, e.g. Kube-OVN
   * v1.12's getPodKubeovnNets, call the API from event handlers). Reads current state; undefined if absent.
   */
  get<T extends StoredObject = StoredObject>(kind: string, namespace: string | undefined, name: string): T | undefined;
  memory(): M;
  updateMemory(update: (memory: M) => M): void;
  /**
   * Run read-only handler code written against {@link ReconcileContext} (listers, client get/list,
   * memory, logs) synchronously inside this event handler, so one helper (e.g. Kube-OVN's
   * getPodKubeovnNets) serves both event handlers and reconcilers. Writes are refused.
   */
  run<T>(body: Generator<Effect, T, unknown>): T;
  enqueue(queue: string, key: string): void;
  enqueueAfter(queue: string, key: string, delayMs: number): void;
  log(message: string): void;
}

/** cache.ResourceEventHandlerFuncs. `tombstone` is true for DeletedFinalStateUnknown (W3). */
export interface EventHandlers<M = unknown> {
  add?(ctx: HandlerContext<M>, obj: StoredObject): void;
  update?(ctx: HandlerContext<M>, oldObj: StoredObject, newObj: StoredObject): void;
  delete?(ctx: HandlerContext<M>, obj: StoredObject, info: { readonly tombstone: boolean }): void;
}

export interface QueueDef<M = unknown> {
  /** Parallel workers for this queue (Go: `for i := 0; i < workers; i++ { go wait.Until(runWorker) }`). */
  readonly workers: number;
  readonly reconcile: Reconciler<M>;
  /** Shown in traces; defaults to the reconcile function's name. */
  readonly handlerName?: string;
  readonly rateLimiter?: RateLimiterConfig;
}

export interface PeriodicDef<M = unknown> {
  /** wait.Until period: the next run starts this long after the previous one ended. */
  readonly everyMs: number;
  /** Delay of the first run after start-up (0 = right after start-up). */
  readonly initialDelayMs?: number;
  readonly run: Task<M>;
}

export interface ControllerDef<M = unknown> {
  readonly name: string;
  /** Informers: one per watched kind, with its event handlers. */
  readonly watches: Readonly<Record<string, EventHandlers<M>>>;
  readonly queues: Readonly<Record<string, QueueDef<M>>>;
  /** In-memory state at process start (lost on restart). Immutable data. */
  readonly initialMemory: M;
  /** Start-up code run after the caches have synced and before workers start (e.g. InitIPAM). */
  readonly start?: Task<M>;
  readonly periodic?: Readonly<Record<string, PeriodicDef<M>>>;
}

/** Outcome of an external call: a new state and a result, or an error thrown to the handler. */
export interface ExternalCallResult<S> {
  readonly state: S;
  readonly result?: unknown;
}

/** A system outside Kubernetes that controllers drive (e.g. OVN northbound). Calls are pure functions. */
export interface ExternalSystemDef<S = unknown> {
  readonly name: string;
  readonly initial: S;
  readonly calls: Readonly<Record<string, (state: S, args: any) => ExternalCallResult<S>>>;
  /** Footprint key of a call for partial-order reduction; defaults to the whole system. */
  readonly footprint?: (call: string, args: any) => string;
}

/** An error an external call throws to the handler (like an OVN transaction error). */
export class ExternalError extends Error {
  override readonly name = 'ExternalError';
}

/** A request as an admission webhook sees it. */
export interface AdmissionRequest {
  readonly verb: 'create' | 'update' | 'updateStatus' | 'patch' | 'delete';
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The stored object (for update, patch, delete), if it exists. */
  readonly oldObject?: StoredObject;
  /** The object sent (create, update), or for a patch the object the patch would store. */
  readonly object?: KubeObject;
  /** `status` for writes to the status subresource (updateStatus, or a patch to /status). */
  readonly subresource?: 'status';
  /** Who sent it: a controller name or a user actor. */
  readonly actor: string;
  /** The stored objects of a kind, for hooks that check against others (a webhook's own cache, taken as current). */
  readonly list?: (kind: string) => readonly StoredObject[];
}

/** A validating admission webhook: return a message to deny the request (403), undefined to allow. */
export type AdmissionHook = (request: AdmissionRequest) => string | undefined;

/** Everything the engine needs to simulate a cluster. */
export interface SystemDef {
  readonly kinds: readonly KindDef[];
  readonly controllers: readonly ControllerDef<any>[];
  readonly externals?: readonly ExternalSystemDef<any>[];
  readonly apiOptions?: ApiOptions;
  /** Validating admission webhooks, called before every write a user or controller sends. */
  readonly admission?: readonly AdmissionHook[];
  /** Built-in asynchronous actors to run (default: all three). */
  readonly systemActors?: readonly ('garbage-collector' | 'namespace-controller' | 'kubelet')[];
}

/** One user operation (kubectl). */
export type UserOp = (
  | { readonly verb: 'create'; readonly object: KubeObject }
  | { readonly verb: 'delete'; readonly kind: string; readonly namespace?: string; readonly name: string; readonly options?: DeleteOptions }
  | { readonly verb: 'patch'; readonly kind: string; readonly namespace?: string; readonly name: string; readonly patch: unknown }
) & {
  /** Operations of one actor run in order; different actors race. Default `user`. */
  readonly actor?: string;
  /** Wait until these object keys (Kind/ns/name) are gone before running (e.g. delete the subnet after the pod). */
  readonly afterGone?: readonly string[];
  /**
   * Run only when the cluster is idle: no controller, informer or system actor has anything to
   * do (like a user who waits until `kubectl get` shows everything settled).
   */
  readonly whenIdle?: boolean;
};

export interface Scenario {
  /** Operations run to a stable state with the default schedule before exploration starts. */
  readonly setup?: readonly UserOp[];
  /** Operations that race with the controllers. */
  readonly ops: readonly UserOp[];
}

export interface FaultBudget {
  /** Controller crash + restart (memory lost, caches relisted, start-up code re-run). */
  readonly restarts?: number;
  /** Watch disconnect + relist of one informer (W3). */
  readonly watchDisconnects?: number;
  /** Informer resyncs (W4). */
  readonly resyncs?: number;
  /** Transient API errors (500) injected into a handler's API call. */
  readonly apiErrors?: number;
}

export interface EngineOptions {
  readonly seed?: number;
  readonly faults?: FaultBudget;
  /** Most effects one handler may perform without reaching a scheduling point (catches busy loops that yield). */
  readonly maxLocalEffects?: number;
  /** Most scheduling points one reconcile may pass (catches handlers that never finish). */
  readonly maxReconcileSteps?: number;
}

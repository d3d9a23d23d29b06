/**
 * Definitions a user writes: controllers (informers, event handlers, queues, workers,
 * in-memory state, start-up and periodic tasks), external systems, and scenarios of user
 * operations. All are data plus pure functions; the engine owns the state.
 */
import type { ApiOptions, DeleteOptions, KindDef, KubeObject, ListOptions, StoredObject } from '../api/types.ts';
import type { Effect, Reconciler, Task } from './effects.ts';
import type { RateLimiterConfig } from './workqueue.ts';

/**
 * A synchronous lister for event handlers ({@link HandlerContext.lister}); the cache is already
 * updated with the event's object (W2).
 *
 * @example
 * ```ts
 * const l: HandlerLister = ctx.lister('Subnet');
 * const referenced = l.list().some((s) => (s.spec as { vpc?: string }).vpc === obj.metadata.name);
 * ```
 *
 * @category Controllers and the engine
 */
export interface HandlerLister<T extends StoredObject = StoredObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  list(options?: ListOptions): T[];
}

/**
 * What an informer event handler may do, synchronously inside the delivery step: read
 * listers (the cache already holds the event's object), read and update memory, enqueue keys.
 * Call these as methods of the context (`ctx.enqueue(...)`), not detached.
 *
 * @example
 * ```ts
 * const handlers: EventHandlers = {
 *   update(ctx: HandlerContext, _old, obj) {
 *     if (obj.metadata.deletionTimestamp) ctx.enqueue('cleanup', `${obj.metadata.namespace}/${obj.metadata.name}`);
 *   },
 * };
 * ```
 *
 * @category Controllers and the engine
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

/**
 * cache.ResourceEventHandlerFuncs: add, update, delete (with `tombstone` true for
 * DeletedFinalStateUnknown, W3).
 *
 * @example
 * ```ts
 * const onBackup: EventHandlers = {
 *   add: (ctx, o) => ctx.enqueue('backups', `${o.metadata.namespace}/${o.metadata.name}`),
 *   delete: (ctx, o, { tombstone }) => ctx.log(`deleted ${o.metadata.name}${tombstone ? ' (tombstone)' : ''}`),
 * };
 * ```
 *
 * @category Controllers and the engine
 */
export interface EventHandlers<M = unknown> {
  add?(ctx: HandlerContext<M>, obj: StoredObject): void;
  update?(ctx: HandlerContext<M>, oldObj: StoredObject, newObj: StoredObject): void;
  delete?(ctx: HandlerContext<M>, obj: StoredObject, info: { readonly tombstone: boolean }): void;
}

/**
 * A work queue: how many workers, the reconcile handler, optionally its rate limiter.
 *
 * @example
 * ```ts
 * const q: QueueDef = { workers: 2, reconcile: reconcileBackup, rateLimiter: { baseDelayMs: 5, maxDelayMs: 1000_000, bucketQps: 10, bucketBurst: 100 } };
 * ```
 *
 * @category Controllers and the engine
 */
export interface QueueDef<M = unknown> {
  /** Parallel workers for this queue (Go: `for i := 0; i < workers; i++ { go wait.Until(runWorker) }`). */
  readonly workers: number;
  readonly reconcile: Reconciler<M>;
  /** Shown in traces; defaults to the reconcile function's name. */
  readonly handlerName?: string;
  readonly rateLimiter?: RateLimiterConfig;
}

/**
 * A periodic task (`wait.Until`): period, first delay, body.
 *
 * @example
 * ```ts
 * const gc: PeriodicDef = { everyMs: 60_000, *run(ctx) { yield* ctx.log('gc'); } };
 * ```
 *
 * @category Controllers and the engine
 */
export interface PeriodicDef<M = unknown> {
  /** wait.Until period: the next run starts this long after the previous one ended. */
  readonly everyMs: number;
  /** Delay of the first run after start-up (0 = right after start-up). */
  readonly initialDelayMs?: number;
  readonly run: Task<M>;
}

/**
 * A controller: informers with event handlers (`watches`), work queues with workers and a
 * reconcile handler each, in-memory state (lost on restart), optional start-up and periodic
 * tasks. `M` is the type of the in-memory state.
 *
 * @example
 * ```ts
 * const c: ControllerDef<null> = {
 *   name: 'backup-controller',
 *   initialMemory: null,
 *   watches: { Backup: { add: (ctx, o) => ctx.enqueue('backups', `${o.metadata.namespace}/${o.metadata.name}`) } },
 *   queues: { backups: { workers: 1, reconcile: reconcileBackup } },
 * };
 * ```
 *
 * @category Controllers and the engine
 */
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

/**
 * The outcome of an external call: the new state and an optional result for the handler (a
 * call that fails throws {@link ExternalError} instead).
 *
 * @example
 * ```ts
 * const get = (s: Snapshots, a: { id: string }): ExternalCallResult<Snapshots> => ({ state: s, result: s[a.id] });
 * ```
 *
 * @category Controllers and the engine
 */
export interface ExternalCallResult<S> {
  readonly state: S;
  readonly result?: unknown;
}

/**
 * A system outside Kubernetes that controllers drive (a cloud API, OVN northbound, a storage
 * backend): its initial state and calls as pure functions `(state, args) => { state, result }`.
 * A call that throws {@link ExternalError} fails in the handler like a real client error.
 *
 * @example
 * ```ts
 * const snapshots: ExternalSystemDef<Readonly<Record<string, string>>> = {
 *   name: 'snapshots',
 *   initial: {},
 *   calls: { create: (s, a: { id: string; volume: string }) => ({ state: { ...s, [a.id]: a.volume } }) },
 * };
 * ```
 *
 * @category Controllers and the engine
 */
export interface ExternalSystemDef<S = unknown> {
  readonly name: string;
  readonly initial: S;
  readonly calls: Readonly<Record<string, (state: S, args: any) => ExternalCallResult<S>>>;
  /** Footprint key of a call for partial-order reduction; defaults to the whole system. */
  readonly footprint?: (call: string, args: any) => string;
}

/**
 * An error an external call throws to the handler (like a cloud API's 404 or 409, or an OVN
 * transaction error). Uncaught in the handler, it requeues the item with rate limiting.
 *
 * @example
 * ```ts
 * calls: { delete: (s, a: { id: string }) => { if (!s[a.id]) throw new ExternalError(`snapshot ${a.id} not found`); return { state: s }; } }
 * ```
 *
 * @category Controllers and the engine
 */
export class ExternalError extends Error {
  override readonly name = 'ExternalError';
}

/**
 * A request as an admission webhook sees it: verb, kind, name, old and new object, actor (a
 * controller name or a scenario's user actor).
 *
 * @example
 * ```ts
 * const onlyAdminDeletes: AdmissionHook = (req: AdmissionRequest) =>
 *   req.verb === 'delete' && req.kind === 'Backup' && req.actor !== 'admin' ? 'only admin may delete backups' : undefined;
 * ```
 *
 * @category Controllers and the engine
 */
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

/**
 * A validating admission webhook: return a message to deny a write (403), undefined to allow.
 *
 * @example
 * ```ts
 * const noDeleteWhileUsed: AdmissionHook = (req: AdmissionRequest) =>
 *   req.verb === 'delete' && req.kind === 'Vpc' && (req.oldObject?.status as { subnets?: string[] })?.subnets?.length ? "can't delete vpc when any subnet in the vpc" : undefined;
 * ```
 *
 * @category Controllers and the engine
 */
export type AdmissionHook = (request: AdmissionRequest) => string | undefined;

/**
 * Everything the engine simulates: kinds, controllers, external systems, admission hooks and
 * which built-in actors run (garbage collector, namespace controller, kubelet; default all).
 *
 * @example
 * ```ts
 * const sys: SystemDef = { kinds: [BackupKind], controllers: [backupController], externals: [snapshots], systemActors: [] };
 * ```
 *
 * @category Controllers and the engine
 */
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

/**
 * One user operation (kubectl): create, delete or JSON merge patch. Operations of one `actor`
 * run in order; different actors race each other and the controllers. `afterGone` waits until
 * the given object keys are gone.
 *
 * @example
 * ```ts
 * const ops: UserOp[] = [
 *   { verb: 'create', object: backup('db') },
 *   { verb: 'delete', kind: 'Backup', namespace: 'default', name: 'db', actor: 'admin' },
 *   { verb: 'patch', kind: 'Backup', namespace: 'default', name: 'db', patch: { spec: { volume: 'pvc-2' } } },
 * ];
 * ```
 *
 * @category Controllers and the engine
 */
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

/**
 * A scenario: `setup` operations run to a stable state first (default schedule), then `ops`
 * race with the controllers.
 *
 * @example
 * ```ts
 * const createThenDelete: Scenario = {
 *   setup: [{ verb: 'create', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } }],
 *   ops: [
 *     { verb: 'create', object: backup('db') },
 *     { verb: 'delete', kind: 'Backup', namespace: 'default', name: 'db' },
 *   ],
 * };
 * ```
 *
 * @category Controllers and the engine
 */
export interface Scenario {
  /** Operations run to a stable state with the default schedule before exploration starts. */
  readonly setup?: readonly UserOp[];
  /** Operations that race with the controllers. */
  readonly ops: readonly UserOp[];
  /**
   * Interchangeable names, for symmetry reduction (`explore --symmetry`): groups of tuples, e.g.
   * `[[['p1', 'user1'], ['p2', 'user2']]]`; any permutation of a group's tuples must map the
   * scenario, the model's behaviour and the properties onto themselves (src/check/symmetry.ts).
   */
  readonly symmetry?: readonly (readonly (readonly string[])[])[];
}

/**
 * Faults the search may inject: controller restarts, watch disconnects, resyncs, transient
 * API errors (each a budget per execution).
 *
 * @example
 * ```ts
 * checkExhaustive(model, { engine: { faults: { restarts: 1 } } });
 * ```
 *
 * @category Controllers and the engine
 */
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

/**
 * Engine options: seed (generateName), fault budgets, and limits that catch handlers that
 * never yield or never finish.
 *
 * @example
 * ```ts
 * const engine: EngineOptions = { faults: { apiErrors: 1 }, maxReconcileSteps: 200 };
 * ```
 *
 * @category Controllers and the engine
 */
export interface EngineOptions {
  readonly seed?: number;
  readonly faults?: FaultBudget;
  /** Most effects one handler may perform without reaching a scheduling point (catches busy loops that yield). */
  readonly maxLocalEffects?: number;
  /** Most scheduling points one reconcile may pass (catches handlers that never finish). */
  readonly maxReconcileSteps?: number;
  /**
   * Record the whole answer of every {@link ReconcileContext.keep} call next to the part the
   * handler keeps, so fingerprints tell apart the states that `keep` merges. The handler still
   * receives only the kept part: this is the unreduced search that the projection is tested
   * against (test/check/reduction-soundness.test.ts), not a mode to run models in.
   */
  readonly keepFullResults?: boolean;
}

/**
 * Effects: what a reconcile handler asks the engine to do. Handlers are generator functions
 * that `yield*` the helpers of {@link ReconcileContext}; the engine performs each effect
 * against the world and resumes the generator with the result.
 *
 * Scheduling points (API calls, mutex acquires, external-system calls) end a step, so two
 * handlers interleave call by call. Local effects (lister reads, memory, queue adds, logs)
 * run inside the step of the preceding scheduling point.
 *
 * Why generators and not async functions: a generator is resumed synchronously by the
 * engine, so stepping never depends on Node's microtask timing, and an in-flight handler
 * can be rebuilt at any state by replaying its recorded effect results (exhaustive search
 * branches without copying closures).
 */
import type { DeleteOptions, KubeObject, ListOptions, StoredObject } from '../api/types.ts';

/**
 * An effect a handler yields (what the {@link ReconcileContext} helpers build). Scheduling
 * points: get, list, create, update, updateStatus, patch, delete, lock, external. Handlers
 * never build effects by hand; the type appears in generator signatures.
 *
 * @example
 * ```ts
 * function* ensureGone(ctx: ReconcileContext, ns: string, name: string): Generator<Effect, boolean, unknown> {
 *   try {
 *     yield* ctx.client.delete('Backup', ns, name);
 *     return true;
 *   } catch (e) {
 *     if (isNotFound(e)) return false;
 *     throw e;
 *   }
 * }
 * ```
 *
 * @category Controllers and the engine
 */
export type Effect =
  // Scheduling points
  | { readonly op: 'get'; readonly kind: string; readonly namespace?: string; readonly name: string }
  | { readonly op: 'list'; readonly kind: string; readonly options?: ListOptions }
  | { readonly op: 'create'; readonly object: KubeObject }
  | { readonly op: 'update'; readonly object: KubeObject }
  | { readonly op: 'updateStatus'; readonly object: KubeObject }
  | {
      readonly op: 'patch';
      readonly kind: string;
      readonly namespace?: string;
      readonly name: string;
      readonly patch: unknown;
      readonly subresource?: 'status';
    }
  | {
      readonly op: 'delete';
      readonly kind: string;
      readonly namespace?: string;
      readonly name: string;
      readonly options?: DeleteOptions;
    }
  | { readonly op: 'lock'; readonly mutex: string; readonly key: string }
  | { readonly op: 'external'; readonly system: string; readonly call: string; readonly args: unknown }
  /** time.Sleep: resumable once the clock reaches `until` (set by the engine when the handler pauses). */
  | { readonly op: 'sleep'; readonly ms: number; readonly until?: number }
  // Local effects
  | { readonly op: 'unlock'; readonly mutex: string; readonly key: string }
  | { readonly op: 'listerGet'; readonly kind: string; readonly namespace?: string; readonly name: string }
  | { readonly op: 'listerList'; readonly kind: string; readonly options?: ListOptions }
  | { readonly op: 'memoryGet'; readonly select?: (memory: unknown) => unknown }
  | { readonly op: 'memoryUpdate'; readonly update: (memory: unknown) => unknown; readonly select?: (memory: unknown) => unknown }
  | { readonly op: 'externalRead'; readonly system: string }
  | { readonly op: 'enqueue'; readonly queue: string; readonly key: string; readonly afterMs?: number; readonly rateLimited?: boolean }
  | { readonly op: 'forget'; readonly queue: string; readonly key: string }
  | { readonly op: 'now' }
  | { readonly op: 'log'; readonly message: string };

/**
 * An effect as the engine receives it: {@link ReconcileContext.ignoreResult} marks a call whose
 * answer the handler does not use, so the answer is neither passed on nor recorded;
 * {@link ReconcileContext.keep} one of whose answer only `keep(answer)` is.
 */
export type MarkedEffect = Effect & { readonly discardResult?: true; readonly keep?: (answer: unknown) => unknown };

/**
 * The `op` of an {@link Effect} (`'get'`, `'create'`, `'external'`, `'lock'`, ...).
 *
 * @example
 * ```ts
 * const writes: readonly EffectOp[] = ['create', 'update', 'updateStatus', 'patch', 'delete'];
 * ```
 *
 * @category Controllers and the engine
 */
export type EffectOp = Effect['op'];

const schedulingOps: ReadonlySet<EffectOp> = new Set<EffectOp>([
  'get',
  'list',
  'create',
  'update',
  'updateStatus',
  'patch',
  'delete',
  'lock',
  'external',
  'sleep',
]);

export function isSchedulingPoint(e: Effect): boolean {
  return schedulingOps.has(e.op);
}

export function isApiCall(e: Effect): boolean {
  return schedulingOps.has(e.op) && e.op !== 'lock' && e.op !== 'external' && e.op !== 'sleep';
}

export function isEffect(value: unknown): value is Effect {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

/**
 * What a reconcile handler returns: nothing (success), or a requeue request (controller-runtime's
 * `Result{Requeue, RequeueAfter}`, Q6).
 *
 * @example
 * ```ts
 * const later: ReconcileResult = { requeueAfterMs: 5_000 };
 * ```
 *
 * @category Controllers and the engine
 */
export type ReconcileResult = void | undefined | { readonly requeue?: boolean; readonly requeueAfterMs?: number };

/**
 * A reconcile handler: `(ctx, key) => Generator`. Returning ends the item (`Forget`);
 * throwing an {@link ApiError} or {@link ReconcileError} requeues it with rate limiting;
 * `{ requeue: true }` / `{ requeueAfterMs }` requeue without an error.
 *
 * @example
 * ```ts
 * const reconcile: Reconciler = function* (ctx, key) {
 *   yield* ctx.log(`reconcile ${key}`);
 *   return { requeueAfterMs: 30_000 };
 * };
 * ```
 *
 * @category Controllers and the engine
 */
export type Reconciler<M = unknown> = (ctx: ReconcileContext<M>, key: string) => Generator<Effect, ReconcileResult, unknown>;

/**
 * A start-up or periodic task body (start-up code, periodic GC): `(ctx) => Generator`. Errors
 * are logged, like `klog.Error` in a `wait.Until` loop.
 *
 * @example
 * ```ts
 * const initCache: Task<{ ready: boolean }> = function* (ctx) {
 *   yield* ctx.updateMemory(() => ({ ready: true }));
 * };
 * ```
 *
 * @category Controllers and the engine
 */
export type Task<M = unknown> = (ctx: ReconcileContext<M>) => Generator<Effect, void, unknown>;

/**
 * An error a handler returns on purpose (Go's `return err`): the item is requeued with rate
 * limiting, and the message appears in the execution log.
 *
 * @example
 * ```ts
 * if (subnets.length > 0) throw new ReconcileError(`please delete subnet ${subnets[0]} first`);
 * ```
 *
 * @category Controllers and the engine
 */
export class ReconcileError extends Error {
  override readonly name = 'ReconcileError';
}

/**
 * The typed API client of a handler: get, list, create, update, updateStatus, patch (JSON
 * merge patch, optionally on /status), delete. Every call reads or writes the current server
 * state and is a scheduling point.
 *
 * @example
 * ```ts
 * const fresh = yield* ctx.client.get<Backup>('Backup', ns, name);
 * yield* ctx.client.patch('Backup', ns, name, { status: { phase: 'Done' } }, 'status');
 * ```
 *
 * @category Controllers and the engine
 */
export interface Client {
  get<T extends StoredObject = StoredObject>(kind: string, namespace: string | undefined, name: string): Generator<Effect, T, unknown>;
  list<T extends StoredObject = StoredObject>(kind: string, options?: ListOptions): Generator<Effect, T[], unknown>;
  create<T extends StoredObject = StoredObject>(object: KubeObject): Generator<Effect, T, unknown>;
  update<T extends StoredObject = StoredObject>(object: KubeObject): Generator<Effect, T, unknown>;
  updateStatus<T extends StoredObject = StoredObject>(object: KubeObject): Generator<Effect, T, unknown>;
  /** JSON merge patch (types.MergePatchType). */
  patch<T extends StoredObject = StoredObject>(
    kind: string,
    namespace: string | undefined,
    name: string,
    patch: unknown,
    subresource?: 'status',
  ): Generator<Effect, T, unknown>;
  delete(
    kind: string,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): Generator<Effect, { deleted: boolean; object: StoredObject }, unknown>;
}

/**
 * A lister over the controller's informer cache (W5): may be stale; `get` throws NotFound like
 * a Go lister.
 *
 * @example
 * ```ts
 * const backups: Lister<Backup> = ctx.lister<Backup>('Backup');
 * const all = yield* backups.list({ namespace: 'default' });
 * ```
 *
 * @category Controllers and the engine
 */
export interface Lister<T extends StoredObject = StoredObject> {
  get(namespace: string | undefined, name: string): Generator<Effect, T, unknown>;
  list(options?: ListOptions): Generator<Effect, T[], unknown>;
}

/**
 * What a reconcile handler can do: API calls (`client`), cached reads (`lister`), keyed
 * mutexes, memory, external calls, queue operations, time and logs. Handlers are generator
 * functions and `yield*` every call; API, mutex and external calls are scheduling points
 * where other handlers and users may interleave.
 *
 * @example
 * ```ts
 * function* reconcileBackup(ctx: ReconcileContext, key: string) {
 *   const [ns, name] = key.split('/');
 *   let b: StoredObject;
 *   try {
 *     b = yield* ctx.lister('Backup').get(ns, name);
 *   } catch (e) {
 *     if (isNotFound(e)) return;
 *     throw e;
 *   }
 *   yield* ctx.external('snapshots', 'create', { id: `${ns}/${name}` });
 * }
 * ```
 *
 * @category Controllers and the engine
 */
export interface ReconcileContext<M = unknown> {
  readonly client: Client;
  lister<T extends StoredObject = StoredObject>(kind: string): Lister<T>;
  /** Acquire a keyed mutex (Go keymutex.LockKey); blocks (is not schedulable) while another holder has it. */
  lock(mutex: string, key: string): Generator<Effect, void, unknown>;
  unlock(mutex: string, key: string): Generator<Effect, void, unknown>;
  /** Run `body` holding the keyed mutex; releases it however `body` ends (Go's `defer Unlock`). */
  withLock<T>(mutex: string, key: string, body: () => Generator<Effect, T, unknown>): Generator<Effect, T, unknown>;
  /**
   * Read the controller's in-memory state (e.g. IPAM), or only `select(state)`. An in-flight
   * handler is identified by the results it has received, so a handler that selects the part it
   * uses (`ctx.memory((m) => m.deletingPods[key])`) keeps exhaustive search from telling apart
   * states that differ only in memory it never looks at. `select` must be pure.
   *
   * `select` runs on a read-tracking view of the memory (src/engine/memory-footprint.ts): what
   * it reads becomes the step's footprint, field and entry by field and entry, which is what
   * partial-order reduction orders by. Return plain values or memory objects (unwrapped); a
   * memory object kept in a closure and read after `select` returned throws.
   */
  memory(): Generator<Effect, M, unknown>;
  memory<T>(select: (memory: M) => T): Generator<Effect, T, unknown>;
  /**
   * Replace the controller's in-memory state with `update(current)`; returns the new state, or
   * `select(new state)` (`() => undefined` when the handler does not use it: see {@link memory}).
   * `update` and `select` must be pure, and must not mutate the memory (a view throws).
   * The step writes the top-level fields and their entries that are not the same objects as
   * before, so build the new state with spreads that keep unchanged parts (`{ ...m, ipam: f(m.ipam) }`).
   */
  updateMemory(update: (memory: M) => M): Generator<Effect, M, unknown>;
  updateMemory<T>(update: (memory: M) => M, select: (memory: M) => T): Generator<Effect, T, unknown>;
  /** Call an external system (e.g. OVN northbound); a scheduling point. */
  external<R = unknown>(system: string, call: string, args?: unknown): Generator<Effect, R, unknown>;
  /** Read an external system's state without a scheduling point (e.g. a local OVN cache). */
  readExternal<S = unknown>(system: string): Generator<Effect, S, unknown>;
  enqueue(queue: string, key: string): Generator<Effect, void, unknown>;
  enqueueAfter(queue: string, key: string, delayMs: number): Generator<Effect, void, unknown>;
  enqueueRateLimited(queue: string, key: string): Generator<Effect, void, unknown>;
  forget(queue: string, key: string): Generator<Effect, void, unknown>;
  /** Simulation time in ms. */
  now(): Generator<Effect, number, unknown>;
  /**
   * Go's time.Sleep: a scheduling point the handler leaves only once `ms` of simulated time have
   * passed (with the idle-only clock of exhaustive search, after everything else that can run).
   */
  sleep(ms: number): Generator<Effect, void, unknown>;
  /** A line for the execution log (like klog). */
  log(message: string): Generator<Effect, void, unknown>;
  /**
   * Make a call whose answer the handler does not use (Go's `_, err = client.Patch(...)`):
   * errors are thrown as usual, a success gives `undefined` and is recorded as such. Like
   * {@link memory}'s `select`, this keeps an in-flight handler's state to what it uses, so
   * exhaustive search does not tell apart states that differ only in an answer it dropped.
   */
  ignoreResult(call: Generator<Effect, unknown, unknown>): Generator<Effect, void, unknown>;
  /**
   * Make one call (an API call, a lister read, an external call) and receive only
   * `part(answer)`: what the Go code goes on to use of it, e.g. the length of a LIST it only
   * counts (`ctx.keep(ctx.lister<IP>('IP').list(sel), (ips) => ips.length)`). The engine records
   * only that part for replay and fingerprints, so exhaustive search does not tell apart states
   * that differ only in the rest. Sound by construction: the handler never sees the rest. Errors
   * are thrown as usual. `part` must be pure; `call` must make exactly one effect.
   */
  keep<T, R>(call: Generator<Effect, T, unknown>, part: (answer: T) => R): Generator<Effect, R, unknown>;
}

function* perform<T>(effect: Effect): Generator<Effect, T, unknown> {
  return (yield effect) as T;
}

const listers = new Map<string, Lister<any>>();

/** Listers are stateless too: one per kind, built once (handlers call ctx.lister(kind) in hot loops). */
function listerOf(kind: string): Lister<any> {
  let l = listers.get(kind);
  if (!l) {
    l = {
      get: (namespace, name) => perform({ op: 'listerGet', kind, namespace, name }),
      list: (options) => perform({ op: 'listerList', kind, options }),
    };
    if (listers.size < 1000) listers.set(kind, l);
  }
  return l;
}

/**
 * The {@link ReconcileContext} every reconciler receives as `ctx`. It is stateless (it only
 * builds effects), so one instance serves every handler. Event handlers use it to run
 * read-only helpers written for reconcilers through {@link HandlerContext.run}.
 *
 * @example
 * ```ts
 * const rc = reconcileContext as ReconcileContext<MyMemory>;
 * const onPod: EventHandlers<MyMemory> = {
 *   add(ctx, pod) {
 *     const now = ctx.run(rc.now()); // the virtual clock, inside an event handler
 *     if (now > 0) ctx.enqueue('pods', `${pod.metadata.namespace}/${pod.metadata.name}`);
 *   },
 * };
 * ```
 *
 * @category Controllers and the engine
 */
export const reconcileContext: ReconcileContext<any> = {
  client: {
    get: (kind, namespace, name) => perform({ op: 'get', kind, namespace, name }),
    list: (kind, options) => perform({ op: 'list', kind, options }),
    create: (object) => perform({ op: 'create', object }),
    update: (object) => perform({ op: 'update', object }),
    updateStatus: (object) => perform({ op: 'updateStatus', object }),
    patch: (kind, namespace, name, patch, subresource) => perform({ op: 'patch', kind, namespace, name, patch, subresource }),
    delete: (kind, namespace, name, options) => perform({ op: 'delete', kind, namespace, name, options }),
  },
  lister: (kind) => listerOf(kind),
  lock: (mutex, key) => perform({ op: 'lock', mutex, key }),
  unlock: (mutex, key) => perform({ op: 'unlock', mutex, key }),
  *withLock(mutex, key, body) {
    yield { op: 'lock', mutex, key };
    try {
      return yield* body();
    } finally {
      yield { op: 'unlock', mutex, key };
    }
  },
  memory: (select?: (m: unknown) => unknown) => perform({ op: 'memoryGet', ...(select ? { select } : {}) }),
  updateMemory: (update: (m: unknown) => unknown, select?: (m: unknown) => unknown) =>
    perform({ op: 'memoryUpdate', update, ...(select ? { select } : {}) }),
  external: (system, call, args) => perform({ op: 'external', system, call, args }),
  readExternal: (system) => perform({ op: 'externalRead', system }),
  enqueue: (queue, key) => perform({ op: 'enqueue', queue, key }),
  enqueueAfter: (queue, key, afterMs) => perform({ op: 'enqueue', queue, key, afterMs }),
  enqueueRateLimited: (queue, key) => perform({ op: 'enqueue', queue, key, rateLimited: true }),
  forget: (queue, key) => perform({ op: 'forget', queue, key }),
  now: () => perform({ op: 'now' }),
  sleep: (ms) => perform({ op: 'sleep', ms }),
  log: (message) => perform({ op: 'log', message }),
  *ignoreResult(call) {
    let next = call.next();
    while (!next.done) {
      let answer: unknown;
      try {
        answer = yield { ...next.value, discardResult: true } as MarkedEffect;
      } catch (e) {
        next = call.throw(e);
        continue;
      }
      next = call.next(answer);
    }
  },
  *keep<T, R>(call: Generator<Effect, T, unknown>, part: (answer: T) => R): Generator<Effect, R, unknown> {
    const first = call.next();
    if (first.done) throw new Error('ctx.keep: the call made no effect');
    let kept: R;
    try {
      // The engine hands back part(answer); the call only passes its answer through.
      kept = (yield { ...first.value, keep: part as (answer: unknown) => unknown } as MarkedEffect) as R;
    } catch (e) {
      // An error goes through the call (so its own try/finally runs) to the caller of keep.
      call.throw(e);
      throw new Error('ctx.keep: the call swallowed its error; catch it around ctx.keep instead');
    }
    const rest = call.next(kept as unknown);
    if (!rest.done) throw new Error('ctx.keep: the call made more than one effect');
    return kept;
  },
};

/**
 * kuberace: find, explain and prove fixes for races in Kubernetes controllers by
 * deterministic simulation and model checking.
 *
 * This module is the documented public API; everything a controller author needs is
 * exported from here (`import { ... } from 'kuberace'`). A model is built in four steps:
 *
 * 1. kinds and object types ({@link defineKind}, {@link KubeObject}, {@link StoredObject});
 * 2. controllers whose handlers are generator functions that `yield*` the effects of a
 *    {@link ReconcileContext} ({@link defineController}), and external systems they drive
 *    ({@link defineExternalSystem});
 * 3. a model: variants, named properties ({@link always}, {@link atStable}, {@link sometimes})
 *    and scenarios of user operations ({@link defineModel});
 * 4. checks: {@link checkRandom} (fast-check driven search), {@link checkExhaustive} (every
 *    interleaving, with partial-order reduction), and counterexample files that replay
 *    deterministically ({@link replayTrace}). In a test runner: {@link kuberaceProperty} and
 *    {@link expectHolds}.
 *
 * See docs/guide.md for a walk-through from an empty file to a proven fix.
 *
 * @example
 * ```ts
 * import { checkExhaustive, checkRandom, expectHolds } from 'kuberace';
 * import { backupModel } from './backup.ts';
 *
 * const report = checkRandom(backupModel, { variant: 'v1', seed: 1 });
 * if (report.result === 'violated') console.log(report.counterexample!.steps);
 * expectHolds(checkExhaustive(backupModel, { variant: 'v2' }), { complete: true });
 * ```
 *
 * @packageDocumentation
 */
import * as apiErrors from './api/errors.ts';
import * as apiKeys from './api/keys.ts';
import * as apiKinds from './api/kinds.ts';
import type * as apiTypes from './api/types.ts';
import * as effects from './engine/effects.ts';
import * as system from './engine/system.ts';
import type * as workqueue from './engine/workqueue.ts';
import type * as world from './engine/world.ts';
import type * as checkContext from './check/context.ts';
import * as execute from './check/execute.ts';
import * as exhaustive from './check/exhaustive.ts';
import * as model from './check/model.ts';
import * as property from './check/property.ts';
import * as random from './check/random.ts';
import * as view from './check/view.ts';
import * as vitest from './check/vitest.ts';
import * as traceFormat from './trace/format.ts';
import * as traceReplay from './trace/replay.ts';

// =============================================================================================
// Objects

/**
 * Any Kubernetes object as sent to the server: `apiVersion`, `kind`, `metadata`, `spec`,
 * `status`, plus any other top-level fields (a ConfigMap's `data`). Every field is optional, as
 * in @kubernetes/client-node, so its `V1Pod`, `V1ConfigMap`, ... and a CRD's generated types
 * are assignable without casts. The server answers 400/422 when apiVersion, kind or a name is
 * missing.
 *
 * @example
 * ```ts
 * const backup: KubeObject<BackupSpec> = {
 *   apiVersion: 'example.com/v1',
 *   kind: 'Backup',
 *   metadata: { name: 'db', namespace: 'default' },
 *   spec: { volume: 'pvc-1' },
 * };
 * const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } };
 * ```
 */
export type KubeObject<Spec = unknown, Status = unknown> = apiTypes.KubeObject<Spec, Status>;

/**
 * The common fields of {@link KubeObject} (apiVersion, kind, metadata, spec, status) without
 * other top-level fields: the interface to extend for an object type of your own.
 *
 * @example
 * ```ts
 * interface Backup extends KubeObjectFields<{ volume: string }, { snapshot?: string }> {}
 * ```
 */
export type KubeObjectFields<Spec = unknown, Status = unknown> = apiTypes.KubeObjectFields<Spec, Status>;

/**
 * An object as the server stores and returns it: apiVersion, kind and the server-owned
 * metadata (name, uid, resourceVersion, creationTimestamp, generation) are always present.
 * Listers, client calls and {@link WorldView} return these. Other top-level fields read as
 * `unknown`.
 *
 * @example
 * ```ts
 * type Backup = StoredObject<{ volume: string }, { snapshot?: string }>;
 * function* handler(ctx: ReconcileContext, key: string) {
 *   const [ns, name] = key.split('/');
 *   const b = yield* ctx.lister<Backup>('Backup').get(ns, name);
 *   yield* ctx.log(`${b.metadata.name} at rv ${b.metadata.resourceVersion}: ${b.spec?.volume}`);
 * }
 * ```
 */
export type StoredObject<Spec = unknown, Status = unknown> = apiTypes.StoredObject<Spec, Status>;

/**
 * Object metadata (metav1.ObjectMeta) as sent: name or generateName, namespace, labels,
 * annotations, finalizers, ownerReferences, and the server-owned fields the server fills in.
 * Timestamps are RFC 3339 strings; `Date` is in the type only so that client-node's
 * `V1ObjectMeta` fits (the simulated server speaks JSON and rejects a `Date` with 400).
 *
 * @example
 * ```ts
 * const meta: ObjectMeta = { name: 'db', namespace: 'default', labels: { app: 'pg' }, finalizers: ['example.com/snapshot'] };
 * ```
 */
export type ObjectMeta = apiTypes.ObjectMeta;

/**
 * The metadata of a {@link StoredObject}: every server-owned field is filled in and
 * `deletionTimestamp` (set once deletion has started) is a string.
 *
 * @example
 * ```ts
 * const terminating = (m: StoredMeta) => m.deletionTimestamp !== undefined;
 * ```
 */
export type StoredMeta = apiTypes.StoredMeta;

/**
 * An owner reference (metav1.OwnerReference); the simulated garbage collector follows them.
 *
 * @example
 * ```ts
 * const ref: OwnerReference = { apiVersion: 'example.com/v1', kind: 'Backup', name: 'db', uid: backup.metadata.uid, controller: true };
 * ```
 */
export type OwnerReference = apiTypes.OwnerReference;

/**
 * Options of a delete: preconditions, propagation policy, grace period.
 *
 * @example
 * ```ts
 * yield* ctx.client.delete('Backup', 'default', 'db', { preconditions: { uid: backup.metadata.uid } });
 * ```
 */
export type DeleteOptions = apiTypes.DeleteOptions;

/**
 * Options of a list: namespace and an equality-based label selector (`a=b,c!=d,e,!f`).
 *
 * @example
 * ```ts
 * const mine = yield* ctx.lister('ConfigMap').list({ namespace: 'default', labelSelector: 'app=pg' });
 * ```
 */
export type ListOptions = apiTypes.ListOptions;

/**
 * Opt-in server behaviours of a {@link SystemDef} (e.g. `deleteRacesFinalizerAdd`, the delete
 * that races a finalizer add of kubernetes#77988).
 *
 * @example
 * ```ts
 * const sys: SystemDef = { kinds: [BackupKind], controllers: [backupController], apiOptions: { deleteRacesFinalizerAdd: true } };
 * ```
 */
export type ApiOptions = apiTypes.ApiOptions;

// =============================================================================================
// Kinds

/**
 * The registration of a kind with the simulated API server (a CRD, or a built-in's scheme
 * entry): apiVersion, kind, namespaced, status subresource, custom.
 *
 * @example
 * ```ts
 * const kinds: readonly KindDef[] = [BackupKind, PodKind];
 * ```
 */
export type KindDef = apiTypes.KindDef;

/**
 * Define a custom kind (like applying a CRD). Defaults: `custom: true` (update requires a
 * resourceVersion, generation counts spec changes), `statusSubresource: false`. The plural is
 * derived from the kind unless given.
 *
 * @example
 * ```ts
 * export const BackupKind = defineKind({ apiVersion: 'example.com/v1', kind: 'Backup', namespaced: true, statusSubresource: true });
 * ```
 */
export const defineKind: typeof apiKinds.defineKind = apiKinds.defineKind;

/**
 * core/v1 Namespace, served by every simulated cluster. Namespaced objects need their
 * namespace to exist: create it in a scenario's setup.
 *
 * @example
 * ```ts
 * const setup: UserOp[] = [{ verb: 'create', object: { apiVersion: 'v1', kind: NamespaceKind.kind, metadata: { name: 'default' } } }];
 * ```
 */
export const NamespaceKind: KindDef = apiKinds.NamespaceKind;

/**
 * core/v1 Pod (graceful deletion; the simulated kubelet finishes deleted pods).
 *
 * @example
 * ```ts
 * const pod: KubeObject = { apiVersion: 'v1', kind: PodKind.kind, metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1' } };
 * ```
 */
export const PodKind: KindDef = apiKinds.PodKind;

/**
 * core/v1 ConfigMap (no status).
 *
 * @example
 * ```ts
 * const cm: KubeObject = { apiVersion: 'v1', kind: ConfigMapKind.kind, metadata: { name: 'c', namespace: 'default' }, data: { k: 'v' } };
 * ```
 */
export const ConfigMapKind: KindDef = apiKinds.ConfigMapKind;

/**
 * Multus NetworkAttachmentDefinition (k8s.cni.cncf.io/v1), a namespaced CRD without status.
 *
 * @example
 * ```ts
 * const nad: KubeObject = { apiVersion: NetworkAttachmentDefinitionKind.apiVersion, kind: 'NetworkAttachmentDefinition', metadata: { name: 'attach1', namespace: 'default' }, spec: { config: '{}' } };
 * ```
 */
export const NetworkAttachmentDefinitionKind: KindDef = apiKinds.NetworkAttachmentDefinitionKind;

/**
 * The kinds every simulated cluster serves (Namespace, Pod, ConfigMap,
 * NetworkAttachmentDefinition); a {@link SystemDef} lists only its own kinds.
 *
 * @example
 * ```ts
 * const served = [...builtinKinds, BackupKind].map((k) => k.kind);
 * ```
 */
export const builtinKinds: readonly KindDef[] = apiKinds.builtinKinds;

/**
 * The key of an object in the simulated store and in trace ids: `Kind/ns/name` for
 * namespaced kinds, `Kind/name` for cluster-scoped ones.
 *
 * @example
 * ```ts
 * objectKey('Backup', 'default', 'db'); // 'Backup/default/db'
 * objectKey('Vpc', undefined, 'vpc1'); // 'Vpc/vpc1'
 * ```
 */
export const objectKey: typeof apiKeys.objectKey = apiKeys.objectKey;

/**
 * {@link objectKey} of an object, from its kind and metadata.
 *
 * @example
 * ```ts
 * keyOf({ kind: 'Backup', metadata: { namespace: 'default', name: 'db' } }); // 'Backup/default/db'
 * ```
 */
export const keyOf: typeof apiKeys.keyOf = apiKeys.keyOf;

/**
 * Simulation time (ms, as `ctx.now()` returns it) of an RFC 3339 timestamp the server wrote
 * (creationTimestamp, deletionTimestamp); undefined when it does not parse.
 *
 * @example
 * ```ts
 * const now = yield* ctx.now();
 * const age = now - (parseTimestamp(obj.metadata.creationTimestamp) ?? now);
 * ```
 */
export const parseTimestamp: typeof apiKeys.parseTimestamp = apiKeys.parseTimestamp;

// =============================================================================================
// Errors

/**
 * An error status of the simulated API server, with the HTTP code, reason and message text of
 * the real kube-apiserver. Client calls and lister gets throw it; a handler that lets it escape
 * has returned an error (the item is requeued with rate limiting).
 *
 * @example
 * ```ts
 * try {
 *   yield* ctx.client.update(obj);
 * } catch (e) {
 *   if (e instanceof ApiError && e.code === 409) return { requeue: true };
 *   throw e;
 * }
 * ```
 */
export const ApiError: typeof apiErrors.ApiError = apiErrors.ApiError;
export type ApiError = apiErrors.ApiError;

/**
 * The reasons an {@link ApiError} can carry: NotFound, AlreadyExists, Conflict, Invalid,
 * Forbidden, BadRequest, InternalError, TooManyRequests.
 *
 * @example
 * ```ts
 * const retryable = (r: StatusReason) => r === 'Conflict' || r === 'TooManyRequests';
 * ```
 */
export type StatusReason = apiTypes.StatusReason;

/**
 * Whether `e` is an {@link ApiError}.
 *
 * @example
 * ```ts
 * if (isApiError(e)) yield* ctx.log(`API error ${e.code} ${e.reason}`);
 * ```
 */
export const isApiError: typeof apiErrors.isApiError = apiErrors.isApiError;

/**
 * 404 NotFound (`k8serrors.IsNotFound`): the usual "object already gone" check.
 *
 * @example
 * ```ts
 * let b: StoredObject;
 * try {
 *   b = yield* ctx.lister('Backup').get(ns, name);
 * } catch (e) {
 *   if (isNotFound(e)) return; // deleted: nothing to do
 *   throw e;
 * }
 * ```
 */
export const isNotFound: typeof apiErrors.isNotFound = apiErrors.isNotFound;

/**
 * 409 Conflict (`k8serrors.IsConflict`): a write with a stale resourceVersion.
 *
 * @example
 * ```ts
 * try { yield* ctx.client.update(withFinalizer); } catch (e) { if (isConflict(e)) return { requeue: true }; throw e; }
 * ```
 */
export const isConflict: typeof apiErrors.isConflict = apiErrors.isConflict;

/**
 * 409 AlreadyExists (`k8serrors.IsAlreadyExists`).
 *
 * @example
 * ```ts
 * try { yield* ctx.client.create(child); } catch (e) { if (!isAlreadyExists(e)) throw e; }
 * ```
 */
export const isAlreadyExists: typeof apiErrors.isAlreadyExists = apiErrors.isAlreadyExists;

/**
 * 422 Invalid, e.g. a finalizer added to an object that is being deleted.
 *
 * @example
 * ```ts
 * try { yield* ctx.client.update(obj); } catch (e) { if (isInvalid(e)) yield* ctx.log(e.message); else throw e; }
 * ```
 */
export const isInvalid: typeof apiErrors.isInvalid = apiErrors.isInvalid;

/**
 * 403 Forbidden, e.g. a create in a terminating namespace or a write an admission hook denied.
 *
 * @example
 * ```ts
 * try { yield* ctx.client.create(obj); } catch (e) { if (!isForbidden(e)) throw e; }
 * ```
 */
export const isForbidden: typeof apiErrors.isForbidden = apiErrors.isForbidden;

/**
 * 400 BadRequest: a malformed body, patch, selector or argument — a bug in the handler rather
 * than a race.
 *
 * @example
 * ```ts
 * try {
 *   yield* ctx.client.patch('Backup', ns, name, { metadata: { finalizers: 'oops' } });
 * } catch (e) {
 *   if (isBadRequest(e)) yield* ctx.log(`bad patch: ${e.message}`);
 *   throw e;
 * }
 * ```
 */
export const isBadRequest: typeof apiErrors.isBadRequest = apiErrors.isBadRequest;

// =============================================================================================
// Controllers and the engine

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
 */
export type ControllerDef<M = unknown> = system.ControllerDef<M>;

/**
 * Define a controller, keeping the type of its in-memory state: `M` is inferred from
 * `initialMemory` (or given), and every event handler, reconcile handler and task is checked
 * against it. Returns its argument.
 *
 * @example
 * ```ts
 * interface Memory { readonly seen: number }
 * export const backupController = defineController({
 *   name: 'backup-controller',
 *   initialMemory: { seen: 0 } as Memory,
 *   watches: {
 *     Backup: {
 *       add: (ctx, obj) => ctx.enqueue('backups', `${obj.metadata.namespace}/${obj.metadata.name}`),
 *       update: (ctx, _old, obj) => ctx.enqueue('backups', `${obj.metadata.namespace}/${obj.metadata.name}`),
 *     },
 *   },
 *   queues: {
 *     backups: {
 *       workers: 1,
 *       *reconcile(ctx, key) {
 *         yield* ctx.updateMemory((m) => ({ seen: m.seen + 1 })); // m: Memory
 *         yield* ctx.log(`reconcile ${key}`);
 *       },
 *     },
 *   },
 * });
 * ```
 */
export function defineController<M>(def: ControllerDef<M>): ControllerDef<M> {
  return def;
}

/**
 * What an informer event handler may do, synchronously inside the delivery step: read
 * listers (the cache already holds the event's object), read and update memory, enqueue keys.
 *
 * @example
 * ```ts
 * const handlers: EventHandlers = {
 *   update(ctx: HandlerContext, _old, obj) {
 *     if (obj.metadata.deletionTimestamp) ctx.enqueue('cleanup', `${obj.metadata.namespace}/${obj.metadata.name}`);
 *   },
 * };
 * ```
 */
export type HandlerContext<M = unknown> = system.HandlerContext<M>;

/**
 * A synchronous lister for event handlers ({@link HandlerContext.lister}).
 *
 * @example
 * ```ts
 * const l: HandlerLister = ctx.lister('Subnet');
 * const referenced = l.list().some((s) => (s.spec as { vpc?: string }).vpc === obj.metadata.name);
 * ```
 */
export type HandlerLister<T extends StoredObject = StoredObject> = system.HandlerLister<T>;

/**
 * cache.ResourceEventHandlerFuncs: add, update, delete (with `tombstone` for
 * DeletedFinalStateUnknown).
 *
 * @example
 * ```ts
 * const onBackup: EventHandlers = {
 *   add: (ctx, o) => ctx.enqueue('backups', `${o.metadata.namespace}/${o.metadata.name}`),
 *   delete: (ctx, o, { tombstone }) => ctx.log(`deleted ${o.metadata.name}${tombstone ? ' (tombstone)' : ''}`),
 * };
 * ```
 */
export type EventHandlers<M = unknown> = system.EventHandlers<M>;

/**
 * A work queue: how many workers, the reconcile handler, optionally its rate limiter.
 *
 * @example
 * ```ts
 * const q: QueueDef = { workers: 2, reconcile: reconcileBackup, rateLimiter: { baseDelayMs: 5, maxDelayMs: 1000_000, bucketQps: 10, bucketBurst: 100 } };
 * ```
 */
export type QueueDef<M = unknown> = system.QueueDef<M>;

/**
 * A periodic task (`wait.Until`): period, first delay, body.
 *
 * @example
 * ```ts
 * const gc: PeriodicDef = { everyMs: 60_000, *run(ctx) { yield* ctx.log('gc'); } };
 * ```
 */
export type PeriodicDef<M = unknown> = system.PeriodicDef<M>;

/**
 * Rate limiter of a queue (client-go's default: 5 ms .. 1000 s per item, 10 qps / burst 100).
 *
 * @example
 * ```ts
 * const fast: RateLimiterConfig = { baseDelayMs: 5, maxDelayMs: 10_000, bucketQps: 0, bucketBurst: 0 };
 * ```
 */
export type RateLimiterConfig = workqueue.RateLimiterConfig;

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
 */
export type ExternalSystemDef<S = unknown> = system.ExternalSystemDef<S>;

/**
 * Define an external system, keeping the type of its state: `S` is inferred from `initial`
 * (or given) and every call is checked against it. Returns its argument.
 *
 * @example
 * ```ts
 * type Snapshots = Readonly<Record<string, { volume: string }>>;
 * export const snapshots = defineExternalSystem<Snapshots>({
 *   name: 'snapshots',
 *   initial: {},
 *   calls: {
 *     create: (s, a: { id: string; volume: string }) => ({ state: { ...s, [a.id]: { volume: a.volume } } }),
 *     delete: (s, a: { id: string }) => {
 *       if (!s[a.id]) throw new ExternalError(`snapshot ${a.id} not found`);
 *       const { [a.id]: _gone, ...rest } = s;
 *       return { state: rest };
 *     },
 *   },
 * });
 * ```
 */
export function defineExternalSystem<S>(def: ExternalSystemDef<S>): ExternalSystemDef<S> {
  return def;
}

/**
 * The outcome of an external call: the new state and an optional result for the handler.
 *
 * @example
 * ```ts
 * const get = (s: Snapshots, a: { id: string }): ExternalCallResult<Snapshots> => ({ state: s, result: s[a.id] });
 * ```
 */
export type ExternalCallResult<S> = system.ExternalCallResult<S>;

/**
 * An error an external call throws to the handler (like a cloud API's 404 or 409). Uncaught
 * in the handler, it requeues the item with rate limiting.
 *
 * @example
 * ```ts
 * calls: { delete: (s, a: { id: string }) => { if (!s[a.id]) throw new ExternalError(`snapshot ${a.id} not found`); return { state: s }; } }
 * ```
 */
export const ExternalError: typeof system.ExternalError = system.ExternalError;
export type ExternalError = system.ExternalError;

/**
 * A validating admission webhook: return a message to deny a write (403), undefined to allow.
 *
 * @example
 * ```ts
 * const noDeleteWhileUsed: AdmissionHook = (req: AdmissionRequest) =>
 *   req.verb === 'delete' && req.kind === 'Vpc' && (req.oldObject?.status as { subnets?: string[] })?.subnets?.length ? "can't delete vpc when any subnet in the vpc" : undefined;
 * ```
 */
export type AdmissionHook = system.AdmissionHook;

/**
 * A request as an admission webhook sees it: verb, kind, name, old and new object, actor (a
 * controller name or a scenario's user actor).
 *
 * @example
 * ```ts
 * const onlyAdminDeletes: AdmissionHook = (req: AdmissionRequest) =>
 *   req.verb === 'delete' && req.kind === 'Backup' && req.actor !== 'admin' ? 'only admin may delete backups' : undefined;
 * ```
 */
export type AdmissionRequest = system.AdmissionRequest;

/**
 * Everything the engine simulates: kinds, controllers, external systems, admission hooks and
 * which built-in actors run (garbage collector, namespace controller, kubelet; default all).
 *
 * @example
 * ```ts
 * const sys: SystemDef = { kinds: [BackupKind], controllers: [backupController], externals: [snapshots], systemActors: [] };
 * ```
 */
export type SystemDef = system.SystemDef;

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
 */
export type UserOp = system.UserOp;

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
 */
export type Scenario = system.Scenario;

/**
 * Faults the search may inject: controller restarts, watch disconnects, resyncs, transient
 * API errors (each a budget per execution).
 *
 * @example
 * ```ts
 * checkExhaustive(model, { engine: { faults: { restarts: 1 } } });
 * ```
 */
export type FaultBudget = system.FaultBudget;

/**
 * Engine options: seed (generateName), fault budgets, and limits that catch handlers that
 * never yield or never finish.
 *
 * @example
 * ```ts
 * const engine: EngineOptions = { faults: { apiErrors: 1 }, maxReconcileSteps: 200 };
 * ```
 */
export type EngineOptions = system.EngineOptions;

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
 */
export type ReconcileContext<M = unknown> = effects.ReconcileContext<M>;

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
 */
export type Client = effects.Client;

/**
 * A lister over the controller's informer cache: may be stale; `get` throws NotFound like a
 * Go lister.
 *
 * @example
 * ```ts
 * const backups: Lister<Backup> = ctx.lister<Backup>('Backup');
 * const all = yield* backups.list({ namespace: 'default' });
 * ```
 */
export type Lister<T extends StoredObject = StoredObject> = effects.Lister<T>;

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
 */
export type Reconciler<M = unknown> = effects.Reconciler<M>;

/**
 * A start-up or periodic task body: `(ctx) => Generator`; errors are logged.
 *
 * @example
 * ```ts
 * const initCache: Task<{ ready: boolean }> = function* (ctx) {
 *   yield* ctx.updateMemory(() => ({ ready: true }));
 * };
 * ```
 */
export type Task<M = unknown> = effects.Task<M>;

/**
 * What a reconcile handler returns: nothing, or a requeue request (controller-runtime's
 * `Result{Requeue, RequeueAfter}`).
 *
 * @example
 * ```ts
 * const later: ReconcileResult = { requeueAfterMs: 5_000 };
 * ```
 */
export type ReconcileResult = effects.ReconcileResult;

/**
 * An error a handler returns on purpose (Go's `return err`): the item is requeued with rate
 * limiting, and the message appears in the execution log.
 *
 * @example
 * ```ts
 * if (subnets.length > 0) throw new ReconcileError(`please delete subnet ${subnets[0]} first`);
 * ```
 */
export const ReconcileError: typeof effects.ReconcileError = effects.ReconcileError;
export type ReconcileError = effects.ReconcileError;

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
 */
export type Effect = effects.Effect;

/**
 * The `op` of an {@link Effect} (`'get'`, `'create'`, `'external'`, `'lock'`, ...).
 *
 * @example
 * ```ts
 * const writes: readonly EffectOp[] = ['create', 'update', 'updateStatus', 'patch', 'delete'];
 * ```
 */
export type EffectOp = effects.EffectOp;

// =============================================================================================
// Models and properties

/**
 * A model: a name, variants (configurations such as upstream versions or fix switches; the
 * first is the default), a function building the {@link SystemDef} of a variant, named
 * properties and scenarios, optionally a scenario generator for random search.
 *
 * @example
 * ```ts
 * const m: ModelDef<{ finalizerFirst: boolean }> = backupModel;
 * console.log(Object.keys(m.variants), m.properties.map((p) => p.name));
 * ```
 */
export type ModelDef<Config = unknown> = model.ModelDef<Config>;

/**
 * One variant of a model: a description and the configuration passed to `system`.
 *
 * @example
 * ```ts
 * const v2: VariantDef<{ finalizerFirst: boolean }> = { description: 'finalizer before the snapshot', config: { finalizerFirst: true } };
 * ```
 */
export type VariantDef<Config> = model.VariantDef<Config>;

/**
 * Define a model, keeping its configuration type. Returns its argument.
 *
 * @example
 * ```ts
 * export const backupModel = defineModel<{ finalizerFirst: boolean }>({
 *   name: 'backup',
 *   description: 'Backup CRs and their snapshots',
 *   variants: {
 *     v1: { description: 'snapshot, then finalizer', config: { finalizerFirst: false } },
 *     v2: { description: 'finalizer, then snapshot', config: { finalizerFirst: true } },
 *   },
 *   system: (c) => ({ kinds: [BackupKind], controllers: [backupController(c)], externals: [snapshots], systemActors: [] }),
 *   properties: [noOrphanSnapshot],
 *   scenarios: { 'create-then-delete': createThenDelete },
 * });
 * ```
 */
export const defineModel: typeof model.defineModel = model.defineModel;

/**
 * A named property: `always` (checked after every step), `atStable` (at every stable world)
 * or `sometimes` (a reachability goal, reported so that a passing check is not vacuous).
 *
 * @example
 * ```ts
 * const properties: readonly Property[] = [noOrphanSnapshot, deletedWhileReconciling];
 * ```
 */
export type Property = property.Property;

/**
 * The kind of a {@link Property}: `'always' | 'atStable' | 'sometimes'`.
 *
 * @example
 * ```ts
 * const safety = (p: Property) => p.kind !== ('sometimes' satisfies PropertyKind);
 * ```
 */
export type PropertyKind = property.PropertyKind;

/**
 * The check of a property, over a {@link WorldView}: `true` or `undefined` when it holds (for
 * `sometimes`: `true` when reached), `false` or a message explaining the violation.
 *
 * @example
 * ```ts
 * const noTerminating: PropertyCheck = (v) => v.list('Backup').every((b) => !b.metadata.deletionTimestamp) || 'a Backup is stuck terminating';
 * ```
 */
export type PropertyCheck = property.PropertyCheck;

/**
 * An invariant checked after every step (including intermediate states).
 *
 * @example
 * ```ts
 * export const atMostOneSnapshot = always('at-most-one-snapshot', (v) =>
 *   Object.keys(v.external<Snapshots>('snapshots')).length <= 1 || 'two snapshots at once',
 * );
 * ```
 */
export const always: typeof property.always = property.always;

/**
 * An invariant checked at stable worlds: nothing left to do but retries that make no
 * progress. The right kind for "eventually cleaned up" and "nothing stuck".
 *
 * @example
 * ```ts
 * export const noOrphanSnapshot = atStable('no-orphan-snapshot', (v) => {
 *   const orphans = Object.keys(v.external<Snapshots>('snapshots')).filter((id) => {
 *     const [namespace, name] = id.split('/');
 *     return !v.get('Backup', namespace, name);
 *   });
 *   return orphans.length === 0 || `snapshot ${orphans.join(', ')} outlives its Backup`;
 * });
 * ```
 */
export const atStable: typeof property.atStable = property.atStable;

/**
 * A goal some execution should reach (never a failure): reports show whether the search got
 * there, so a passing check is shown not to be vacuous.
 *
 * @example
 * ```ts
 * export const deletedWhileReconciling = sometimes('deleted-while-reconciling', (v) =>
 *   !v.get('Backup', 'default', 'db') && v.inflight('backup-controller').length > 0,
 * );
 * ```
 */
export const sometimes: typeof property.sometimes = property.sometimes;

/**
 * Read-only view of a world for properties: stored objects (`get`, `list`), a controller's
 * memory and informer cache, external systems' state, in-flight handlers, the clock.
 *
 * @example
 * ```ts
 * const noLeak: PropertyCheck = (v: WorldView) => {
 *   const rules = v.external<Record<string, string>>('cloud');
 *   return Object.values(rules).every((owner) => v.get('FirewallRule', 'default', owner)) || 'a cloud rule outlives its object';
 * };
 * ```
 */
export const WorldView: typeof view.WorldView = view.WorldView;
export type WorldView = view.WorldView;

/**
 * The whole simulated world (API state, controllers, externals, clock), as
 * {@link WorldView.world} exposes it.
 *
 * @example
 * ```ts
 * const objects = (v: WorldView) => Object.keys(v.world.api.objects).length;
 * ```
 */
export type World = world.World;

/**
 * A handler paused at a scheduling point, as {@link WorldView.inflight} lists them: controller,
 * queue or task, key, handler name, pending effect.
 *
 * @example
 * ```ts
 * const busy = (v: WorldView) => v.inflight().map((f: Inflight) => `${f.handler}(${f.key}) at ${f.pending.op}`);
 * ```
 */
export type Inflight = world.Inflight;

/**
 * Bad input from a user (unknown variant, scenario or property name): a one-line message.
 *
 * @example
 * ```ts
 * expect(() => checkRandom(backupModel, { variant: 'v9' })).toThrow(UsageError);
 * ```
 */
export const UsageError: typeof model.UsageError = model.UsageError;
export type UsageError = model.UsageError;

// =============================================================================================
// Checking

/**
 * Options shared by every check: the variant (default: the model's first), extra engine
 * options merged over the model's, and which properties to check (default all).
 *
 * @example
 * ```ts
 * const opts: TargetOptions = { variant: 'v2', engine: { faults: { restarts: 1 } }, properties: ['no-orphan-snapshot'] };
 * ```
 */
export type TargetOptions = checkContext.TargetOptions;

/**
 * Random search driven by fast-check: random scenarios (the model's generator, or a fixed
 * one) and random schedules; a violation is shrunk by fast-check, then minimised step by
 * step. Deterministic for a given `seed`.
 *
 * @example
 * ```ts
 * const report = checkRandom(backupModel, { variant: 'v1', numRuns: 300, seed: 1 });
 * if (report.result === 'violated') console.log(describeTrace(report.counterexample!));
 * ```
 */
export const checkRandom: typeof random.checkRandom = random.checkRandom;

/**
 * Options of {@link checkRandom}: numRuns (default 200), seed, maxSteps of the random
 * schedule, a fixed scenario (object or name), shard, fast-check examples.
 *
 * @example
 * ```ts
 * const opts: RandomOptions = { variant: 'v1', scenario: 'create-then-delete', numRuns: 500, seed: 42 };
 * ```
 */
export type RandomOptions = random.RandomOptions;

/**
 * Exhaustive bounded search over every interleaving of a fixed scenario (depth-first with
 * sleep-set partial-order reduction; `shortest` for breadth-first). `stats.complete` says
 * whether the whole state space was explored (a proof for that scenario and its bounds).
 *
 * @example
 * ```ts
 * const report = checkExhaustive(backupModel, { variant: 'v2', scenario: 'create-then-delete' });
 * console.log(report.result, report.stats.states, report.stats.complete);
 * ```
 */
export const checkExhaustive: typeof exhaustive.checkExhaustive = exhaustive.checkExhaustive;

/**
 * Options of {@link checkExhaustive}: scenario, maxDepth (400), maxStates (2,000,000),
 * maxTimeMs, por, shortest, shard, stopAtFirst, clock (`idle` or `any`), onProgress.
 *
 * @example
 * ```ts
 * const opts: ExhaustiveOptions = { variant: 'v2', scenario: 'create-then-delete', shortest: true, maxStates: 100_000 };
 * ```
 */
export type ExhaustiveOptions = exhaustive.ExhaustiveOptions;

/**
 * The result of a check: `holds` or `violated` (with the violation and a counterexample
 * trace), statistics, and which `sometimes` goals were reached.
 *
 * @example
 * ```ts
 * const r: CheckReport = checkExhaustive(backupModel, { variant: 'v2' });
 * if (r.result === 'holds' && !r.stats.complete) console.warn('bounded: not a proof');
 * ```
 */
export type CheckReport = random.CheckReport;

/**
 * A violated property (or an engine-detected failure, kind `engine`: a handler that threw
 * something other than an API error, a deadlock, a budget exceeded), and the step after
 * which it was seen.
 *
 * @example
 * ```ts
 * const v: Violation | undefined = report.violation;
 * if (v) console.log(`${v.property} (${v.kind}) after step ${v.step}: ${v.message}`);
 * ```
 */
export type Violation = execute.Violation;

/**
 * A fast-check property over a model's scenarios and schedules, for `fc.assert` or
 * `@fast-check/vitest`'s `test.prop`. A failure is a {@link CounterexampleError}: the
 * property, the minimised steps and the trace file written to `.kuberace/`.
 *
 * @example
 * ```ts
 * import * as fc from 'fast-check';
 * test('v2 never leaks a snapshot', () => {
 *   const p = kuberaceProperty(backupModel, { variant: 'v2' });
 *   fc.assert(p, { ...p.parameters, numRuns: 300 });
 * });
 * ```
 */
export const kuberaceProperty: typeof vitest.kuberaceProperty = vitest.kuberaceProperty;

/**
 * The property {@link kuberaceProperty} returns, with `arbitraries`, `predicate` and
 * `parameters` for runners such as `test.prop`.
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * const p: KuberaceProperty = kuberaceProperty(backupModel, { variant: 'v2' });
 * test.prop(p.arbitraries, p.parameters)('v2 holds', p.predicate);
 * ```
 */
export type KuberaceProperty = vitest.KuberaceProperty;

/**
 * Options of {@link kuberaceProperty}: variant, engine, properties, scenario, maxSteps, the
 * trace directory (`dir`, default `.kuberace`; false writes none), noMinimize.
 *
 * @example
 * ```ts
 * const opts: KuberacePropertyOptions = { variant: 'v2', scenario: 'create-then-delete', dir: 'test/counterexamples/new' };
 * ```
 */
export type KuberacePropertyOptions = vitest.KuberacePropertyOptions;

/**
 * A fast-check reporter that finalises a {@link CounterexampleError} (minimised, trace file
 * written) and throws it as it is. {@link kuberaceProperty}'s `parameters` already use it.
 *
 * @example
 * ```ts
 * fc.assert(p, { reporter: kuberaceReporter, numRuns: 100 });
 * ```
 */
export const kuberaceReporter: typeof vitest.kuberaceReporter = vitest.kuberaceReporter;

/**
 * A property violated, as a test failure: the message names the property and its message,
 * lists the minimised steps and ends with the trace file to replay; `trace` holds the
 * counterexample.
 *
 * @example
 * ```ts
 * try {
 *   expectHolds(checkRandom(backupModel, { variant: 'v1', seed: 1 }));
 * } catch (e) {
 *   if (e instanceof CounterexampleError) console.log(e.trace.violation.property, e.file);
 * }
 * ```
 */
export const CounterexampleError: typeof vitest.CounterexampleError = vitest.CounterexampleError;
export type CounterexampleError = vitest.CounterexampleError;

/**
 * Throw a readable error unless a report holds: a {@link CounterexampleError} (trace file
 * written to `.kuberace/`) for a violation; with `complete: true` also when an exhaustive
 * search was cut short; with `reached` when `sometimes` goals were not reached.
 *
 * @example
 * ```ts
 * test('v2 is proven for create-then-delete', () => {
 *   expectHolds(checkExhaustive(backupModel, { variant: 'v2' }), { complete: true, reached: 'all' });
 * });
 * ```
 */
export const expectHolds: typeof vitest.expectHolds = vitest.expectHolds;

/**
 * Options of {@link expectHolds}: `dir` for the trace file, `complete`, `reached`.
 *
 * @example
 * ```ts
 * const strict: ExpectHoldsOptions = { complete: true, reached: ['deleted-while-reconciling'], dir: false };
 * ```
 */
export type ExpectHoldsOptions = vitest.ExpectHoldsOptions;

/**
 * Write a counterexample as `<dir>/<model>-<variant>-<property>-<hash>.json` (the name is
 * stable for the same counterexample) and return the path.
 *
 * @example
 * ```ts
 * const file = writeCounterexample(report.counterexample!, 'test/counterexamples');
 * ```
 */
export const writeCounterexample: typeof vitest.writeCounterexample = vitest.writeCounterexample;

// =============================================================================================
// Counterexample files and replay

/**
 * A counterexample file (`kuberace-trace/1`): model, variant, engine options, scenario, the
 * action ids executed after setup, the violation, and how it was found. Plain JSON; commit it
 * and replay it in CI.
 *
 * @example
 * ```ts
 * const trace: TraceFile = report.counterexample!;
 * console.log(trace.steps.length, trace.violation.property);
 * ```
 */
export type TraceFile = traceFormat.TraceFile;

/**
 * The format tag of trace files this version reads and writes (`'kuberace-trace/1'`).
 *
 * @example
 * ```ts
 * if (JSON.parse(text).format !== TRACE_FORMAT) throw new Error('not a kuberace trace');
 * ```
 */
export const TRACE_FORMAT: typeof traceFormat.TRACE_FORMAT = traceFormat.TRACE_FORMAT;

/**
 * A malformed or unsupported trace file (one-line message naming the file).
 *
 * @example
 * ```ts
 * expect(() => readTraceFile('missing.json')).toThrow(TraceFormatError);
 * ```
 */
export const TraceFormatError: typeof traceFormat.TraceFormatError = traceFormat.TraceFormatError;
export type TraceFormatError = traceFormat.TraceFormatError;

/**
 * Parse and validate a trace file's text.
 *
 * @example
 * ```ts
 * const trace = parseTrace(await fs.readFile('cx.json', 'utf8'), 'cx.json');
 * ```
 */
export const parseTrace: typeof traceFormat.parseTrace = traceFormat.parseTrace;

/**
 * Serialise a trace (two-space JSON, trailing newline).
 *
 * @example
 * ```ts
 * fs.writeFileSync('cx.json', formatTrace(report.counterexample!));
 * ```
 */
export const formatTrace: typeof traceFormat.formatTrace = traceFormat.formatTrace;

/**
 * A counterexample for people: the violated property and message, the numbered steps, and
 * (given `file`) the replay command.
 *
 * @example
 * ```ts
 * console.log(describeTrace(report.counterexample!, { maxSteps: 40 }));
 * ```
 */
export const describeTrace: typeof traceFormat.describeTrace = traceFormat.describeTrace;

/**
 * Options of {@link describeTrace}: `file`, `replayCommand`, `maxSteps`.
 *
 * @example
 * ```ts
 * const opts: DescribeOptions = { file: 'test/counterexamples/backup-v1.json', maxSteps: 20 };
 * ```
 */
export type DescribeOptions = traceFormat.DescribeOptions;

/**
 * Read and validate a trace file; every problem is a {@link TraceFormatError}.
 *
 * @example
 * ```ts
 * const trace = readTraceFile('test/counterexamples/backup-v1.json');
 * ```
 */
export const readTraceFile: typeof traceReplay.readTraceFile = traceReplay.readTraceFile;

/**
 * Write a trace file (creating its directory); the file appears whole or not at all.
 *
 * @example
 * ```ts
 * writeTraceFile('test/counterexamples/backup-v1.json', report.counterexample!);
 * ```
 */
export const writeTraceFile: typeof traceReplay.writeTraceFile = traceReplay.writeTraceFile;

/**
 * Replay a trace against models known by name: re-execute its steps and say whether the same
 * property is violated at the same step (`reproduced`). Against the recorded variant replay
 * is strict (a step that is no longer enabled throws {@link ModelChangedError}); against
 * another variant (`{ variant: 'fixed' }`) it skips such steps, and `holds` means the fix
 * survives the schedule that broke the old version.
 *
 * @example
 * ```ts
 * const trace = readTraceFile('test/counterexamples/backup-v1.json');
 * expect(replayTrace(trace, { backup: backupModel }).status).toBe('reproduced');
 * expect(replayTrace(trace, { backup: backupModel }, { variant: 'v2' }).status).toBe('holds');
 * ```
 */
export const replayTrace: typeof traceReplay.replayTrace = traceReplay.replayTrace;

/**
 * Options of {@link replayTrace}: `variant` to replay against, `strict`.
 *
 * @example
 * ```ts
 * const opts: ReplayOptions = { variant: 'v2', strict: false };
 * ```
 */
export type ReplayOptions = traceReplay.ReplayOptions;

/**
 * What a replay found: status (`reproduced`, `different-violation`, `holds`,
 * `no-stable-state`), the violation, the steps executed and skipped, and the execution log.
 *
 * @example
 * ```ts
 * const r: ReplayResult = replayTrace(trace, { backup: backupModel });
 * for (const e of r.log) console.log(e.step, e.id, e.notes.join('; '));
 * ```
 */
export type ReplayResult = traceReplay.ReplayResult;

/**
 * The status of a {@link ReplayResult}.
 *
 * @example
 * ```ts
 * const ok = (s: ReplayStatus) => s === 'reproduced';
 * ```
 */
export type ReplayStatus = traceReplay.ReplayStatus;

/**
 * One line saying what a replay found.
 *
 * @example
 * ```ts
 * console.log(describeReplay(replayTrace(trace, { backup: backupModel }, { variant: 'v2' })));
 * // backup/v2 (recorded on v1): holds: no-orphan-snapshot is no longer violated (...)
 * ```
 */
export const describeReplay: typeof traceReplay.describeReplay = traceReplay.describeReplay;

/**
 * A strict replay found a recorded step that is no longer enabled: the model changed since
 * the trace was written ("model changed at step N: expected ..., enabled now ...").
 *
 * @example
 * ```ts
 * expect(() => replayTrace(trace, models, { variant: 'v2', strict: true })).toThrow(ModelChangedError);
 * ```
 */
export const ModelChangedError: typeof execute.ModelChangedError = execute.ModelChangedError;
export type ModelChangedError = execute.ModelChangedError;

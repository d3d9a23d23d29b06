/**
 * Object shapes of the simulated API server. They follow the Kubernetes wire shapes
 * (apiVersion, kind, metadata, spec, status) so that types from @kubernetes/client-node
 * or a controller's own CRD types can be used directly.
 */

/**
 * An owner reference (metav1.OwnerReference); the simulated garbage collector follows them.
 *
 * @example
 * ```ts
 * const ref: OwnerReference = { apiVersion: 'example.com/v1', kind: 'Backup', name: 'db', uid: backup.metadata.uid, controller: true };
 * ```
 *
 * @category Objects
 */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/**
 * Object metadata (metav1.ObjectMeta) as sent, the subset the simulation gives meaning to:
 * name or generateName, namespace, labels, annotations, finalizers, ownerReferences, and the
 * server-owned fields the server fills in. Timestamps are RFC 3339 strings; `Date` is in the
 * type only so that client-node's `V1ObjectMeta` fits (the simulated server speaks JSON and
 * rejects a `Date` with 400).
 *
 * @example
 * ```ts
 * const meta: ObjectMeta = { name: 'db', namespace: 'default', labels: { app: 'pg' }, finalizers: ['example.com/snapshot'] };
 * ```
 *
 * @category Objects
 */
export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  /**
   * Set by the server (an RFC 3339 string). `Date` is in the type only so that client-node's
   * V1ObjectMeta fits; the simulated server speaks JSON and rejects a Date value (400).
   */
  readonly creationTimestamp?: string | Date;
  /** Set by the server when deletion starts; `Date` as for creationTimestamp. */
  readonly deletionTimestamp?: string | Date;
  readonly deletionGracePeriodSeconds?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly finalizers?: readonly string[];
  readonly ownerReferences?: readonly OwnerReference[];
}

/**
 * The common fields of {@link KubeObject} (apiVersion, kind, metadata, spec, status) without
 * other top-level fields: the interface to extend for an object type of your own. All are
 * optional as in @kubernetes/client-node (its V1Pod, V1ConfigMap, ... and a CRD's generated
 * types are assignable); the server requires apiVersion, kind and metadata.name (or
 * generateName) and answers 400/422 without them.
 *
 * @example
 * ```ts
 * interface Backup extends KubeObjectFields<{ volume: string }, { snapshot?: string }> {}
 * ```
 *
 * @category Objects
 */
export interface KubeObjectFields<Spec = unknown, Status = unknown> {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: Spec;
  readonly status?: Status;
}

/**
 * Any Kubernetes object as sent to the server: `apiVersion`, `kind`, `metadata`, `spec`,
 * `status`, plus any other top-level fields (a ConfigMap's `data`, a Secret's `type`). Every
 * field is optional, as in @kubernetes/client-node, so its `V1Pod`, `V1ConfigMap`, ... and a
 * CRD's generated types are assignable without casts. The server answers 400/422 when
 * apiVersion, kind or a name is missing.
 *
 * The union keeps both kinds of value assignable: interface and class types without an index
 * signature (client-node's V1Pod) fit the first member, object literals with extra fields the
 * second.
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
 *
 * @category Objects
 */
export type KubeObject<Spec = unknown, Status = unknown> =
  | KubeObjectFields<Spec, Status>
  | (KubeObjectFields<Spec, Status> & { readonly [field: string]: unknown });

/**
 * The metadata of a {@link StoredObject}: every server-owned field is filled in and the
 * timestamps (creationTimestamp, and deletionTimestamp once deletion has started) are strings.
 *
 * @example
 * ```ts
 * const terminating = (m: StoredMeta) => m.deletionTimestamp !== undefined;
 * ```
 *
 * @category Objects
 */
export interface StoredMeta extends ObjectMeta {
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  readonly deletionTimestamp?: string;
  readonly generation: number;
}

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
 *
 * @category Objects
 */
export interface StoredObject<Spec = unknown, Status = unknown> extends KubeObjectFields<Spec, Status> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: StoredMeta;
  readonly [field: string]: unknown;
}

/**
 * The registration of a kind with the simulated API server (a CRD, or a built-in's scheme
 * entry): apiVersion, kind, namespaced, status subresource, custom.
 *
 * @example
 * ```ts
 * const kinds: readonly KindDef[] = [BackupKind, PodKind];
 * ```
 *
 * @category Kinds
 */
export interface KindDef {
  /** e.g. `kubeovn.io/v1`, `v1`. */
  readonly apiVersion: string;
  /** e.g. `Subnet`. Kind names are unique within one simulated cluster. */
  readonly kind: string;
  readonly namespaced: boolean;
  /** With a status subresource, main-endpoint writes ignore .status and status does not bump generation (M6, U6). */
  readonly statusSubresource: boolean;
  /** Custom resources: update without resourceVersion is rejected (U3), generation starts at 1 (M6). */
  readonly custom: boolean;
  /**
   * Lowercase plural resource name (e.g. `network-attachment-definitions`). Optional: derived
   * from the kind by the usual English rule when absent (`Subnet` -> `subnets`, `Policy` -> `policies`).
   */
  readonly plural?: string;
  /**
   * Whether the server maintains metadata.generation (M6). Defaults to `custom`: custom resources
   * start at 1 and count spec changes; the modelled built-ins (Pod, ConfigMap, Namespace) keep 0.
   */
  readonly tracksGeneration?: boolean;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One watch event as an informer receives it (W1). */
export interface WatchEvent {
  readonly type: WatchEventType;
  readonly object: StoredObject;
  /** The resourceVersion the event is stamped with (for DELETED: the deletion's RV, D6). */
  readonly resourceVersion: string;
}

/**
 * The reasons an {@link ApiError} can carry (the HTTP status reasons the model produces):
 * NotFound, AlreadyExists, Conflict, Invalid, Forbidden, BadRequest, InternalError,
 * TooManyRequests.
 *
 * @example
 * ```ts
 * const retryable = (r: StatusReason) => r === 'Conflict' || r === 'TooManyRequests';
 * ```
 *
 * @category Errors
 */
export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'Forbidden'
  | 'BadRequest'
  | 'InternalError'
  | 'TooManyRequests';

/** Immutable state of the simulated API server. Plain data: snapshot = keep the reference. */
export interface ApiState {
  /** Last resourceVersion handed out (M4): one cluster-wide counter. */
  readonly rv: number;
  /** Counter behind generated uids. */
  readonly uidCounter: number;
  /** Stored objects by {@link objectKey}. */
  readonly objects: Readonly<Record<string, StoredObject>>;
  /** Registered kinds by kind name. */
  readonly kinds: Readonly<Record<string, KindDef>>;
  /** Opt-in server behaviours. */
  readonly options: ApiOptions;
}

/**
 * Opt-in server behaviours of a {@link SystemDef} (e.g. `deleteRacesFinalizerAdd`, the delete
 * that races a finalizer add of kubernetes#77988).
 *
 * @example
 * ```ts
 * const sys: SystemDef = { kinds: [BackupKind], controllers: [backupController], apiOptions: { deleteRacesFinalizerAdd: true } };
 * ```
 *
 * @category Objects
 */
export interface ApiOptions {
  /** D10: a delete may race a concurrent finalizer add (kubernetes#77988). Off by default. */
  readonly deleteRacesFinalizerAdd?: boolean;
}

/** What every mutating call needs from the world: the time and the seeded random source. */
export interface ApiEnv {
  /** Simulation clock, milliseconds since the simulation epoch. */
  readonly now: number;
  /** Seeded random integer in [0, n). Used only for generateName (M2). */
  readonly randomInt: (n: number) => number;
}

/**
 * Options of a delete: preconditions, propagation policy, grace period.
 *
 * @example
 * ```ts
 * yield* ctx.client.delete('Backup', 'default', 'db', { preconditions: { uid: backup.metadata.uid } });
 * ```
 *
 * @category Objects
 */
export interface DeleteOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly gracePeriodSeconds?: number;
}

/**
 * Options of a list: namespace and an equality-based label selector (`a=b,c!=d,e,!f`).
 *
 * @example
 * ```ts
 * const mine = yield* ctx.lister('ConfigMap').list({ namespace: 'default', labelSelector: 'app=pg' });
 * ```
 *
 * @category Objects
 */
export interface ListOptions {
  readonly namespace?: string;
  /** Equality-based label selector: `a=b,c!=d,e,!f`. */
  readonly labelSelector?: string;
}

/** The outcome of one API call: the new state, the result and the watch events it emitted. */
export interface ApiResult<T> {
  readonly state: ApiState;
  readonly result: T;
  readonly events: readonly WatchEvent[];
}

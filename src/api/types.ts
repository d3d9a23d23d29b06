/**
 * Object shapes of the simulated API server. They follow the Kubernetes wire shapes
 * (apiVersion, kind, metadata, spec, status) so that types from @kubernetes/client-node
 * or a controller's own CRD types can be used directly.
 */

/** An owner reference (metav1.OwnerReference). */
export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
  readonly blockOwnerDeletion?: boolean;
}

/** Object metadata (metav1.ObjectMeta), the subset the simulation gives meaning to. */
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
 * The fields every Kubernetes object has, all optional as in @kubernetes/client-node (its
 * V1Pod, V1ConfigMap, ... and a CRD's generated types are assignable). The server requires
 * apiVersion, kind and metadata.name (or generateName) and answers 400/422 without them.
 */
export interface KubeObjectFields<Spec = unknown, Status = unknown> {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: Spec;
  readonly status?: Status;
}

/**
 * Any Kubernetes object as sent to the server: the common fields, plus any other top-level
 * fields (a ConfigMap's `data`, a Secret's `type`). The union keeps both kinds of value
 * assignable: interface and class types without an index signature (client-node's V1Pod)
 * fit the first member, object literals with extra fields the second.
 */
export type KubeObject<Spec = unknown, Status = unknown> =
  | KubeObjectFields<Spec, Status>
  | (KubeObjectFields<Spec, Status> & { readonly [field: string]: unknown });

/** Metadata of a stored object: every server-owned field is filled in, timestamps are strings. */
export interface StoredMeta extends ObjectMeta {
  readonly name: string;
  readonly uid: string;
  readonly resourceVersion: string;
  readonly creationTimestamp: string;
  readonly deletionTimestamp?: string;
  readonly generation: number;
}

/** A stored object: the server has filled in every server-owned field. Other top-level fields read as `unknown`. */
export interface StoredObject<Spec = unknown, Status = unknown> extends KubeObjectFields<Spec, Status> {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: StoredMeta;
  readonly [field: string]: unknown;
}

/** Registration of a kind with the API server (like a CRD, or a built-in's scheme entry). */
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

/** HTTP status reasons the model produces. */
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

export interface DeleteOptions {
  readonly preconditions?: { readonly uid?: string; readonly resourceVersion?: string };
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly gracePeriodSeconds?: number;
}

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

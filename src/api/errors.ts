/**
 * API errors with the HTTP code, reason and message text of the real kube-apiserver
 * (k8s.io/apimachinery/pkg/api/errors). Every failing call of the model throws an {@link ApiError};
 * bad input never surfaces as a TypeError.
 */
import type { StatusReason } from './types.ts';

export interface ApiErrorInit {
  readonly code: number;
  readonly reason: StatusReason;
  readonly message: string;
  /** The Kind the request was about (e.g. `Subnet`), when known. */
  readonly kind?: string;
  /** The object name the request was about, when known. */
  readonly objectName?: string;
  /** The qualified resource (e.g. `subnets.kubeovn.io`, `pods`), when known. */
  readonly resource?: string;
  /** Field-level causes for 422 Invalid, e.g. `metadata.finalizers: Forbidden: ...`. */
  readonly causes?: readonly string[];
}

/**
 * An error status of the simulated API server, with the HTTP code, reason and message text of
 * the real kube-apiserver. Client calls and lister gets throw it; a handler that lets it escape
 * has returned an error (the item is requeued with rate limiting).
 *
 * Note: `Error.prototype.name` is reserved by JavaScript (and a subclass cannot make it optional
 * in strict TypeScript), so `name` stays `"ApiError"`; the object's name is in
 * {@link ApiError.objectName}.
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
 *
 * @category Errors
 */
export class ApiError extends Error {
  readonly code: number;
  readonly reason: StatusReason;
  readonly kind?: string;
  readonly objectName?: string;
  readonly resource?: string;
  readonly causes: readonly string[];

  constructor(init: ApiErrorInit) {
    // An API error is a status value the simulated server returns, thrown in hot loops (a lister
    // miss on every reconcile): capturing a JS stack trace would cost more than the whole call.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(init.message);
    Error.stackTraceLimit = limit;
    this.code = init.code;
    this.reason = init.reason;
    if (init.kind !== undefined) this.kind = init.kind;
    if (init.objectName !== undefined) this.objectName = init.objectName;
    if (init.resource !== undefined) this.resource = init.resource;
    this.causes = init.causes ?? [];
  }
}
Object.defineProperty(ApiError.prototype, 'name', { value: 'ApiError', writable: true, configurable: true });

function hasReason(e: unknown, reason: StatusReason): boolean {
  return e instanceof ApiError && e.reason === reason;
}

/**
 * Whether `e` is an {@link ApiError}.
 *
 * @example
 * ```ts
 * if (isApiError(e)) yield* ctx.log(`API error ${e.code} ${e.reason}`);
 * ```
 *
 * @category Errors
 */
export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;
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
 *
 * @category Errors
 */
export const isNotFound = (e: unknown): e is ApiError => hasReason(e, 'NotFound');
/**
 * 409 Conflict (`k8serrors.IsConflict`): a write with a stale resourceVersion.
 *
 * @example
 * ```ts
 * try { yield* ctx.client.update(withFinalizer); } catch (e) { if (isConflict(e)) return { requeue: true }; throw e; }
 * ```
 *
 * @category Errors
 */
export const isConflict = (e: unknown): e is ApiError => hasReason(e, 'Conflict');
/**
 * 409 AlreadyExists (`k8serrors.IsAlreadyExists`).
 *
 * @example
 * ```ts
 * try { yield* ctx.client.create(child); } catch (e) { if (!isAlreadyExists(e)) throw e; }
 * ```
 *
 * @category Errors
 */
export const isAlreadyExists = (e: unknown): e is ApiError => hasReason(e, 'AlreadyExists');
/**
 * 422 Invalid, e.g. a finalizer added to an object that is being deleted.
 *
 * @example
 * ```ts
 * try { yield* ctx.client.update(obj); } catch (e) { if (isInvalid(e)) yield* ctx.log(e.message); else throw e; }
 * ```
 *
 * @category Errors
 */
export const isInvalid = (e: unknown): e is ApiError => hasReason(e, 'Invalid');
/**
 * 403 Forbidden, e.g. a create in a terminating namespace or a write an admission hook denied.
 *
 * @example
 * ```ts
 * try { yield* ctx.client.create(obj); } catch (e) { if (!isForbidden(e)) throw e; }
 * ```
 *
 * @category Errors
 */
export const isForbidden = (e: unknown): e is ApiError => hasReason(e, 'Forbidden');
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
 *
 * @category Errors
 */
export const isBadRequest = (e: unknown): e is ApiError => hasReason(e, 'BadRequest');

/** Who an error is about: `resource` is the qualified resource (`ips.kubeovn.io`), `kind` the Kind. */
export interface ErrorTarget {
  readonly resource: string;
  readonly kind?: string;
}

/** 404: `subnets.kubeovn.io "s1" not found`. */
export function notFound(target: ErrorTarget, name: string): ApiError {
  return new ApiError({
    code: 404,
    reason: 'NotFound',
    message: `${target.resource} "${name}" not found`,
    kind: target.kind,
    objectName: name,
    resource: target.resource,
  });
}

/** 404 for an unregistered kind: `the server doesn't have a resource type "x"`. */
export function unknownKind(kind: string): ApiError {
  return new ApiError({
    code: 404,
    reason: 'NotFound',
    message: `the server doesn't have a resource type "${kind}"`,
    kind,
  });
}

/** 404 for a subresource the kind does not serve (e.g. /status on a ConfigMap). */
export function subresourceNotFound(target: ErrorTarget, name: string, subresource: string): ApiError {
  return new ApiError({
    code: 404,
    reason: 'NotFound',
    message: `the server could not find the requested resource (${target.resource} ${name}/${subresource})`,
    kind: target.kind,
    objectName: name,
    resource: target.resource,
  });
}

/** 409: `ips.kubeovn.io "p1.ns" already exists` (prefixed while the old object is terminating, C1). */
export function alreadyExists(target: ErrorTarget, name: string, beingDeleted = false): ApiError {
  const prefix = beingDeleted ? 'object is being deleted: ' : '';
  return new ApiError({
    code: 409,
    reason: 'AlreadyExists',
    message: `${prefix}${target.resource} "${name}" already exists`,
    kind: target.kind,
    objectName: name,
    resource: target.resource,
  });
}

/** The optimistic-lock text of storage conflicts (U2). */
export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

/** 409: `Operation cannot be fulfilled on ips.kubeovn.io "x": <detail>`. */
export function conflict(target: ErrorTarget, name: string, detail: string = OPTIMISTIC_LOCK_MESSAGE): ApiError {
  return new ApiError({
    code: 409,
    reason: 'Conflict',
    message: `Operation cannot be fulfilled on ${target.resource} "${name}": ${detail}`,
    kind: target.kind,
    objectName: name,
    resource: target.resource,
  });
}

/**
 * 422: `Subnet.kubeovn.io "x" is invalid: metadata.finalizers: Forbidden: ...`. Like the real
 * server, the subject is `Kind.group` (just `Kind` for the core group); several causes are
 * joined as `[a, b]`.
 */
export function invalid(qualifiedKind: string, name: string, causes: readonly string[], kind?: string): ApiError {
  const detail = causes.length === 1 ? causes[0] : `[${causes.join(', ')}]`;
  return new ApiError({
    code: 422,
    reason: 'Invalid',
    message: `${qualifiedKind} "${name}" is invalid: ${detail}`,
    kind,
    objectName: name,
    causes,
  });
}

/** 403: `pods "p" is forbidden: <detail>`. */
export function forbidden(target: ErrorTarget, name: string, detail: string): ApiError {
  return new ApiError({
    code: 403,
    reason: 'Forbidden',
    message: name ? `${target.resource} "${name}" is forbidden: ${detail}` : `${target.resource} is forbidden: ${detail}`,
    kind: target.kind,
    objectName: name,
    resource: target.resource,
  });
}

/** 400 with a free-form message (malformed request body, patch, selector or arguments). */
export function badRequest(message: string, extra: Partial<Omit<ApiErrorInit, 'message' | 'code' | 'reason'>> = {}): ApiError {
  return new ApiError({ ...extra, code: 400, reason: 'BadRequest', message });
}

/** 500: an impossible state inside the model (should never be seen). */
export function internalError(message: string): ApiError {
  return new ApiError({ code: 500, reason: 'InternalError', message: `Internal error occurred: ${message}` });
}

/**
 * Delete (D1–D10): preconditions, propagation-policy finalizers, finalizers and
 * deletionTimestamp (with the generation bump, M7), pods' graceful deletion (D9), namespaces
 * (N1), and the kubernetes#77988 race behind ApiOptions.deleteRacesFinalizerAdd (D10).
 */
import { badRequest, conflict, invalid, notFound } from './errors.ts';
import { isPlainObject, jsonEqual, type JsonObject } from './json.ts';
import { objectKey, parseTimestamp, timestamp } from './keys.ts';
import { isNamespaceKind, isPodKind } from './kinds.ts';
import { kindDef, targetOf, freezeDraft, draftOf, namespaceSpecFinalizers, nameArg, namespaceArg, event, writeModified, removeObject, result } from './store.ts';
import type { ApiEnv, ApiResult, ApiState, DeleteOptions, KindDef, StoredObject, WatchEvent } from './types.ts';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from './validation.ts';

interface DeleteOpts {
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  readonly gracePeriodSeconds?: number;
}

function checkDeleteOptions(opts: unknown): DeleteOpts {
  if (opts === undefined || opts === null) return {};
  if (!isPlainObject(opts)) throw badRequest('delete options must be an object');
  const o = opts as DeleteOptions;
  const out: { -readonly [K in keyof DeleteOpts]: DeleteOpts[K] } = {};
  if (o.preconditions !== undefined && o.preconditions !== null) {
    if (!isPlainObject(o.preconditions)) throw badRequest('delete options: preconditions must be an object');
    for (const f of ['uid', 'resourceVersion'] as const) {
      const v = o.preconditions[f];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'string') throw badRequest(`delete options: preconditions.${f} must be a string`);
      out[f] = v;
    }
  }
  if (o.propagationPolicy !== undefined && o.propagationPolicy !== null) {
    if (!['Orphan', 'Background', 'Foreground'].includes(o.propagationPolicy as string)) {
      throw invalid('DeleteOptions.meta.k8s.io', '', [
        `propagationPolicy: Unsupported value: ${JSON.stringify(o.propagationPolicy)}: supported values: "Foreground", "Background", "Orphan"`,
      ]);
    }
    out.propagationPolicy = o.propagationPolicy;
  }
  if (o.gracePeriodSeconds !== undefined && o.gracePeriodSeconds !== null) {
    const g = o.gracePeriodSeconds;
    if (typeof g !== 'number' || !Number.isInteger(g)) throw badRequest('delete options: gracePeriodSeconds must be an integer');
    out.gracePeriodSeconds = g < 0 ? 1 : g; // rest.BeforeDelete: negative means 1s
  }
  return out;
}

/** D2: uid / resourceVersion preconditions (409 Conflict on mismatch). */
function checkPreconditions(def: KindDef, existing: StoredObject, o: DeleteOpts): void {
  const em = existing.metadata;
  if (o.uid !== undefined && o.uid !== em.uid) {
    throw conflict(targetOf(def), em.name, `Precondition failed: UID in precondition: ${o.uid}, UID in object meta: ${em.uid}`);
  }
  if (o.resourceVersion !== undefined && o.resourceVersion !== em.resourceVersion) {
    throw conflict(
      targetOf(def),
      em.name,
      `Precondition failed: ResourceVersion in precondition: ${o.resourceVersion}, ResourceVersion in object meta: ${em.resourceVersion}`,
    );
  }
}

/**
 * D8: the finalizers after applying a propagation policy. Orphan -> `orphan`, Foreground ->
 * `foregroundDeletion`, Background -> neither; no policy keeps what the object has (the
 * default for every modelled kind is Background). Returns the input array when unchanged as a set.
 */
function finalizersForPolicy(current: readonly string[], policy: DeleteOpts['propagationPolicy']): readonly string[] {
  if (policy === undefined) return current;
  const next = current.filter((f) => f !== FINALIZER_ORPHAN && f !== FINALIZER_FOREGROUND);
  if (policy === 'Orphan') next.push(FINALIZER_ORPHAN);
  if (policy === 'Foreground') next.push(FINALIZER_FOREGROUND);
  const a = new Set(current);
  const b = new Set(next);
  return a.size === b.size && [...a].every((f) => b.has(f)) ? current : next;
}

/** D9: grace period of a pod delete (pkg/registry/core/pod/strategy.go CheckGracefulDelete). */
export function podGracePeriodSeconds(pod: StoredObject, requested: number | undefined): number {
  const spec = (pod.spec ?? {}) as { nodeName?: unknown; terminationGracePeriodSeconds?: unknown };
  const status = (pod.status ?? {}) as { phase?: unknown };
  let g = requested ?? (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
  if (typeof spec.nodeName !== 'string' || spec.nodeName === '') g = 0; // unscheduled
  if (status.phase === 'Succeeded' || status.phase === 'Failed') g = 0; // finished
  return Math.max(0, g);
}

export interface DeleteResult {
  /** True when the object was removed from storage (D3, D5); false when it stays terminating (D4, D7, D9). */
  readonly deleted: boolean;
  /** The updated object, or (deleted) the last stored state stamped with the deletion's RV (D6). */
  readonly object: StoredObject;
}

function deleteResult(state: ApiState, deleted: boolean, object: StoredObject, events: readonly WatchEvent[]): ApiResult<DeleteResult> {
  return result(state, Object.freeze({ deleted, object }), events);
}

/** The generic registry Delete (store.go), after preconditions were checked. */
function storeDelete(state: ApiState, env: ApiEnv, def: KindDef, key: string, existing: StoredObject, o: DeleteOpts): ApiResult<DeleteResult> {
  const em = existing.metadata;
  const current = em.finalizers ?? [];
  const finalizers = finalizersForPolicy(current, o.propagationPolicy); // D8
  const pending = finalizers.length > 0;
  const firstDelete = em.deletionTimestamp === undefined;

  // D9: pods delete gracefully.
  let graceful: { grace: number; deletionTimestamp: string } | undefined;
  if (isPodKind(def)) {
    if (firstDelete) {
      const grace = podGracePeriodSeconds(existing, o.gracePeriodSeconds);
      graceful = { grace, deletionTimestamp: timestamp(env.now + grace * 1000) };
    } else if (em.deletionGracePeriodSeconds !== undefined && em.deletionGracePeriodSeconds > 0) {
      // Already terminating with a grace period: only a shorter period changes anything (D7).
      const g = o.gracePeriodSeconds;
      if (g === undefined || g >= em.deletionGracePeriodSeconds) return deleteResult(state, false, existing, []);
      const requestedAt = (parseTimestamp(em.deletionTimestamp!) ?? env.now) - em.deletionGracePeriodSeconds * 1000;
      graceful = { grace: g, deletionTimestamp: timestamp(requestedAt + g * 1000) };
    }
  }

  if (graceful) {
    const next = draftOf(existing);
    next.meta.deletionTimestamp = graceful.deletionTimestamp;
    next.meta.deletionGracePeriodSeconds = graceful.grace;
    next.meta.finalizers = finalizers;
    if (firstDelete && em.generation > 0) next.meta.generation = em.generation + 1; // M7
    const w = writeModified(state, key, next);
    if (pending || graceful.grace > 0) return deleteResult(w.state, false, w.object, [w.event]);
    // Grace 0 and nothing pending: the real store writes the deletion fields, then removes.
    const r = removeObject(w.state, key, w.object);
    return deleteResult(r.state, true, r.object, [w.event, r.event]);
  }

  if (pending) {
    // D4 (first delete) / D7 (already terminating: only policy finalizers can change).
    const next = draftOf(existing);
    next.meta.finalizers = finalizers;
    if (firstDelete && em.generation > 0) next.meta.generation = em.generation + 1; // M7
    const ts = em.deletionTimestamp === undefined ? undefined : parseTimestamp(em.deletionTimestamp);
    if (ts === undefined || ts > env.now) next.meta.deletionTimestamp = timestamp(env.now);
    next.meta.deletionGracePeriodSeconds = 0;
    if (jsonEqual(freezeDraft(next), existing)) return deleteResult(state, false, existing, []); // M5
    const w = writeModified(state, key, next);
    return deleteResult(w.state, false, w.object, [w.event]);
  }

  // D3: nothing holds it: removed at once.
  const r = removeObject(state, key, existing);
  return deleteResult(r.state, true, r.object, [r.event]);
}

const NAMESPACE_CONTENT_MESSAGE =
  'The system is ensuring all content is removed from this namespace.  Upon completion, this namespace will automatically be purged by the system.';

/**
 * DELETE. D1 404; D2 preconditions (409); D3 no finalizers: removed, DELETED; D4 finalizers:
 * deletionTimestamp=now, deletionGracePeriodSeconds=0, generation+1 (M7), MODIFIED; D7 deleting
 * a terminating object is a no-op except for policy finalizers; D8 propagationPolicy finalizers;
 * D9 pod graceful deletion. N1: the first delete of a namespace marks it Terminating (it is never
 * removed by that call); while its spec.finalizers are non-empty, later deletes are 409 Conflict.
 */
export function deleteObject(
  state: ApiState,
  env: ApiEnv,
  kind: string,
  namespace: string | undefined,
  name: string,
  opts?: DeleteOptions,
): ApiResult<DeleteResult> {
  const def = kindDef(state, kind);
  const ns = namespaceArg(def, namespace);
  const n = nameArg(def, name);
  const o = checkDeleteOptions(opts);
  const key = objectKey(def.kind, ns, n);
  const existing = state.objects[key];
  if (existing === undefined) throw notFound(targetOf(def), n); // D1
  checkPreconditions(def, existing, o); // D2

  if (isNamespaceKind(def)) {
    const em = existing.metadata;
    if (em.deletionTimestamp === undefined) {
      // N1: first delete: deletionTimestamp, phase Terminating, policy finalizers (D8).
      const next = draftOf(existing);
      next.meta.deletionTimestamp = timestamp(env.now);
      next.meta.deletionGracePeriodSeconds = 0;
      next.meta.finalizers = finalizersForPolicy(em.finalizers ?? [], o.propagationPolicy);
      next.body.status = Object.freeze({ ...((existing.status as JsonObject | undefined) ?? {}), phase: 'Terminating' });
      const w = writeModified(state, key, next);
      return deleteResult(w.state, false, w.object, [w.event]);
    }
    if (namespaceSpecFinalizers(existing).length > 0) throw conflict(targetOf(def), n, NAMESPACE_CONTENT_MESSAGE);
  }
  return storeDelete(state, env, def, key, existing, o);
}

/**
 * D10 (kubernetes#77988, opt-in): whether a DELETE racing a finalizer-adding update would
 * remove the object now although it has finalizers. True only when
 * `state.options.deleteRacesFinalizerAdd` is set, the object exists, is not terminating, has
 * finalizers, its kind deletes without the graceful/namespace update path (not Pod, not
 * Namespace), the preconditions hold, and the policy would not have added a finalizer to the
 * finalizer-less copy the DELETE read (no policy or Background).
 */
export function racingDeleteApplies(
  state: ApiState,
  kind: string,
  namespace: string | undefined,
  name: string,
  opts?: DeleteOptions,
): boolean {
  if (state.options.deleteRacesFinalizerAdd !== true) return false;
  const def = kindDef(state, kind);
  if (isPodKind(def) || isNamespaceKind(def)) return false;
  const o = checkDeleteOptions(opts);
  const existing = state.objects[objectKey(def.kind, namespaceArg(def, namespace), nameArg(def, name))];
  if (existing === undefined || existing.metadata.deletionTimestamp !== undefined) return false;
  if ((existing.metadata.finalizers ?? []).length === 0) return false;
  if (o.propagationPolicy === 'Orphan' || o.propagationPolicy === 'Foreground') return false;
  try {
    checkPreconditions(def, existing, o);
  } catch {
    return false;
  }
  return true;
}

/**
 * D10 (opt-in): the DELETE whose initial read saw the object *before* a concurrent update added
 * a finalizer. Its storage delete then removes the current object regardless of that finalizer
 * (DELETED event carrying the stored state, finalizer included). When
 * {@link racingDeleteApplies} is false (the option is off, or the race cannot happen for this
 * object) it is exactly {@link deleteObject}. The caller (the engine) decides when to take this
 * interleaving: the model does not track which write added the finalizers.
 */
export function deleteIgnoringFinalizers(
  state: ApiState,
  env: ApiEnv,
  kind: string,
  namespace: string | undefined,
  name: string,
  opts?: DeleteOptions,
): ApiResult<DeleteResult> {
  if (!racingDeleteApplies(state, kind, namespace, name, opts)) return deleteObject(state, env, kind, namespace, name, opts);
  const def = kindDef(state, kind);
  const key = objectKey(def.kind, namespaceArg(def, namespace), name);
  const r = removeObject(state, key, state.objects[key]);
  return deleteResult(r.state, true, r.object, [r.event]);
}

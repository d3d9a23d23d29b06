/**
 * Update, the status subresource, JSON merge patch and namespace finalize (U1–U9): conflicts on
 * resourceVersion, finalizers on terminating objects, no-op writes (M5), generation (M6),
 * immutable fields (M8), and the last finalizer removed from a terminating object deleting it
 * (D5, D6).
 */
import { badRequest, conflict, invalid, notFound, subresourceNotFound } from './errors.ts';
import { isPlainObject, jsonEqual, mergePatch, toFrozenJson, type Json, type JsonObject } from './json.ts';
import { objectKey } from './keys.ts';
import { isNamespaceKind, qualifiedKindOf, resourceOf, tracksGeneration } from './kinds.ts';
import { kindDef, targetOf, type Draft, freezeDraft, draftOf, parseBody, kindProblems, namespaceSpecFinalizers, validateOrThrow, nameArg, namespaceArg, bodyNamespace, event, writeModified, removeObject, result } from './store.ts';
import type { ApiEnv, ApiResult, ApiState, KindDef, KubeObject, StoredObject } from './types.ts';
import { dedupe } from './validation.ts';

type UpdateMode = 'main' | 'status' | 'finalize';

/** U2/U3: the request RV against the stored one. Empty RV: unconditional for built-ins only. */
function checkRv(def: KindDef, existing: StoredObject, rv: string | undefined): void {
  if (rv === undefined) {
    if (def.custom) {
      throw invalid(
        resourceOf(def),
        existing.metadata.name,
        ['metadata.resourceVersion: Invalid value: 0x0: must be specified for an update'],
        def.kind,
      );
    }
    return;
  }
  if (rv === existing.metadata.resourceVersion) return;
  if (!/^[0-9]+$/.test(rv)) {
    throw badRequest(`invalid resourceVersion ${JSON.stringify(rv)}: a resourceVersion is a decimal string`, {
      kind: def.kind,
      objectName: existing.metadata.name,
    });
  }
  throw conflict(targetOf(def), existing.metadata.name);
}

function bodyWithoutStatus(def: KindDef, body: Record<string, Json> | StoredObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = body as Record<string, unknown>;
  if (def.statusSubresource) delete rest.status;
  return rest;
}

/** Whether storing `next` over `existing` removes the object instead (D5; N1 for namespaces). */
function deletesDuringUpdate(def: KindDef, existing: StoredObject, next: Draft): boolean {
  const em = existing.metadata;
  if (em.deletionTimestamp === undefined) return false;
  if ((next.meta.finalizers ?? []).length > 0) return false;
  if (em.deletionGracePeriodSeconds !== undefined && em.deletionGracePeriodSeconds !== 0) return false; // D9
  if (isNamespaceKind(def) && namespaceSpecFinalizers(next.body).length > 0) return false;
  return true;
}

/**
 * The shared update path of PUT, PUT /status, PATCH and PUT /finalize. `d` is the parsed
 * request whose RV has already been checked (or replaced by the stored one).
 */
function applyUpdate(
  state: ApiState,
  def: KindDef,
  key: string,
  existing: StoredObject,
  d: Draft,
  mode: UpdateMode,
): ApiResult<StoredObject> {
  const em = existing.metadata;
  let next: Draft;
  const causes: string[] = [];
  if (mode === 'status') {
    // U6: /status keeps only the new .status; everything else (metadata too) is the stored one.
    next = draftOf(existing);
    if (d.body.status === undefined) delete next.body.status;
    else next.body.status = d.body.status;
  } else if (mode === 'finalize') {
    // N1: PUT /finalize only changes a namespace's spec.finalizers.
    next = draftOf(existing);
    next.body.spec = Object.freeze({
      ...((existing.spec as JsonObject | undefined) ?? {}),
      finalizers: Object.freeze([...namespaceSpecFinalizers(d.body)]),
    });
  } else {
    next = d;
    // U6: the main endpoint ignores .status of kinds with a status subresource.
    if (def.statusSubresource) {
      if (existing.status === undefined) delete next.body.status;
      else next.body.status = existing.status as Json;
    }
    if (isNamespaceKind(def)) {
      // N1: a namespace's spec.finalizers only change through /finalize.
      next.body.spec = Object.freeze({
        ...((next.body.spec as JsonObject | undefined) ?? {}),
        finalizers: Object.freeze([...namespaceSpecFinalizers(existing)]),
      });
    }
    const m = next.meta;
    m.name = em.name;
    if (def.namespaced) m.namespace = em.namespace;
    else delete m.namespace;
    // M8: uid is immutable (an empty uid means "keep"); creationTimestamp changes are ignored
    // (rest.BeforeUpdate restores the stored value).
    if (m.uid !== undefined && m.uid !== em.uid) {
      causes.push(`metadata.uid: Invalid value: "${m.uid}": field is immutable`);
    }
    m.uid = em.uid;
    m.creationTimestamp = em.creationTimestamp;
    // U8: deletionTimestamp can never be unset or changed; setting it by update is immutable-field 422.
    if (em.deletionTimestamp !== undefined) {
      m.deletionTimestamp = em.deletionTimestamp;
    } else if (m.deletionTimestamp !== undefined) {
      causes.push(`metadata.deletionTimestamp: Invalid value: "${m.deletionTimestamp}": field is immutable`);
    }
    if (m.deletionGracePeriodSeconds === undefined) {
      if (em.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = em.deletionGracePeriodSeconds;
    } else if (m.deletionGracePeriodSeconds !== em.deletionGracePeriodSeconds) {
      causes.push(`metadata.deletionGracePeriodSeconds: Invalid value: ${m.deletionGracePeriodSeconds}: field is immutable`);
    }
    m.generation = em.generation; // M6: clients cannot set it
    if (m.finalizers) m.finalizers = dedupe(m.finalizers);
    // U7: no new finalizers once deletion started (removal and reordering are fine).
    if (em.deletionTimestamp !== undefined) {
      const old = new Set(em.finalizers ?? []);
      const added = (m.finalizers ?? []).filter((f) => !old.has(f));
      if (added.length) {
        causes.push(
          `metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{${added
            .map((f) => JSON.stringify(f))
            .join(', ')}}`,
        );
      }
    }
    validateOrThrow(def, next, causes);
  }
  next.meta.resourceVersion = em.resourceVersion;

  // M6: generation +1 when anything outside metadata (and outside status, with a status
  // subresource) changed.
  if (tracksGeneration(def) && !jsonEqual(bodyWithoutStatus(def, next.body), bodyWithoutStatus(def, existing))) {
    next.meta.generation = em.generation + 1;
  }

  // D5/D6: an update that empties the finalizers of a terminating object removes it.
  if (deletesDuringUpdate(def, existing, next)) {
    const removed = removeObject(state, key, existing);
    // Like the real server, the response is the object as sent (with the request's RV).
    return result(removed.state, freezeDraft(next), [removed.event]);
  }

  // M5: identical to what is stored: no write, same RV, no event.
  const candidate = freezeDraft(next);
  if (jsonEqual(candidate, existing)) return result(state, existing, []);

  const w = writeModified(state, key, next); // M4, U9
  return result(w.state, w.object, [w.event]);
}

/** The stored object a request body names, if any (only to reuse its parts while parsing). */
function storedFor(state: ApiState, def: KindDef, meta: unknown): StoredObject | undefined {
  if (!isPlainObject(meta) || typeof meta.name !== 'string') return undefined;
  const ns = def.namespaced && typeof meta.namespace === 'string' ? meta.namespace : undefined;
  return state.objects[objectKey(def.kind, ns, meta.name)];
}

function lookupForUpdate(state: ApiState, obj: unknown, what: string): { def: KindDef; d: Draft; key: string; existing: StoredObject } {
  if (!isPlainObject(obj)) throw badRequest(`the object to ${what} must be a JSON object`);
  const def = kindDef(state, obj.kind);
  const d = parseBody(def, obj, storedFor(state, def, obj.metadata));
  if (d.meta.name === undefined) {
    throw badRequest(`resource name may not be empty (${resourceOf(def)})`, { kind: def.kind, resource: resourceOf(def) });
  }
  const ns = bodyNamespace(def, d);
  const key = objectKey(def.kind, ns, d.meta.name);
  const existing = state.objects[key];
  if (existing === undefined) throw notFound(targetOf(def), d.meta.name); // U1
  return { def, d, key, existing };
}

/**
 * PUT (main endpoint). U1 404 for a missing object; U2 409 on an RV mismatch; U3 an empty RV is
 * unconditional for built-ins, 422 for custom resources; U6 .status ignored with a status
 * subresource; U7 no new finalizers while terminating; U8 deletionTimestamp kept; M5 no-op;
 * M6 generation; M8 uid immutable; D5 emptied finalizers on a terminating object remove it.
 */
export function updateObject(state: ApiState, env: ApiEnv, obj: KubeObject): ApiResult<StoredObject> {
  void env;
  const { def, d, key, existing } = lookupForUpdate(state, obj, 'update');
  checkRv(def, existing, d.meta.resourceVersion);
  return applyUpdate(state, def, key, existing, d, 'main');
}

/** PUT /status (U6): only .status of the request is used. 404 when the kind has no status subresource. */
export function updateStatus(state: ApiState, env: ApiEnv, obj: KubeObject): ApiResult<StoredObject> {
  void env;
  if (!isPlainObject(obj)) throw badRequest('the object to update must be a JSON object');
  const def = kindDef(state, obj.kind);
  if (!def.statusSubresource) {
    const n = isPlainObject(obj.metadata) && typeof obj.metadata.name === 'string' ? obj.metadata.name : '';
    throw subresourceNotFound(targetOf(def), n, 'status');
  }
  const { d, key, existing } = lookupForUpdate(state, obj, 'update');
  checkRv(def, existing, d.meta.resourceVersion);
  return applyUpdate(state, def, key, existing, d, 'status');
}

export interface PatchOptions {
  readonly subresource?: 'status';
}

/**
 * PATCH with an RFC 7386 JSON merge patch (U4): applied to the current stored object, so it
 * never conflicts, unless the patch carries metadata.resourceVersion, which is then a
 * precondition (409 on mismatch). Lists such as finalizers are replaced whole, `null` removes
 * a field (U5). A patch of a missing object is 404. With `subresource: 'status'` the result is
 * written through /status (U6). The patch must be a JSON object (400 otherwise); a result
 * whose metadata fields have the wrong type is 400; name/namespace changes are 400 (the
 * object's name must match the URL), uid changes 422 (M8).
 */
export function patchObject(
  state: ApiState,
  env: ApiEnv,
  kind: string,
  namespace: string | undefined,
  name: string,
  patch: unknown,
  opts: PatchOptions = {},
): ApiResult<StoredObject> {
  void env;
  const def = kindDef(state, kind);
  if (opts !== undefined && (opts === null || typeof opts !== 'object')) throw badRequest('patch options must be an object');
  const sub = opts?.subresource;
  if (sub !== undefined && sub !== 'status') throw badRequest(`unsupported subresource ${JSON.stringify(sub)}`);
  const ns = namespaceArg(def, namespace);
  const n = nameArg(def, name);
  if (sub === 'status' && !def.statusSubresource) throw subresourceNotFound(targetOf(def), n, 'status');
  if (!isPlainObject(patch)) {
    throw badRequest(`invalid JSON merge patch for ${resourceOf(def)} "${n}": the patch must be a JSON object`, {
      kind: def.kind,
      objectName: n,
    });
  }
  const p = toFrozenJson(patch, '') as JsonObject;
  const key = objectKey(def.kind, ns, n);
  const existing = state.objects[key];
  if (existing === undefined) throw notFound(targetOf(def), n); // U4
  const pm = p.metadata;
  if (isPlainObject(pm) && pm.resourceVersion !== undefined && pm.resourceVersion !== null) {
    if (typeof pm.resourceVersion !== 'string') throw badRequest('request body is invalid: metadata.resourceVersion must be a string');
    checkRv(def, existing, pm.resourceVersion); // U4 precondition
  }
  const merged = mergePatch(existing as unknown as Json, p);
  const d = parseBody(def, merged, existing);
  if (d.meta.name !== undefined && d.meta.name !== n) {
    throw badRequest(`the name of the object (${d.meta.name}) does not match the name on the URL (${n})`, {
      kind: def.kind,
      objectName: n,
    });
  }
  if (def.namespaced && d.meta.namespace !== undefined && d.meta.namespace !== ns) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request', {
      kind: def.kind,
      objectName: n,
    });
  }
  d.meta.name = n;
  if (def.namespaced) d.meta.namespace = ns;
  d.meta.resourceVersion = existing.metadata.resourceVersion;
  return applyUpdate(state, def, key, existing, d, sub === 'status' ? 'status' : 'main');
}

/**
 * PUT /api/v1/namespaces/{name}/finalize (N1): replaces spec.finalizers of a namespace (the
 * namespace controller removes `kubernetes` this way). Unconditional. When the namespace is
 * terminating and both spec.finalizers and metadata.finalizers end up empty, it is removed in
 * the same request (D5 with the namespace store's extra condition).
 */
export function finalizeNamespace(state: ApiState, env: ApiEnv, name: string, finalizers: readonly string[]): ApiResult<StoredObject> {
  void env;
  const def = kindDef(state, 'Namespace');
  const n = nameArg(def, name);
  if (!Array.isArray(finalizers) || !finalizers.every((f) => typeof f === 'string')) {
    throw badRequest('request body is invalid: spec.finalizers must be an array of strings');
  }
  const key = objectKey(def.kind, undefined, n);
  const existing = state.objects[key];
  if (existing === undefined) throw notFound(targetOf(def), n);
  const d: Draft = {
    apiVersion: def.apiVersion,
    kind: def.kind,
    meta: { extra: {}, name: n },
    body: { spec: Object.freeze({ finalizers: Object.freeze([...dedupe(finalizers)]) }) },
  };
  const problems = kindProblems(def, d);
  if (problems.length) throw invalid(qualifiedKindOf(def), n, problems, def.kind);
  return applyUpdate(state, def, key, existing, d, 'finalize');
}

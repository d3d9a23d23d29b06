/**
 * The API server's object store and request plumbing: the state (kinds, objects, resourceVersion
 * and uid counters), request bodies parsed into drafts and validated (M*), name and namespace
 * arguments, reads (GET, LIST with selectors) and the low-level writes every verb uses (one
 * resourceVersion per write, M4; a watch event per change, W1). The verbs: ./create.ts (C*),
 * ./update.ts (U*), ./delete.ts (D*); ./server.ts lists them.
 */
import { alreadyExists, badRequest, invalid, notFound, unknownKind, type ErrorTarget } from './errors.ts';
import { isPlainObject, jsonEqual, toFrozenJson, type Json, type JsonObject } from './json.ts';
import { objectKey } from './keys.ts';
import { builtinKinds, isNamespaceKind, isPodKind, qualifiedKindOf, resourceOf, validateKindDef } from './kinds.ts';
import type { ApiOptions, ApiResult, ApiState, KindDef, ListOptions, StoredObject, WatchEvent } from './types.ts';
import { matchesSelector, metaProblems, parseLabelSelector, parseMeta, qualifiedNameProblem, type MetaDraft } from './validation.ts';

// ---------------------------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------------------------

function checkOptions(options: unknown): ApiOptions {
  if (options === undefined || options === null) return Object.freeze({});
  if (!isPlainObject(options)) throw badRequest('api options must be an object');
  const d = options.deleteRacesFinalizerAdd;
  if (d !== undefined && typeof d !== 'boolean') throw badRequest('api options: deleteRacesFinalizerAdd must be a boolean');
  return Object.freeze({ ...(options as ApiOptions) });
}

function addKind(kinds: Record<string, KindDef>, def: unknown): void {
  const d = validateKindDef(def);
  const existing = Object.hasOwn(kinds, d.kind) ? kinds[d.kind] : undefined;
  if (existing === undefined) {
    kinds[d.kind] = Object.isFrozen(d) ? d : Object.freeze({ ...d });
  } else if (!jsonEqual(existing, d)) {
    throw alreadyExists(
      { resource: 'customresourcedefinitions.apiextensions.k8s.io', kind: 'CustomResourceDefinition' },
      resourceOf(d),
    );
  }
}

/**
 * A fresh API server state: no objects, RV 0, the {@link builtinKinds} plus `kinds` registered.
 * Registering a kind twice with an identical definition is fine; a different definition under
 * an existing kind name is 409 AlreadyExists.
 */
export function emptyApiState(kinds: readonly KindDef[] = [], options: ApiOptions = {}): ApiState {
  if (!Array.isArray(kinds)) throw badRequest('kinds must be an array of kind definitions');
  const rec: Record<string, KindDef> = {};
  for (const k of builtinKinds) addKind(rec, k);
  for (const k of kinds) addKind(rec, k);
  return Object.freeze({
    rv: 0,
    uidCounter: 0,
    objects: Object.freeze({}),
    kinds: Object.freeze(rec),
    options: checkOptions(options),
  });
}

/** Registers one more kind (like creating a CRD). Identical re-registration returns `state` itself. */
export function registerKind(state: ApiState, def: KindDef): ApiState {
  const d = validateKindDef(def);
  if (Object.hasOwn(state.kinds, d.kind) && jsonEqual(state.kinds[d.kind], d)) return state;
  const rec = { ...state.kinds };
  addKind(rec, d);
  return Object.freeze({ ...state, kinds: Object.freeze(rec) });
}

/** The registered definition of `kind`; 404 `the server doesn't have a resource type "x"` otherwise. */
export function kindDef(state: ApiState, kind: unknown): KindDef {
  if (typeof kind !== 'string' || kind === '') {
    throw badRequest(`kind must be a non-empty string, got ${JSON.stringify(kind) ?? String(kind)}`);
  }
  if (!Object.hasOwn(state.kinds, kind)) throw unknownKind(kind);
  return state.kinds[kind];
}

export const targetOf = (def: KindDef): ErrorTarget => ({ resource: resourceOf(def), kind: def.kind });

/** A uid derived from the counter (M1): UUID-shaped, `00000000-0000-0000-0000-00000000002a`. */
export function uidFor(n: number): string {
  return `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Drafts: the mutable working form of an object during one request
// ---------------------------------------------------------------------------------------------

export interface Draft {
  apiVersion: string;
  kind: string;
  meta: MetaDraft;
  /** Every top-level field except apiVersion, kind and metadata (spec, status, data, ...). */
  body: Record<string, Json>;
}

const META_ORDER = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

/** Freezes a draft into a stored object (canonical key order; empty lists and maps omitted). */
export function freezeDraft(d: Draft): StoredObject {
  const m = d.meta;
  const meta: Record<string, unknown> = {};
  for (const f of META_ORDER) if (m[f] !== undefined) meta[f] = m[f];
  if (m.labels && Object.keys(m.labels).length) meta.labels = Object.freeze({ ...m.labels });
  if (m.annotations && Object.keys(m.annotations).length) meta.annotations = Object.freeze({ ...m.annotations });
  if (m.finalizers && m.finalizers.length) meta.finalizers = Object.freeze([...m.finalizers]);
  if (m.ownerReferences && m.ownerReferences.length) meta.ownerReferences = Object.freeze([...m.ownerReferences]);
  for (const [k, v] of Object.entries(m.extra)) meta[k] = v;
  const obj: Record<string, unknown> = { apiVersion: d.apiVersion, kind: d.kind, metadata: Object.freeze(meta) };
  if (d.body.spec !== undefined) obj.spec = d.body.spec;
  if (d.body.status !== undefined) obj.status = d.body.status;
  for (const [k, v] of Object.entries(d.body)) if (k !== 'spec' && k !== 'status') obj[k] = v;
  return Object.freeze(obj) as StoredObject;
}

/** A draft of a stored object (already valid and frozen: only shallow copies are needed). */
export function draftOf(o: StoredObject): Draft {
  const { apiVersion, kind, metadata, ...body } = o;
  const m = metadata as unknown as Record<string, Json>;
  const meta: MetaDraft = { extra: {} };
  for (const [k, v] of Object.entries(m)) {
    if ((META_ORDER as readonly string[]).includes(k) || ['labels', 'annotations', 'finalizers', 'ownerReferences'].includes(k)) {
      (meta as unknown as Record<string, unknown>)[k] = v;
    } else {
      meta.extra[k] = v;
    }
  }
  return { apiVersion, kind, meta, body: body as Record<string, Json> };
}

/** Reads an incoming request body for `def`: JSON copy, apiVersion/kind check, metadata shapes. */
export function parseBody(def: KindDef, raw: unknown, prior?: StoredObject): Draft {
  if (!isPlainObject(raw)) throw badRequest(`the request body for ${resourceOf(def)} must be a JSON object`);
  // Parts of the body that are parts of the stored object are reused, not copied (see toFrozenJson).
  const json = toFrozenJson(raw, '', new Set(), prior) as JsonObject;
  const { apiVersion, kind, metadata, ...body } = json;
  if (kind !== undefined && kind !== def.kind) {
    throw badRequest(`the kind in the data (${String(kind)}) does not match the expected kind (${def.kind})`);
  }
  if (apiVersion !== undefined && apiVersion !== null && apiVersion !== '' && apiVersion !== def.apiVersion) {
    throw badRequest(
      `the API version in the data (${typeof apiVersion === 'string' ? apiVersion : JSON.stringify(apiVersion)}) does not match the expected API version (${def.apiVersion})`,
    );
  }
  const d: Draft = { apiVersion: def.apiVersion, kind: def.kind, meta: parseMeta(metadata), body: { ...body } };
  for (const k of Object.keys(d.body)) if (d.body[k] === null) delete d.body[k];
  checkKindBody(def, d);
  return d;
}

/** Shapes of the kind-specific fields the model interprets (Pod and Namespace). */
function checkKindBody(def: KindDef, d: Draft): void {
  const where = resourceOf(def);
  const spec = d.body.spec;
  const status = d.body.status;
  if (isPodKind(def) || isNamespaceKind(def)) {
    if (spec !== undefined && !isPlainObject(spec)) throw badRequest(`request body is invalid: ${where} spec must be an object`);
    if (status !== undefined && !isPlainObject(status)) throw badRequest(`request body is invalid: ${where} status must be an object`);
    const phase = (status as JsonObject | undefined)?.phase;
    if (phase !== undefined && phase !== null && typeof phase !== 'string') {
      throw badRequest(`request body is invalid: status.phase must be a string`);
    }
  }
  if (isPodKind(def) && spec !== undefined) {
    const s = spec as JsonObject;
    if (s.nodeName !== undefined && s.nodeName !== null && typeof s.nodeName !== 'string') {
      throw badRequest('request body is invalid: spec.nodeName must be a string');
    }
    const g = s.terminationGracePeriodSeconds;
    if (g !== undefined && g !== null && (typeof g !== 'number' || !Number.isInteger(g))) {
      throw badRequest('request body is invalid: spec.terminationGracePeriodSeconds must be an integer');
    }
  }
  if (isNamespaceKind(def) && spec !== undefined) {
    const f = (spec as JsonObject).finalizers;
    if (f !== undefined && f !== null && (!Array.isArray(f) || !f.every((x: Json) => typeof x === 'string'))) {
      throw badRequest('request body is invalid: spec.finalizers must be an array of strings');
    }
  }
}

/** 422 causes of kind-specific field validation. */
export function kindProblems(def: KindDef, d: Draft): string[] {
  const out: string[] = [];
  if (isPodKind(def)) {
    const g = (d.body.spec as JsonObject | undefined)?.terminationGracePeriodSeconds;
    if (typeof g === 'number' && g < 0) {
      out.push(`spec.terminationGracePeriodSeconds: Invalid value: ${g}: must be greater than or equal to 0`);
    }
  }
  if (isNamespaceKind(def)) {
    const fins = namespaceSpecFinalizers(d.body);
    fins.forEach((f, i) => {
      const p = f === 'kubernetes' ? undefined : qualifiedNameProblem(f);
      if (p) out.push(`spec.finalizers[${i}]: Invalid value: "${f}": ${p}`);
    });
  }
  return out;
}

export function namespaceSpecFinalizers(body: Record<string, Json> | StoredObject): readonly string[] {
  const spec = body.spec as JsonObject | undefined;
  return ((spec?.finalizers as readonly string[] | undefined) ?? []) as readonly string[];
}

export function validateOrThrow(def: KindDef, d: Draft, extra: readonly string[] = []): void {
  const causes = [...extra, ...metaProblems(d.meta, isNamespaceKind(def)), ...kindProblems(def, d)];
  if (causes.length) throw invalid(qualifiedKindOf(def), d.meta.name ?? '', causes, def.kind);
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

export function nameArg(def: KindDef, name: unknown): string {
  if (typeof name !== 'string' || name === '') {
    throw badRequest(`resource name may not be empty (${resourceOf(def)})`, { kind: def.kind, resource: resourceOf(def) });
  }
  return name;
}

/**
 * The namespace of a request path. Namespaced kinds require one (400 BadRequest); for
 * cluster-scoped kinds a namespace is ignored, as the real server ignores the namespace of a
 * cluster-scoped object.
 */
export function namespaceArg(def: KindDef, namespace: unknown): string | undefined {
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    throw badRequest(`namespace must be a string, got ${typeof namespace}`);
  }
  if (!def.namespaced) return undefined;
  if (!namespace) {
    throw badRequest(`a namespace is required for the namespaced resource ${resourceOf(def)}`, {
      kind: def.kind,
      resource: resourceOf(def),
    });
  }
  return namespace;
}

/** The namespace of an object body: cluster-scoped kinds drop it; namespaced kinds need it (422). */
export function bodyNamespace(def: KindDef, d: Draft): string | undefined {
  if (!def.namespaced) {
    delete d.meta.namespace;
    return undefined;
  }
  if (!d.meta.namespace) {
    throw invalid(qualifiedKindOf(def), d.meta.name ?? '', ['metadata.namespace: Required value'], def.kind);
  }
  return d.meta.namespace;
}

// ---------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------

/** GET: the stored object, or 404 NotFound (`configmaps "a" not found`). */
export function getObject(state: ApiState, kind: string, namespace: string | undefined, name: string): StoredObject {
  const def = kindDef(state, kind);
  const ns = namespaceArg(def, namespace);
  const n = nameArg(def, name);
  const o = state.objects[objectKey(def.kind, ns, n)];
  if (o === undefined) throw notFound(targetOf(def), n);
  return o;
}

/** Like {@link getObject} but `undefined` when the object does not exist (bad arguments still throw). */
export function findObject(
  state: ApiState,
  kind: string,
  namespace: string | undefined,
  name: string,
): StoredObject | undefined {
  const def = kindDef(state, kind);
  return state.objects[objectKey(def.kind, namespaceArg(def, namespace), nameArg(def, name))];
}

/**
 * LIST: objects of `kind`, sorted by key, optionally restricted to one namespace (ignored for
 * cluster-scoped kinds) and filtered by an equality-based label selector. A malformed selector
 * is 400 BadRequest.
 */
export function listObjects(state: ApiState, kind: string, opts: ListOptions = {}): StoredObject[] {
  const def = kindDef(state, kind);
  if (opts === null || typeof opts !== 'object') throw badRequest('list options must be an object');
  const { namespace, labelSelector } = opts as ListOptions;
  if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
    throw badRequest('list options: namespace must be a string');
  }
  const reqs = parseLabelSelector(labelSelector);
  const prefix = def.namespaced && namespace ? `${def.kind}/${namespace}/` : `${def.kind}/`;
  const keys = Object.keys(state.objects)
    .filter((k) => k.startsWith(prefix))
    .sort();
  const out: StoredObject[] = [];
  for (const k of keys) {
    const o = state.objects[k];
    if (reqs.length === 0 || matchesSelector(o.metadata.labels, reqs)) out.push(o);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Low-level writes
// ---------------------------------------------------------------------------------------------

function withRv(o: StoredObject, rv: number): StoredObject {
  return Object.freeze({ ...o, metadata: Object.freeze({ ...o.metadata, resourceVersion: String(rv) }) }) as StoredObject;
}

export function putObject(state: ApiState, key: string, o: StoredObject, rv: number, uidCounter = state.uidCounter): ApiState {
  return Object.freeze({ ...state, rv, uidCounter, objects: Object.freeze({ ...state.objects, [key]: o }) });
}

export function event(type: WatchEvent['type'], object: StoredObject): WatchEvent {
  return Object.freeze({ type, object, resourceVersion: object.metadata.resourceVersion });
}

/** Stores `next` (already carrying every field but the RV) under a new RV; MODIFIED (U9). */
export function writeModified(state: ApiState, key: string, next: Draft): { state: ApiState; object: StoredObject; event: WatchEvent } {
  const rv = state.rv + 1;
  next.meta.resourceVersion = String(rv);
  const object = freezeDraft(next);
  return { state: putObject(state, key, object, rv), object, event: event('MODIFIED', object) };
}

/**
 * Final removal from storage (D3, D5): a new RV; the DELETED event carries the last stored
 * state stamped with the deletion's RV (D6).
 */
export function removeObject(state: ApiState, key: string, last: StoredObject): { state: ApiState; object: StoredObject; event: WatchEvent } {
  const rv = state.rv + 1;
  const object = withRv(last, rv);
  const { [key]: _gone, ...rest } = state.objects;
  return {
    state: Object.freeze({ ...state, rv, objects: Object.freeze(rest) }),
    object,
    event: event('DELETED', object),
  };
}

export function result<T>(state: ApiState, value: T, events: readonly WatchEvent[]): ApiResult<T> {
  return Object.freeze({ state, result: value, events: Object.freeze([...events]) });
}

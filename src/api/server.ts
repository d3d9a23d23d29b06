/**
 * The pure in-memory Kubernetes API server. Every function takes the immutable {@link ApiState}
 * and returns a new one (never mutating its input) together with the call's result and the
 * watch events it emitted. Stored objects are deep-frozen plain JSON.
 *
 * Rule ids (M*, C*, U*, D*, N1) refer to docs/apiserver-semantics.md. Upstream sources:
 * k8s.io/apiserver registry/generic/registry/store.go (Create, Update, Delete,
 * updateForGracefulDeletionAndFinalizers, deletionFinalizersForGarbageCollection, markAsDeleting),
 * registry/rest/{create,update,delete}.go, pkg/registry/core/{pod,namespace}.
 */
import {
  ApiError,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  subresourceNotFound,
  unknownKind,
  type ErrorTarget,
} from './errors.ts';
import { isPlainObject, jsonEqual, mergePatch, toFrozenJson, type Json, type JsonObject } from './json.ts';
import { objectKey, parseTimestamp, timestamp } from './keys.ts';
import {
  builtinKinds,
  isNamespaceKind,
  isPodKind,
  qualifiedKindOf,
  resourceOf,
  tracksGeneration,
  validateKindDef,
} from './kinds.ts';
import type {
  ApiEnv,
  ApiOptions,
  ApiResult,
  ApiState,
  DeleteOptions,
  KindDef,
  KubeObject,
  ListOptions,
  StoredObject,
  WatchEvent,
} from './types.ts';
import {
  FINALIZER_FOREGROUND,
  FINALIZER_ORPHAN,
  dedupe,
  matchesSelector,
  metaProblems,
  parseLabelSelector,
  parseMeta,
  qualifiedNameProblem,
  type MetaDraft,
} from './validation.ts';

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

const targetOf = (def: KindDef): ErrorTarget => ({ resource: resourceOf(def), kind: def.kind });

/** A uid derived from the counter (M1): UUID-shaped, `00000000-0000-0000-0000-00000000002a`. */
export function uidFor(n: number): string {
  return `00000000-0000-0000-0000-${n.toString(16).padStart(12, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Drafts: the mutable working form of an object during one request
// ---------------------------------------------------------------------------------------------

interface Draft {
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
function freezeDraft(d: Draft): StoredObject {
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
function draftOf(o: StoredObject): Draft {
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
function parseBody(def: KindDef, raw: unknown, prior?: StoredObject): Draft {
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
function kindProblems(def: KindDef, d: Draft): string[] {
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

function namespaceSpecFinalizers(body: Record<string, Json> | StoredObject): readonly string[] {
  const spec = body.spec as JsonObject | undefined;
  return ((spec?.finalizers as readonly string[] | undefined) ?? []) as readonly string[];
}

function validateOrThrow(def: KindDef, d: Draft, extra: readonly string[] = []): void {
  const causes = [...extra, ...metaProblems(d.meta, isNamespaceKind(def)), ...kindProblems(def, d)];
  if (causes.length) throw invalid(qualifiedKindOf(def), d.meta.name ?? '', causes, def.kind);
}

// ---------------------------------------------------------------------------------------------
// Arguments
// ---------------------------------------------------------------------------------------------

function nameArg(def: KindDef, name: unknown): string {
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
function namespaceArg(def: KindDef, namespace: unknown): string | undefined {
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
function bodyNamespace(def: KindDef, d: Draft): string | undefined {
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

function putObject(state: ApiState, key: string, o: StoredObject, rv: number, uidCounter = state.uidCounter): ApiState {
  return Object.freeze({ ...state, rv, uidCounter, objects: Object.freeze({ ...state.objects, [key]: o }) });
}

function event(type: WatchEvent['type'], object: StoredObject): WatchEvent {
  return Object.freeze({ type, object, resourceVersion: object.metadata.resourceVersion });
}

/** Stores `next` (already carrying every field but the RV) under a new RV; MODIFIED (U9). */
function writeModified(state: ApiState, key: string, next: Draft): { state: ApiState; object: StoredObject; event: WatchEvent } {
  const rv = state.rv + 1;
  next.meta.resourceVersion = String(rv);
  const object = freezeDraft(next);
  return { state: putObject(state, key, object, rv), object, event: event('MODIFIED', object) };
}

/**
 * Final removal from storage (D3, D5): a new RV; the DELETED event carries the last stored
 * state stamped with the deletion's RV (D6).
 */
function removeObject(state: ApiState, key: string, last: StoredObject): { state: ApiState; object: StoredObject; event: WatchEvent } {
  const rv = state.rv + 1;
  const object = withRv(last, rv);
  const { [key]: _gone, ...rest } = state.objects;
  return {
    state: Object.freeze({ ...state, rv, objects: Object.freeze(rest) }),
    object,
    event: event('DELETED', object),
  };
}

function result<T>(state: ApiState, value: T, events: readonly WatchEvent[]): ApiResult<T> {
  return Object.freeze({ state, result: value, events: Object.freeze([...events]) });
}

// ---------------------------------------------------------------------------------------------
// Create
// ---------------------------------------------------------------------------------------------

/** The Kubernetes name-suffix alphabet (k8s.io/apimachinery/pkg/util/rand): no vowels, no 0/1/3. */
export const GENERATE_NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATE_NAME_ATTEMPTS = 8;

function generatedName(prefix: string, env: ApiEnv): string {
  const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
  let s = '';
  for (let i = 0; i < 5; i++) s += GENERATE_NAME_ALPHABET[env.randomInt(GENERATE_NAME_ALPHABET.length)];
  return base + s;
}

/**
 * POST. M1: uid (from state.uidCounter, {@link uidFor}) and creationTimestamp are assigned and
 * request values of uid, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds are
 * wiped; M2: generateName when name is empty (5 chars drawn with env.randomInt, retried up to 8
 * times on a clash like the RetryGenerateName feature); M3: a request resourceVersion is 400;
 * M6: generation 1 for kinds that track it, else 0; C1: 409 while the name is taken (also while
 * the old object is terminating); C2: a namespaced object needs an existing, non-terminating
 * namespace (404 / 403); C3: ADDED, and kinds with a status subresource drop .status (Pods get
 * status.phase Pending, Namespaces Active and spec.finalizers ["kubernetes"], N1).
 */
export function createObject(state: ApiState, env: ApiEnv, obj: KubeObject): ApiResult<StoredObject> {
  if (!isPlainObject(obj)) throw badRequest('the object to create must be a JSON object');
  const def = kindDef(state, obj.kind);
  const target = targetOf(def);
  const d = parseBody(def, obj);
  const m = d.meta;
  if (m.resourceVersion !== undefined) {
    throw badRequest('resourceVersion should not be set on objects to be created', {
      kind: def.kind,
      resource: target.resource,
      objectName: m.name,
    });
  }
  // M1: system fields of the request are wiped; M6: clients cannot set generation.
  delete m.uid;
  delete m.creationTimestamp;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  m.generation = tracksGeneration(def) ? 1 : 0;

  const ns = bodyNamespace(def, d);
  if (ns !== undefined) {
    // C2 (NamespaceLifecycle admission runs before storage).
    const nsObj = state.objects[objectKey('Namespace', undefined, ns)];
    if (nsObj === undefined) throw notFound({ resource: 'namespaces', kind: 'Namespace' }, ns);
    if (nsObj.metadata.deletionTimestamp !== undefined) {
      throw forbidden(target, m.name ?? '', `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }

  if (m.name === undefined && m.generateName === undefined) {
    throw invalid(qualifiedKindOf(def), '', ['metadata.name: Required value: name or generateName is required'], def.kind);
  }
  if (m.finalizers) m.finalizers = dedupe(m.finalizers);

  // C3 and per-kind create defaults.
  if (isPodKind(def)) {
    d.body.status = Object.freeze({ phase: 'Pending' });
  } else if (isNamespaceKind(def)) {
    const spec = (d.body.spec as JsonObject | undefined) ?? {};
    const fins = namespaceSpecFinalizers(d.body);
    d.body.spec = Object.freeze({
      ...spec,
      finalizers: Object.freeze(fins.includes('kubernetes') ? [...fins] : [...fins, 'kubernetes']),
    });
    d.body.status = Object.freeze({ phase: 'Active' });
  } else if (def.statusSubresource) {
    delete d.body.status;
  }

  let name = m.name;
  if (name === undefined) {
    // M2
    const prefix = m.generateName ?? '';
    for (let i = 0; i < MAX_GENERATE_NAME_ATTEMPTS; i++) {
      const candidate = generatedName(prefix, env);
      if (state.objects[objectKey(def.kind, ns, candidate)] === undefined) {
        name = candidate;
        break;
      }
    }
    if (name === undefined) {
      throw new ApiError({
        code: 409,
        reason: 'AlreadyExists',
        message: `the server was not able to generate a unique name for the object (${target.resource}) with generateName "${prefix}"`,
        kind: def.kind,
        resource: target.resource,
      });
    }
    m.name = name;
  }
  validateOrThrow(def, d);

  const key = objectKey(def.kind, ns, name);
  const existing = state.objects[key];
  if (existing !== undefined) throw alreadyExists(target, name, existing.metadata.deletionTimestamp !== undefined); // C1

  const uidCounter = state.uidCounter + 1;
  const rv = state.rv + 1;
  m.uid = uidFor(uidCounter);
  m.creationTimestamp = timestamp(env.now);
  m.resourceVersion = String(rv);
  const stored = freezeDraft(d);
  return result(putObject(state, key, stored, rv, uidCounter), stored, [event('ADDED', stored)]);
}

// ---------------------------------------------------------------------------------------------
// Update, status, patch, finalize
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Delete
// ---------------------------------------------------------------------------------------------

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

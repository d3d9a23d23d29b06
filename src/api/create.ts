/**
 * Create: system fields and uid (M1), generateName (M2), no resourceVersion on the request (M3),
 * generation 1 for CRs (M6), AlreadyExists and terminating namespaces (C1, C2, N1), the ADDED
 * event and a status subresource dropped on create (C3).
 */
import { ApiError, alreadyExists, badRequest, forbidden, invalid, notFound } from './errors.ts';
import { isPlainObject, type JsonObject } from './json.ts';
import { objectKey, timestamp } from './keys.ts';
import { isNamespaceKind, isPodKind, qualifiedKindOf, tracksGeneration } from './kinds.ts';
import { kindDef, targetOf, uidFor, freezeDraft, parseBody, namespaceSpecFinalizers, validateOrThrow, bodyNamespace, putObject, event, result } from './store.ts';
import type { ApiEnv, ApiResult, ApiState, KubeObject, StoredObject } from './types.ts';
import { dedupe } from './validation.ts';

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

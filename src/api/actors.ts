/**
 * The asynchronous system actors of a cluster: the garbage collector (G1-G4), the namespace
 * controller (N1) and the kubelet's part in pod deletion (D9). Each is a pure function listing
 * the steps the actor could take now; the engine interleaves them with controller steps.
 * Never inside an API call: an API write only changes storage, the actors react later.
 *
 * Simplification: the actors read the API state directly (as if their informers were always
 * up to date) instead of through their own, possibly stale, caches. Every listed action is
 * enabled only when applying it would change something, so a quiescent cluster lists none.
 */
import { objectKey } from './keys.ts';
import { isNamespaceKind, isPodKind } from './kinds.ts';
import { deleteObject, finalizeNamespace, patchObject } from './server.ts';
import type { ApiEnv, ApiResult, ApiState, DeleteOptions, KindDef, OwnerReference, StoredObject } from './types.ts';
import { FINALIZER_FOREGROUND, FINALIZER_ORPHAN } from './validation.ts';

/** One step an actor can take now. `apply` is pure like every API call. */
export interface SystemAction {
  /** Unique and stable, e.g. `garbage-collector: delete ConfigMap/ns/a`. */
  readonly id: string;
  /** `garbage-collector`, `namespace-controller` or `kubelet`. */
  readonly actor: string;
  apply(state: ApiState, env: ApiEnv): ApiResult<unknown>;
}

interface Entry {
  readonly key: string;
  readonly obj: StoredObject;
  readonly def: KindDef;
}

function entries(state: ApiState): Entry[] {
  const out: Entry[] = [];
  for (const key of Object.keys(state.objects).sort()) {
    const obj = state.objects[key];
    const def = state.kinds[obj.kind];
    if (def !== undefined) out.push({ key, obj, def });
  }
  return out;
}

function keyOfEntry(e: Entry): string {
  return objectKey(e.obj.kind, e.def.namespaced ? e.obj.metadata.namespace : undefined, e.obj.metadata.name);
}

function patchAction(actor: string, id: string, e: Entry, patch: unknown): SystemAction {
  const { kind, metadata } = e.obj;
  return {
    id,
    actor,
    apply: (s, env) => patchObject(s, env, kind, metadata.namespace, metadata.name, patch),
  };
}

function deleteAction(actor: string, id: string, e: Entry, opts: DeleteOptions): SystemAction {
  const { kind, metadata } = e.obj;
  return { id, actor, apply: (s, env) => deleteObject(s, env, kind, metadata.namespace, metadata.name, opts) };
}

const hasFinalizer = (o: StoredObject, f: string) => (o.metadata.finalizers ?? []).includes(f);
const refName = (r: OwnerReference) => `${r.kind}/${r.name}`;

// ---------------------------------------------------------------------------------------------
// Garbage collector
// ---------------------------------------------------------------------------------------------

type RefClass = 'solid' | 'dangling' | 'waiting' | 'unresolvable';

/**
 * G1 classification of one owner reference of `dep`: `dangling` when the owner is absent or
 * has another uid, `waiting` when it exists and is being deleted in the foreground, `solid`
 * otherwise. `unresolvable` when the owner kind is not registered, or a cluster-scoped
 * dependent names a namespaced owner kind: the real GC never collects such dependents.
 */
function classify(state: ApiState, dep: Entry, ref: OwnerReference): RefClass {
  if (!Object.hasOwn(state.kinds, ref.kind)) return 'unresolvable';
  const ownerDef = state.kinds[ref.kind];
  if (ownerDef.namespaced && !dep.def.namespaced) return 'unresolvable';
  const owner = state.objects[objectKey(ref.kind, ownerDef.namespaced ? dep.obj.metadata.namespace : undefined, ref.name)];
  if (owner === undefined || owner.metadata.uid !== ref.uid) return 'dangling';
  if (owner.metadata.deletionTimestamp !== undefined && hasFinalizer(owner, FINALIZER_FOREGROUND)) return 'waiting';
  return 'solid';
}

/**
 * What the garbage collector can do now (G1-G4), in key order:
 * - for a live dependent none of whose owners is solid: `garbage-collector: delete <key>`, with
 *   a uid precondition and the policy the real GC picks (Foreground when an owner waits for it
 *   and it has dependents of its own, else after its own orphan / foregroundDeletion
 *   finalizer, else Background) (G1, G2, G3);
 * - for a live dependent with a solid owner and dangling (or foreground-deleting) owners:
 *   `garbage-collector: remove dangling ownerReference <Kind/name,...> from <key>` (G1);
 * - for a terminating owner with `orphan`: `garbage-collector: orphan <dep> from <owner>` per
 *   dependent, then `garbage-collector: remove finalizer orphan from <owner>` (G4);
 * - for a terminating owner with `foregroundDeletion` and no dependent left that has
 *   blockOwnerDeletion=true: `garbage-collector: remove finalizer foregroundDeletion from <owner>` (G3).
 * Dependents that are themselves terminating are left alone (they still block a foreground owner).
 */
export function garbageCollectorActions(state: ApiState): SystemAction[] {
  const actor = 'garbage-collector';
  // Fast path: nothing to do unless some object has owners or waits on a GC finalizer.
  let relevant = false;
  for (const key in state.objects) {
    const m = state.objects[key].metadata;
    if (m.ownerReferences !== undefined || (m.deletionTimestamp !== undefined && m.finalizers !== undefined)) {
      relevant = true;
      break;
    }
  }
  if (!relevant) return [];
  const all = entries(state);
  const dependentsByUid = new Map<string, Entry[]>();
  for (const e of all) {
    for (const r of e.obj.metadata.ownerReferences ?? []) {
      const list = dependentsByUid.get(r.uid);
      if (list) list.push(e);
      else dependentsByUid.set(r.uid, [e]);
    }
  }
  const out: SystemAction[] = [];

  for (const e of all) {
    const meta = e.obj.metadata;
    // Owner side.
    if (meta.deletionTimestamp !== undefined) {
      const deps = dependentsByUid.get(meta.uid) ?? [];
      if (hasFinalizer(e.obj, FINALIZER_ORPHAN)) {
        // G4: strip the reference from every dependent, then drop the finalizer.
        for (const d of deps) {
          const rest = (d.obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== meta.uid);
          out.push(
            patchAction(actor, `${actor}: orphan ${keyOfEntry(d)} from ${e.key}`, d, {
              metadata: { ownerReferences: rest.length ? rest : null, resourceVersion: d.obj.metadata.resourceVersion },
            }),
          );
        }
        if (deps.length === 0) out.push(removeFinalizerAction(actor, e, FINALIZER_ORPHAN));
      } else if (hasFinalizer(e.obj, FINALIZER_FOREGROUND)) {
        // G3: the owner stays until no blocking dependent is left (even a stuck one blocks).
        const blocking = deps.some((d) =>
          (d.obj.metadata.ownerReferences ?? []).some((r) => r.uid === meta.uid && r.blockOwnerDeletion === true),
        );
        if (!blocking) out.push(removeFinalizerAction(actor, e, FINALIZER_FOREGROUND));
      }
    }

    // Dependent side.
    const refs = meta.ownerReferences ?? [];
    if (refs.length === 0 || meta.deletionTimestamp !== undefined) continue;
    const classes = refs.map((r) => classify(state, e, r));
    if (classes.includes('unresolvable')) continue;
    const solid = refs.filter((_, i) => classes[i] === 'solid');
    const gone = refs.filter((_, i) => classes[i] !== 'solid');
    if (gone.length === 0) continue;
    if (solid.length > 0) {
      // G1: live owners keep it; dangling references are patched away.
      const what = classes.every((c) => c === 'solid' || c === 'dangling') ? 'remove dangling ownerReference' : 'remove ownerReference';
      out.push(
        patchAction(actor, `${actor}: ${what} ${gone.map(refName).join(', ')} from ${e.key}`, e, {
          metadata: { ownerReferences: solid, resourceVersion: meta.resourceVersion },
        }),
      );
      continue;
    }
    // G1/G2/G3: every owner is gone or waiting for its dependents: collect it.
    let policy: DeleteOptions['propagationPolicy'];
    if (classes.includes('waiting') && dependentsByUid.has(meta.uid)) policy = 'Foreground';
    else if (hasFinalizer(e.obj, FINALIZER_ORPHAN)) policy = 'Orphan';
    else if (hasFinalizer(e.obj, FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    out.push(deleteAction(actor, `${actor}: delete ${e.key}`, e, { propagationPolicy: policy, preconditions: { uid: meta.uid } }));
  }
  return out;
}

function removeFinalizerAction(actor: string, e: Entry, finalizer: string): SystemAction {
  const rest = (e.obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return patchAction(actor, `${actor}: remove finalizer ${finalizer} from ${e.key}`, e, {
    metadata: { finalizers: rest.length ? rest : null, resourceVersion: e.obj.metadata.resourceVersion },
  });
}

// ---------------------------------------------------------------------------------------------
// Namespace controller
// ---------------------------------------------------------------------------------------------

/** Whether a Background delete of `e` by the namespace controller would change anything. */
function namespaceDeleteChanges(e: Entry): boolean {
  const m = e.obj.metadata;
  if (m.deletionTimestamp === undefined) return true;
  if (isPodKind(e.def) && (m.deletionGracePeriodSeconds ?? 0) > 0) return false; // graceful deletion pending
  return hasFinalizer(e.obj, FINALIZER_ORPHAN) || hasFinalizer(e.obj, FINALIZER_FOREGROUND); // Background strips them (D8)
}

/**
 * What the namespace controller can do now (N1), for each terminating namespace:
 * `namespace-controller: delete <key>` (propagationPolicy Background) for each object of a
 * namespaced kind in it that such a delete would change; once no namespaced object is left,
 * `namespace-controller: finalize Namespace/<ns>` removing `kubernetes` from spec.finalizers
 * (which removes the namespace in the same request when nothing else holds it), or, when
 * spec.finalizers is already empty and no metadata finalizer holds it,
 * `namespace-controller: delete Namespace/<ns>`. Cluster-scoped objects are never touched.
 */
export function namespaceControllerActions(state: ApiState): SystemAction[] {
  const actor = 'namespace-controller';
  let any = false;
  for (const key in state.objects) {
    if (key.startsWith('Namespace/') && state.objects[key].metadata.deletionTimestamp !== undefined) {
      any = true;
      break;
    }
  }
  if (!any || !Object.hasOwn(state.kinds, 'Namespace')) return [];
  const all = entries(state);
  const terminating = all.filter((e) => isNamespaceKind(e.def) && e.obj.metadata.deletionTimestamp !== undefined);
  if (terminating.length === 0) return [];
  const content = new Map<string, Entry[]>();
  for (const e of all) {
    if (!e.def.namespaced || e.obj.metadata.namespace === undefined) continue;
    const list = content.get(e.obj.metadata.namespace);
    if (list) list.push(e);
    else content.set(e.obj.metadata.namespace, [e]);
  }
  const out: SystemAction[] = [];
  for (const ns of terminating) {
    const name = ns.obj.metadata.name;
    const items = content.get(name) ?? [];
    for (const e of items) {
      if (namespaceDeleteChanges(e)) out.push(deleteAction(actor, `${actor}: delete ${e.key}`, e, { propagationPolicy: 'Background' }));
    }
    if (items.length > 0) continue;
    const specFinalizers = ((ns.obj.spec as { finalizers?: readonly string[] } | undefined)?.finalizers ?? []) as readonly string[];
    if (specFinalizers.includes('kubernetes')) {
      const rest = specFinalizers.filter((f) => f !== 'kubernetes');
      out.push({ id: `${actor}: finalize ${ns.key}`, actor, apply: (s, env) => finalizeNamespace(s, env, name, rest) });
    } else if (specFinalizers.length === 0 && (ns.obj.metadata.finalizers ?? []).length === 0) {
      out.push(deleteAction(actor, `${actor}: delete ${ns.key}`, ns, { preconditions: { uid: ns.obj.metadata.uid } }));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kubelet
// ---------------------------------------------------------------------------------------------

/**
 * What the kubelet can do now (D9): `kubelet: delete Pod/<ns>/<name>` with grace 0 and a uid
 * precondition for every pod with a deletionTimestamp and a grace period > 0. The model lets
 * the kubelet act at any time before the grace period ends (containers may stop early), so
 * the action does not wait for the clock.
 */
export function kubeletActions(state: ApiState): SystemAction[] {
  const actor = 'kubelet';
  const out: SystemAction[] = [];
  const keys = Object.keys(state.objects)
    .filter((k) => k.startsWith('Pod/') && state.objects[k].metadata.deletionTimestamp !== undefined)
    .sort();
  for (const key of keys) {
    const e: Entry = { key, obj: state.objects[key], def: state.kinds.Pod };
    if (e.def === undefined || !isPodKind(e.def)) continue;
    const m = e.obj.metadata;
    if (m.deletionTimestamp === undefined || (m.deletionGracePeriodSeconds ?? 0) <= 0) continue;
    out.push(deleteAction(actor, `${actor}: delete ${e.key}`, e, { gracePeriodSeconds: 0, preconditions: { uid: m.uid } }));
  }
  return out;
}

/** Every actor's actions: kubelet, garbage collector, namespace controller. */
export function systemActions(state: ApiState): SystemAction[] {
  return [...kubeletActions(state), ...garbageCollectorActions(state), ...namespaceControllerActions(state)];
}

/**
 * The pure in-memory Kubernetes API server. Every function takes the immutable {@link ApiState}
 * and returns a new one (never mutating its input) together with the call's result and the
 * watch events it emitted. Stored objects are deep-frozen plain JSON.
 *
 * Rule ids (M*, C*, U*, D*, N1) refer to docs/apiserver-semantics.md. Upstream sources:
 * k8s.io/apiserver registry/generic/registry/store.go (Create, Update, Delete,
 * updateForGracefulDeletionAndFinalizers, deletionFinalizersForGarbageCollection, markAsDeleting),
 * registry/rest/{create,update,delete}.go, pkg/registry/core/{pod,namespace}.
 *
 * This module lists the server's functions; they live in ./store.ts (state, drafts, reads,
 * low-level writes), ./create.ts, ./update.ts (update, status, patch, finalize) and ./delete.ts.
 */
export { emptyApiState, registerKind, kindDef, uidFor, getObject, findObject, listObjects } from './store.ts';
export { GENERATE_NAME_ALPHABET, createObject } from './create.ts';
export { updateObject, updateStatus, patchObject, finalizeNamespace } from './update.ts';
export type { PatchOptions } from './update.ts';
export { podGracePeriodSeconds, deleteObject, racingDeleteApplies, deleteIgnoringFinalizers } from './delete.ts';
export type { DeleteResult } from './delete.ts';

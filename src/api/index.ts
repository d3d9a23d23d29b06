/** The in-memory Kubernetes API-server model: public surface. */
export type * from './types.ts';
export * from './errors.ts';
export { objectKey, keyOf, timestamp, parseTimestamp, EPOCH_MS } from './keys.ts';
export {
  NamespaceKind,
  PodKind,
  ConfigMapKind,
  NetworkAttachmentDefinitionKind,
  builtinKinds,
  defineKind,
  groupOf,
  pluralOf,
  resourceOf,
  qualifiedKindOf,
} from './kinds.ts';
export {
  emptyApiState,
  registerKind,
  kindDef,
  getObject,
  findObject,
  listObjects,
  createObject,
  updateObject,
  updateStatus,
  patchObject,
  finalizeNamespace,
  deleteObject,
  deleteIgnoringFinalizers,
  racingDeleteApplies,
  podGracePeriodSeconds,
  uidFor,
  GENERATE_NAME_ALPHABET,
  type DeleteResult,
  type PatchOptions,
} from './server.ts';
export { parseLabelSelector, matchesSelector, type LabelRequirement } from './validation.ts';
export {
  garbageCollectorActions,
  namespaceControllerActions,
  kubeletActions,
  systemActions,
  type SystemAction,
} from './actors.ts';
export { ApiServer, SimClock, mulberry32, type ApiServerOptions } from './apiserver.ts';

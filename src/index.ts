/**
 * kuberace: find, explain and prove fixes for races in Kubernetes controllers by
 * deterministic simulation and model checking.
 *
 * This module is the documented public API; everything a controller author needs is
 * exported from here (`import { ... } from 'kuberace'`). A model is built in four steps:
 *
 * 1. kinds and object types ({@link defineKind}, {@link KubeObject}, {@link StoredObject});
 * 2. controllers whose handlers are generator functions that `yield*` the effects of a
 *    {@link ReconcileContext} ({@link defineController}), and external systems they drive
 *    ({@link defineExternalSystem});
 * 3. a model: variants, named properties ({@link always}, {@link atStable}, {@link sometimes})
 *    and scenarios of user operations ({@link defineModel});
 * 4. checks: {@link checkRandom} (fast-check driven search), {@link checkExhaustive} (every
 *    interleaving, with partial-order reduction), and counterexample files that replay
 *    deterministically ({@link replayTrace}). In a test runner: {@link kuberaceProperty} and
 *    {@link expectHolds};
 * 5. reports of a counterexample: {@link timelineOf} replays it, {@link renderText},
 *    {@link renderHtml}, {@link renderMermaid}, {@link renderJson}, {@link renderYaml} and
 *    {@link tablesOf} render it.
 *
 * See docs/guide.md for a walk-through from an empty file to a proven fix, and
 * docs/ARCHITECTURE.md for a map of the source.
 *
 * @example
 * ```ts
 * import { checkExhaustive, checkRandom, expectHolds } from 'kuberace';
 * import { backupModel } from './backup.ts';
 *
 * const report = checkRandom(backupModel, { variant: 'v1', seed: 1 });
 * if (report.result === 'violated') console.log(report.counterexample!.steps);
 * expectHolds(checkExhaustive(backupModel, { variant: 'v2' }), { complete: true });
 * ```
 *
 * @packageDocumentation
 */
// Re-export lists only: each name is documented, with an example, at its definition (the
// reference is generated from there by `npm run docs`; test/package/api-docs.test.ts checks it).

// Objects
export type {
  KubeObject,
  KubeObjectFields,
  StoredObject,
  ObjectMeta,
  StoredMeta,
  OwnerReference,
  DeleteOptions,
  ListOptions,
  ApiOptions,
} from './api/types.ts';

// Kinds
export type { KindDef } from './api/types.ts';
export {
  defineKind,
  NamespaceKind,
  PodKind,
  ConfigMapKind,
  NetworkAttachmentDefinitionKind,
  builtinKinds,
} from './api/kinds.ts';
export { objectKey, keyOf, parseTimestamp } from './api/keys.ts';
export { jsonEqual } from './api/json.ts';

// Errors
export {
  ApiError,
  isApiError,
  isNotFound,
  isConflict,
  isAlreadyExists,
  isInvalid,
  isForbidden,
  isBadRequest,
} from './api/errors.ts';
export type { StatusReason } from './api/types.ts';

// Controllers and the engine
export { ExternalError } from './engine/system.ts';
export type {
  ControllerDef,
  HandlerContext,
  HandlerLister,
  EventHandlers,
  QueueDef,
  PeriodicDef,
  ExternalSystemDef,
  ExternalCallResult,
  AdmissionHook,
  AdmissionRequest,
  SystemDef,
  UserOp,
  Scenario,
  FaultBudget,
  EngineOptions,
} from './engine/system.ts';
export { defineController, defineExternalSystem } from './check/define.ts';
export type { RateLimiterConfig } from './engine/workqueue.ts';
export { ReconcileError, reconcileContext } from './engine/effects.ts';
export type {
  ReconcileContext,
  Client,
  Lister,
  Reconciler,
  Task,
  ReconcileResult,
  Effect,
  EffectOp,
} from './engine/effects.ts';

// Models and properties
export { defineModel, UsageError } from './check/model.ts';
export type { ModelDef, VariantDef } from './check/model.ts';
export { always, atStable, sometimes } from './check/property.ts';
export type { Property, PropertyKind, PropertyCheck, PropertyHistory, PropertyOptions } from './check/property.ts';
export type { KuberaceConfig } from './check/model-module.ts';
export type { Classifier, Classification } from './check/classify.ts';
export { WorldView } from './check/view.ts';
export type { World, Inflight } from './engine/world.ts';

// Checking
export type { TargetOptions } from './check/context.ts';
export { checkRandom } from './check/random.ts';
export type { RandomOptions, CheckReport } from './check/random.ts';
export { checkExhaustive } from './check/exhaustive.ts';
export type { ExhaustiveOptions, ExploreProgress } from './check/exhaustive.ts';
export type { Symmetry } from './check/symmetry.ts';
export type { LagUnit } from './check/state-kind.ts';
export type { Violation } from './check/execute.ts';
export {
  kuberaceProperty,
  kuberaceReporter,
  CounterexampleError,
  expectHolds,
  writeCounterexample,
  replayCommandFor,
} from './check/vitest.ts';
export type {
  KuberaceProperty,
  KuberacePropertyOptions,
  ExpectHoldsOptions,
} from './check/vitest.ts';

// Counterexample files and replay
export {
  TRACE_FORMAT,
  TraceFormatError,
  parseTrace,
  formatTrace,
  describeTrace,
} from './trace/format.ts';
export type { TraceFile, DescribeOptions } from './trace/format.ts';
export { readTraceFile, writeTraceFile, replayTrace, describeReplay } from './trace/replay.ts';
export type { ReplayOptions, ReplayResult, ReplayStatus } from './trace/replay.ts';
export { ModelChangedError } from './check/execute.ts';

// Reports
export { timelineOf } from './report/timeline.ts';
export type { Timeline, TimelineStep } from './report/timeline.ts';
export { renderText, renderState } from './report/text.ts';
export type { TextOptions } from './report/text.ts';
export { renderHtml, DEFAULT_COLUMNS } from './report/html.ts';
export type { HtmlOptions, HtmlColumn } from './report/html.ts';
export { renderMermaid, renderMermaidMarkdown } from './report/mermaid.ts';
export type { MermaidOptions } from './report/mermaid.ts';
export { renderJson, TIMELINE_FORMAT } from './report/json.ts';
export type { TimelineData, KubeList } from './report/json.ts';
export { renderYaml } from './report/yaml.ts';
export { tablesOf, formatTable, registerColumns, pathColumn } from './report/tables.ts';
export type { Table, Column, TableContext } from './report/tables.ts';
export { ansi, plain } from './report/style.ts';
export type { Style } from './report/style.ts';

/**
 * Replaying a counterexample file: re-execute its recorded action ids against the model and
 * tell whether the same property is violated at the same step.
 *
 * Against the variant it was found on, replay is strict: every recorded id must be enabled
 * when its turn comes, otherwise the model has changed since the trace was written
 * ({@link ModelChangedError}, "model changed at step N: expected ..., enabled now ...").
 * Against another variant (regression use: does the fix hold on the schedule that broke the
 * buggy one?) replay is lenient by default: a recorded id that is not enabled there (the fix
 * added a lock, say) is skipped and reported, and the default policy settles the world
 * afterwards, so the result is `holds` when the fix works.
 */
import { readFileSync } from 'node:fs';
import type { LogEntry } from '../engine/simulator.ts';
import { contextFor, target } from '../check/context.ts';
import { type Execution, type Violation, execute } from '../check/execute.ts';
import { type ModelDef, UsageError } from '../check/model.ts';
import { type TraceFile, TraceFormatError, formatTrace, parseTrace } from './format.ts';
import { type DefinitionsCheck, checkDefinitions } from './definitions.ts';
import { fsReason } from './fs-error.ts';
import { type WriteOutcome, writeFileSafely } from './write-file.ts';

/**
 * Options of {@link replayTrace}: `variant` to replay against, `strict`.
 *
 * @example
 * ```ts
 * const opts: ReplayOptions = { variant: 'v2', strict: false };
 * ```
 *
 * @category Counterexample files and replay
 */
export interface ReplayOptions {
  /** Replay against this variant instead of the recorded one. */
  readonly variant?: string;
  /**
   * Fail with ModelChangedError when a recorded id is not enabled (default: true on the
   * recorded variant, false on another one, where such ids are skipped).
   */
  readonly strict?: boolean;
}

/**
 * The status of a {@link ReplayResult}.
 *
 * @example
 * ```ts
 * const ok = (s: ReplayStatus) => s === 'reproduced';
 * ```
 *
 * @category Counterexample files and replay
 */
export type ReplayStatus =
  /** The same property was violated at the same step. */
  | 'reproduced'
  /** A violation, but of another property or at another step. */
  | 'different-violation'
  /** No violation: the world settled to a stable state where every property holds. */
  | 'holds'
  /** No violation, but the default policy did not reach a stable world within its budget. */
  | 'no-stable-state';

/**
 * What a replay found: status (`reproduced`, `different-violation`, `holds`,
 * `no-stable-state`), the violation, the steps executed and skipped, and the execution log.
 *
 * @example
 * ```ts
 * const r: ReplayResult = replayTrace(trace, { backup: backupModel });
 * for (const e of r.log) console.log(e.step, e.id, e.notes.join('; '));
 * ```
 *
 * @category Counterexample files and replay
 */
export interface ReplayResult {
  readonly model: string;
  /** The variant replayed against. */
  readonly variant: string;
  /** The variant the trace was recorded on. */
  readonly recordedVariant: string;
  readonly strict: boolean;
  readonly status: ReplayStatus;
  /** status === 'reproduced'. */
  readonly reproduced: boolean;
  /** The recorded property is violated again (at any step): what a regression check asks. */
  readonly stillViolated: boolean;
  /** The violation recorded in the trace. */
  readonly expected: Violation;
  /** The violation seen now, if any. */
  readonly violation?: Violation;
  /** Action ids executed now (recorded ones, then any the default policy added). */
  readonly steps: readonly string[];
  /** Recorded ids skipped by a lenient replay: 1-based position in the trace and id. */
  readonly skipped: ReadonlyArray<{ readonly step: number; readonly id: string }>;
  /** The execution log: per step its notes and read/write footprint. */
  readonly log: readonly LogEntry[];
  /** The recorded fingerprints of the recorded variant and property against the model now. */
  readonly definitions: DefinitionsCheck;
  readonly execution: Execution;
}

/**
 * Replay a trace against models known by name: re-execute its steps and say whether the same
 * property is violated at the same step (`reproduced`). Against the recorded variant replay
 * is strict (a step that is no longer enabled throws {@link ModelChangedError}); against
 * another variant (`{ variant: 'fixed' }`) it skips such steps, and `holds` means the fix
 * survives the schedule that broke the old version. Throws {@link UsageError} for an unknown
 * model, variant or property.
 *
 * @example
 * ```ts
 * const trace = readTraceFile('test/counterexamples/backup-v1.json');
 * expect(replayTrace(trace, { backup: backupModel }).status).toBe('reproduced');
 * expect(replayTrace(trace, { backup: backupModel }, { variant: 'v2' }).status).toBe('holds');
 * ```
 *
 * @category Counterexample files and replay
 */
export function replayTrace(trace: TraceFile, models: Readonly<Record<string, ModelDef<any>>>, opts: ReplayOptions = {}): ReplayResult {
  const model = Object.prototype.hasOwnProperty.call(models, trace.model) ? models[trace.model] : undefined;
  if (!model) {
    const known = Object.keys(models);
    throw new UsageError(`unknown model "${trace.model}" in trace (known: ${known.length ? known.join(', ') : 'none'})`);
  }
  const variant = opts.variant ?? trace.variant;
  if (!Object.prototype.hasOwnProperty.call(model.variants, variant)) {
    const which = opts.variant === undefined ? ' (recorded in the trace)' : '';
    throw new UsageError(`unknown variant "${variant}"${which} of model ${model.name} (known: ${Object.keys(model.variants).join(', ')})`);
  }
  const expected = trace.violation;
  // Check the recorded property only (plus engine failures, always checked), so a trace found
  // with a restricted property set replays the same way.
  const properties = expected.kind === 'engine' ? undefined : [expected.property];
  const t0 = target(model, { variant, engine: trace.engine, ...(properties ? { properties } : {}) });
  // Engine failures are checked anyway: for them keep only the `sometimes` goals.
  const t = expected.kind === 'engine' ? { ...t0, properties: t0.properties.filter((p) => p.kind === 'sometimes') } : t0;
  const ctx = contextFor(t, trace.scenario);
  const strict = opts.strict ?? variant === trace.variant;
  const skipped: Array<{ step: number; id: string }> = [];
  const execution = execute(
    ctx,
    { kind: 'ids', ids: trace.steps, strict },
    { log: true, onSkip: (index, id) => skipped.push({ step: index + 1, id }) },
  );
  const v = execution.violation;
  let status: ReplayStatus;
  if (v) status = v.property === expected.property && v.step === expected.step ? 'reproduced' : 'different-violation';
  else status = execution.end === 'no-stable-state' ? 'no-stable-state' : 'holds';
  return {
    model: model.name,
    variant,
    recordedVariant: trace.variant,
    strict,
    status,
    reproduced: status === 'reproduced',
    stillViolated: v?.property === expected.property,
    expected,
    ...(v ? { violation: v } : {}),
    steps: execution.ids,
    skipped,
    log: execution.log ?? [],
    execution,
    definitions: checkDefinitions(model, trace.variant, expected.kind === 'engine' ? undefined : expected.property, trace.definitions),
  };
}

/**
 * One line saying what a replay found.
 *
 * @example
 * ```ts
 * console.log(describeReplay(replayTrace(trace, { backup: backupModel }, { variant: 'v2' })));
 * // backup/v2 (recorded on v1): holds: no-orphan-snapshot is no longer violated (...)
 * ```
 *
 * @category Counterexample files and replay
 */
export function describeReplay(r: ReplayResult): string {
  const on = r.variant === r.recordedVariant ? `${r.model}/${r.variant}` : `${r.model}/${r.variant} (recorded on ${r.recordedVariant})`;
  const skipped = r.skipped.length ? `; ${r.skipped.length} recorded step${r.skipped.length === 1 ? '' : 's'} not enabled and skipped` : '';
  switch (r.status) {
    case 'reproduced':
      return `${on}: reproduced: ${r.expected.property} violated after step ${r.expected.step}: ${r.violation!.message}`;
    case 'different-violation':
      return `${on}: different violation: ${r.violation!.property} after step ${r.violation!.step} (expected ${r.expected.property} after step ${r.expected.step}): ${r.violation!.message}${skipped}`;
    case 'holds':
      return `${on}: holds: ${r.expected.property} is no longer violated (${r.steps.length} steps to a stable world${skipped})`;
    case 'no-stable-state':
      return `${on}: no violation, but no stable world within the settle budget (${r.steps.length} steps${skipped})`;
  }
}

/**
 * Read and validate a trace file. Every problem (unreadable, not JSON, wrong format version,
 * malformed field) is a {@link TraceFormatError} with a one-line message naming the file.
 *
 * @example
 * ```ts
 * const trace = readTraceFile('test/counterexamples/backup-v1.json');
 * ```
 *
 * @category Counterexample files and replay
 */
export function readTraceFile(path: string): TraceFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : fsReason(e);
    throw new TraceFormatError(`${path}: cannot read trace file (${why})`.replace(/\s*[\r\n]+\s*/g, ' '));
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return parseTrace(text, path);
}

/**
 * Write a trace file (creating its directory). A regular file appears whole or not at all; a
 * symbolic link is followed and stays a link; a device or FIFO is written in place (see
 * ./write-file.ts).
 *
 * @example
 * ```ts
 * writeTraceFile('test/counterexamples/backup-v1.json', report.counterexample!);
 * ```
 *
 * @category Counterexample files and replay
 */
export function writeTraceFile(path: string, trace: TraceFile): WriteOutcome {
  return writeFileSafely(path, formatTrace(trace));
}

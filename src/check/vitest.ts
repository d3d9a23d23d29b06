/**
 * kuberace in a test runner (vitest, or anything that runs fast-check properties).
 *
 * ```ts
 * // plain fast-check: a failure is fast-check's error, caused by a CounterexampleError
 * fc.assert(kuberaceProperty(model, { variant: 'fixed' }));
 * // or, to have the CounterexampleError thrown as it is:
 * const p = kuberaceProperty(model, { variant: 'fixed' });
 * fc.assert(p, { ...p.parameters, numRuns: 300 });
 * // @fast-check/vitest
 * test.prop(p.arbitraries, p.parameters)('fixed variant holds', p.predicate);
 * // a report from checkRandom / checkExhaustive
 * expectHolds(checkExhaustive(model, { variant: 'fixed' }), { complete: true });
 * ```
 *
 * A CounterexampleError's message names the violated property and its message, lists the
 * minimised steps and ends with `replay: npx kuberace replay <file>`; the trace file is
 * written to `.kuberace/` (option `dir`).
 *
 * Minimising is far more work than one run, so it is not done for each failure fast-check
 * meets while it shrinks: a failure carries a provisional message, and is finalised
 * (minimised, written, message rewritten) once it is known to be the last one — when
 * fast-check has tried every shrink of it (the property's own `fc.assert(p)`), or in the
 * reporter of `p.parameters` (any runner, including `test.prop` and `endOnFailure`).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fc from 'fast-check';
import type { Scenario } from '../engine/system.ts';
import { type TraceFile, describeTrace } from '../trace/format.ts';
import { writeTraceFile } from '../trace/replay.ts';
import { type TargetOptions, contextFor, target } from './context.ts';
import { type CheckContext, type Execution, type Violation, execute } from './execute.ts';
import { minimize } from './minimize.ts';
import type { ModelDef } from './model.ts';
import { modelSourceOf } from './model-source.ts';
import { shellCommand } from '../cli/shell.ts';
import { type CheckReport, contextCache, scenarioArbitrary, scenarioNameOf, scheduleArbitrary, toTrace } from './random.ts';

export const DEFAULT_TRACE_DIR = '.kuberace';
export const DEFAULT_REPLAY_COMMAND = 'npx kuberace replay';

/**
 * Options of {@link kuberaceProperty}: variant, engine, properties, scenario, maxSteps, the
 * trace directory (`dir`, default `.kuberace`; false writes none), noMinimize.
 *
 * @example
 * ```ts
 * const opts: KuberacePropertyOptions = { variant: 'v2', scenario: 'create-then-delete', dir: 'test/counterexamples/new' };
 * ```
 *
 * @category Checking
 */
export interface KuberacePropertyOptions extends TargetOptions {
  /** A fixed scenario (or a model scenario name); default: the model's scenario arbitrary. */
  readonly scenario?: Scenario | string;
  /** Longest random schedule before the default policy settles the world (default 60). */
  readonly maxSteps?: number;
  /** Where counterexample files go (default `.kuberace`, relative to the working directory); false: write none. */
  readonly dir?: string | false;
  /** Skip the id-level minimisation of the final counterexample. */
  readonly noMinimize?: boolean;
  /**
   * Shown before the file name (default `npx kuberace replay`, with `--model FILE` for a model
   * that is not bundled: see {@link replayCommandFor}).
   */
  readonly replayCommand?: string;
  /** The module that exports the model, for the replay command's `--model` (default: where defineModel was called). */
  readonly modelModule?: string;
}

interface Pending {
  readonly ctx: CheckContext & { scenarioName?: string };
  readonly run: Execution;
  readonly make: (run: Execution, found: TraceFile['found']) => TraceFile;
  readonly dir: string | false;
  readonly replayCommand: string;
  readonly noMinimize: boolean;
}

/**
 * A property violated, as a test failure: the message names the property and its message,
 * lists the minimised steps and ends with the trace file to replay; `trace` holds the
 * counterexample.
 *
 * @example
 * ```ts
 * try {
 *   expectHolds(checkRandom(backupModel, { variant: 'v1', seed: 1 }));
 * } catch (e) {
 *   if (e instanceof CounterexampleError) console.log(e.trace.violation.property, e.file);
 * }
 * ```
 *
 * @category Checking
 */
export class CounterexampleError extends Error {
  override readonly name = 'CounterexampleError';
  /** The counterexample (minimised once finalised). */
  trace: TraceFile;
  /** The trace file written, if any (as shown in the replay command). */
  file?: string;
  /** Minimised and written; false while fast-check may still find a smaller failure. */
  finalized: boolean;
  /** Why the trace file could not be written, if it could not. */
  writeError?: string;
  readonly #pending: Pending | undefined;
  readonly #replayCommand: string;
  #minimized: Execution | undefined;

  constructor(trace: TraceFile, opts: { file?: string; replayCommand?: string; pending?: Pending } = {}) {
    const provisional = opts.pending !== undefined;
    const text = describeTrace(trace, { file: opts.file, replayCommand: opts.replayCommand });
    super(provisional ? `${text}\n(provisional: not minimised and no trace file written; it is finalised when fast-check ends its shrinking or by the kuberace reporter)` : text);
    this.trace = trace;
    if (opts.file !== undefined) this.file = opts.file;
    this.finalized = !provisional;
    this.#pending = opts.pending;
    this.#replayCommand = opts.replayCommand ?? opts.pending?.replayCommand ?? DEFAULT_REPLAY_COMMAND;
  }

  get violation(): Violation {
    return this.trace.violation;
  }

  /** The replay command line, once a file has been written. */
  get replayCommand(): string | undefined {
    return this.file === undefined ? undefined : `${this.#replayCommand} ${this.file}`;
  }

  /**
   * Minimise (once), write the trace file and rewrite the message. Idempotent; `found` adds
   * fast-check's seed and path when known (the file is then rewritten with them).
   */
  finalize(found?: { seed?: number; path?: string }): this {
    const p = this.#pending;
    if (!p) return this;
    if (this.finalized && !found) return this;
    if (!this.#minimized) this.#minimized = p.noMinimize ? p.run : minimize(p.ctx, p.run);
    const prev = this.trace.found;
    this.trace = p.make(this.#minimized, { mode: 'random', ...prev, ...found, shrunkFrom: p.run.ids.length });
    if (p.dir !== false) {
      // A file that cannot be written must not hide the counterexample: say so in the message.
      try {
        this.file = writeCounterexample(this.trace, p.dir);
        delete this.writeError;
      } catch (e) {
        this.writeError = (e as Error).message;
      }
    }
    this.finalized = true;
    const text = describeTrace(this.trace, { file: this.file, replayCommand: p.replayCommand });
    this.setMessage(this.writeError ? `${text}\n(could not write the trace file: ${this.writeError})` : text);
    return this;
  }

  private setMessage(message: string): void {
    const frames = (this.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
    this.message = message;
    this.stack = [`${this.name}: ${message}`, ...frames].join('\n');
  }
}

/**
 * The property {@link kuberaceProperty} returns, with `arbitraries`, `predicate` and
 * `parameters` for runners such as `test.prop`.
 *
 * @example
 * ```ts
 * import { test } from '@fast-check/vitest';
 * const p: KuberaceProperty = kuberaceProperty(backupModel, { variant: 'v2' });
 * test.prop(p.arbitraries, p.parameters)('v2 holds', p.predicate);
 * ```
 *
 * @category Checking
 */
export interface KuberaceProperty extends fc.IPropertyWithHooks<[Scenario, number[]]> {
  /** For `test.prop(p.arbitraries, p.parameters)(name, p.predicate)`. */
  readonly arbitraries: [fc.Arbitrary<Scenario>, fc.Arbitrary<number[]>];
  /** Runs one execution; throws a (provisional) CounterexampleError on a violation. */
  readonly predicate: (scenario: Scenario, choices: number[]) => void;
  /** fast-check parameters whose reporter finalises the counterexample and throws it as it is. */
  readonly parameters: fc.Parameters<[Scenario, number[]]>;
}

/**
 * A fast-check property over a model's scenarios and schedules, for `fc.assert` or
 * `@fast-check/vitest`'s `test.prop`: for every scenario (from the model's generator, or
 * `opts.scenario`) and every schedule, no property of the model is violated. A failure is a
 * {@link CounterexampleError}: the property, the minimised steps and the trace file written to
 * `.kuberace/`.
 *
 * @example
 * ```ts
 * import * as fc from 'fast-check';
 * test('v2 never leaks a snapshot', () => {
 *   const p = kuberaceProperty(backupModel, { variant: 'v2' });
 *   fc.assert(p, { ...p.parameters, numRuns: 300 });
 * });
 * ```
 *
 * @category Checking
 */
export function kuberaceProperty(model: ModelDef<any>, opts: KuberacePropertyOptions = {}): KuberaceProperty {
  const t = target(model, opts);
  const ctxOf = contextCache(t);
  const fixed = opts.scenario !== undefined ? contextFor(t, opts.scenario) : undefined;
  const arbitraries: [fc.Arbitrary<Scenario>, fc.Arbitrary<number[]>] = [
    fixed ? fc.constant(fixed.scenario) : scenarioArbitrary(t),
    scheduleArbitrary(opts.maxSteps),
  ];
  const dir = opts.dir === undefined ? DEFAULT_TRACE_DIR : opts.dir;
  const replayCommand = opts.replayCommand ?? replayCommandFor(model, opts.modelModule);
  const predicate = (sc: Scenario, choices: number[]): void => {
    const ctx = { ...ctxOf(sc), scenarioName: fixed?.scenarioName ?? scenarioNameOf(model, sc) };
    const run = execute(ctx, { kind: 'choices', choices: [...choices] });
    if (!run.violation) return;
    const make = (r: Execution, found: TraceFile['found']) => toTrace(t, ctx, r, found);
    const trace = make(run, { mode: 'random' });
    throw new CounterexampleError(trace, { replayCommand, pending: { ctx, run, make, dir, replayCommand, noMinimize: opts.noMinimize === true } });
  };
  const parameters: fc.Parameters<[Scenario, number[]]> = { reporter: kuberaceReporter };
  return withFinalizingShrink(fc.property(arbitraries[0], arbitraries[1], predicate), { arbitraries, predicate, parameters });
}

/**
 * A fast-check reporter that finalises a {@link CounterexampleError} (minimised, with
 * fast-check's seed and path, trace file written) and throws it as it is; any other failure is
 * reported the way `fc.assert` does. {@link kuberaceProperty}'s `parameters` already use it.
 *
 * @example
 * ```ts
 * fc.assert(p, { reporter: kuberaceReporter, numRuns: 100 });
 * ```
 *
 * @category Checking
 */
export function kuberaceReporter(details: fc.RunDetails<any>): void {
  if (!details.failed) return;
  const err = details.errorInstance;
  if (err instanceof CounterexampleError) {
    throw err.finalize({ seed: details.seed, ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}) });
  }
  throw new Error(fc.defaultReportMessage(details) ?? 'property failed', { cause: err ?? undefined });
}

type Ts = [Scenario, number[]];
type Extra = Pick<KuberaceProperty, 'arbitraries' | 'predicate' | 'parameters'>;

/**
 * Wrap a property so that the failure fast-check ends on gets finalised: the runner only
 * shrinks the latest failure, and it stops when a failure's shrink stream runs out without
 * another failure — so that failure is the counterexample it will report.
 */
function withFinalizingShrink(base: fc.IPropertyWithHooks<Ts>, extra: Extra): KuberaceProperty {
  const failures = new WeakMap<object, CounterexampleError>();
  const prop: KuberaceProperty = {
    ...extra,
    isAsync: () => false,
    generate: (mrng, runId) => base.generate(mrng, runId),
    shrink(value) {
      const inner = base.shrink(value);
      const failure = failures.get(value.value_);
      return fc.stream(
        (function* () {
          yield* inner;
          failure?.finalize();
        })(),
      );
    },
    run(v) {
      const out = base.run(v);
      if (out && 'error' in out && out.error instanceof CounterexampleError) failures.set(v, out.error);
      return out;
    },
    runBeforeEach: () => base.runBeforeEach(),
    runAfterEach: () => base.runAfterEach(),
    beforeEach: ((hook: fc.PropertyHookFunction) => withFinalizingShrink(base.beforeEach(hook), extra)) as unknown as KuberaceProperty['beforeEach'],
    afterEach: ((hook: fc.PropertyHookFunction) => withFinalizingShrink(base.afterEach(hook), extra)) as unknown as KuberaceProperty['afterEach'],
  };
  return prop;
}

/**
 * Options of {@link expectHolds}: `dir` for the trace file, `complete`, `reached`.
 *
 * @example
 * ```ts
 * const strict: ExpectHoldsOptions = { complete: true, reached: ['deleted-while-reconciling'], dir: false };
 * ```
 *
 * @category Checking
 */
export interface ExpectHoldsOptions {
  /** Where to write the counterexample (default `.kuberace`); false: write none. */
  readonly dir?: string | false;
  /** Shown before the file name (default: {@link replayCommandFor} the report's model). */
  readonly replayCommand?: string;
  /** The module that exports the model, for the replay command's `--model` (default: where defineModel was called). */
  readonly modelModule?: string;
  /**
   * Also require an exhaustive search to be complete (not cut by depth, states or time) and to
   * have reached a stable state: `atStable` properties are checked only there, so a search
   * with none passes them vacuously. For a check of `always` properties only, where that is
   * fine, pass `complete: 'ignore-stable'`.
   */
  readonly complete?: boolean | 'ignore-stable';
  /** Also require these `sometimes` goals (or all of them) to have been reached, so the check is not vacuous. */
  readonly reached?: 'all' | readonly string[];
}

/**
 * Throw a readable error unless a report holds: a {@link CounterexampleError} (trace file
 * written to `.kuberace/`) for a violation; with `complete: true` also when an exhaustive
 * search was cut short; with `reached` when `sometimes` goals were not reached.
 *
 * @example
 * ```ts
 * test('v2 is proven for create-then-delete', () => {
 *   expectHolds(checkExhaustive(backupModel, { variant: 'v2' }), { complete: true, reached: 'all' });
 * });
 * ```
 *
 * @category Checking
 */
export function expectHolds(report: CheckReport, opts: ExpectHoldsOptions = {}): void {
  const who = `${report.model}/${report.variant} (${report.mode})`;
  if (report.result === 'violated') {
    const trace = report.counterexample;
    if (!trace) {
      const v = report.violation;
      throw new Error(`${who}: violated${v ? `: ${v.property}: ${v.message}` : ''} (no counterexample recorded)`);
    }
    const dir = opts.dir === undefined ? DEFAULT_TRACE_DIR : opts.dir;
    const file = dir === false ? undefined : writeCounterexample(trace, dir);
    throw new CounterexampleError(trace, { file, replayCommand: opts.replayCommand ?? replayCommandFor(report.model, opts.modelModule) });
  }
  if (opts.complete && report.stats.complete !== true) {
    const s = report.stats;
    const what = report.mode === 'exhaustive' ? `${s.states} states, ${s.transitions} transitions, depth ${s.maxDepth}` : 'random search is never complete';
    throw new Error(`${who}: holds, but the search was not complete (${what})`);
  }
  if (opts.complete === true && report.mode === 'exhaustive' && report.stats.stableStates === 0) {
    throw new Error(`${who}: holds, but vacuously for atStable properties: the search reached no stable state (${report.stats.states} states); widen its bounds, or pass complete: 'ignore-stable' when only always properties matter`);
  }
  if (opts.reached) {
    const want = opts.reached === 'all' ? Object.keys(report.coverage) : opts.reached;
    const missing = want.filter((g) => report.coverage[g] !== true);
    if (missing.length) throw new Error(`${who}: holds, but never reached: ${missing.join(', ')}`);
  }
}

/**
 * Write a counterexample as `<dir>/<model>-<variant>-<property>-<hash>.json` (the hash of its
 * scenario and steps, so the same counterexample keeps its name) and return the path to show:
 * relative to the working directory when inside it.
 *
 * @example
 * ```ts
 * const file = writeCounterexample(report.counterexample!, 'test/counterexamples');
 * ```
 *
 * @category Checking
 */
export function writeCounterexample(trace: TraceFile, dir: string = DEFAULT_TRACE_DIR): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([trace.model, trace.variant, trace.engine, trace.scenario, trace.steps]))
    .digest('hex')
    .slice(0, 10);
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._+-]+/g, '_');
  const name = `${safe(trace.model)}-${safe(trace.variant)}-${safe(trace.violation.property)}-${hash}.json`;
  const abs = resolve(dir, name);
  writeTraceFile(abs, trace);
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? join(rel) : abs;
}

/** The bundled models' directory: their traces replay with no --model. */
const BUNDLED_MODELS = fileURLToPath(new URL('../../models/', import.meta.url));
const TEST_FILE = /\.(test|spec)\.[cm]?[jt]sx?$/;
const CONFIG_FILES = ['kuberace.config.ts', 'kuberace.config.mts', 'kuberace.config.js', 'kuberace.config.mjs'];

/**
 * The command that replays a model's counterexamples from the working directory (the file name
 * goes after it): `npx kuberace replay` for a bundled model, `npx kuberace replay --model FILE`
 * for a user's model, FILE being `modelModule` or the file {@link defineModel} was called from
 * (relative to the working directory). A model defined in a test file, or not with defineModel,
 * has no module the CLI can load: then the command relies on a `kuberace.config.ts` listing it
 * (printed as is when one exists, and with a `--model <module exporting "NAME">` placeholder
 * otherwise).
 *
 * @example
 * ```ts
 * replayCommandFor(replicasetModel); // 'npx kuberace replay --model models/replicaset.ts'
 * replayCommandFor(replicasetModel, './src/rs-model.ts'); // 'npx kuberace replay --model ./src/rs-model.ts'
 * ```
 *
 * @category Checking
 */
export function replayCommandFor(model: ModelDef<any> | string, modelModule?: string): string {
  const name = typeof model === 'string' ? model : model.name;
  const file = modelModule ?? modelSourceOf(model);
  if (modelModule === undefined && file !== undefined && (file.startsWith(BUNDLED_MODELS) || file.startsWith(BUNDLED_MODELS.replaceAll('/', sep)))) return DEFAULT_REPLAY_COMMAND;
  if (file === undefined || (modelModule === undefined && TEST_FILE.test(file))) {
    if (CONFIG_FILES.some((f) => existsSync(resolve(f)))) return DEFAULT_REPLAY_COMMAND;
    return `${DEFAULT_REPLAY_COMMAND} --model <module exporting "${name}">`;
  }
  const rel = isAbsolute(file) ? relative(process.cwd(), file) : file;
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
  return shellCommand(['npx', 'kuberace', 'replay', '--model', shown]);
}

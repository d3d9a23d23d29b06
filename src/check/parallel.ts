/**
 * Checks split over worker threads, and the merge of sharded reports.
 *
 * A model is referenced by module and export name ({@link ModelRef}) so that each worker
 * (./worker.ts, run with `--import tsx`) can import it. Worker i runs shard
 * `{ index: i, count: n }` (./shard.ts) — exactly what a CI matrix job runs with
 * `--shard i+1/n` and no workers; {@link mergeReports} merges either way.
 *
 * - Random: numRuns is split across the workers, worker i uses seed + i. The first violation
 *   reported wins (the other workers are stopped) and is minimised here in the main thread.
 *   Which worker is first depends on timing; each worker's own search is deterministic.
 * - Exhaustive, `split: 'frontier'` (default): every worker runs the same breadth-first
 *   phase, then the workers take its frontier nodes one at a time and share one visited set
 *   (./shared-visited.ts), so the merged state count is exact.
 * - Exhaustive, `split: 'root'` (and CI shards): worker i explores the root branches b with
 *   b % n === i, each with its own visited set. The merged state and transition counts are
 *   sums, so the root and any state reachable from several root branches are counted once per
 *   shard that reached it: they overstate the distinct states. The merged search is complete
 *   only if every shard is. By
 *   default the first violation stops the others; with `shortest` every shard finishes and
 *   the shortest counterexample is kept.
 */
import { freshSeed, wallClockMs } from './stopwatch.ts';
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { contextFor, target } from './context.ts';
import { ModelChangedError, execute } from './execute.ts';
import type { ExhaustiveOptions } from './exhaustive.ts';
import { minimize } from './minimize.ts';
import { type ModelDef, UsageError } from './model.ts';
import { isModelDef, modelsOfModule } from './model-module.ts';
import { type CheckReport, type RandomOptions, toTrace } from './random.ts';
import { type Shard, checkShard } from './shard.ts';
import { SharedSearch, type SharedSearchBuffers } from './shared-visited.ts';

/**
 * Where workers find a model: a module (path, relative to the working directory, or file URL)
 * and its export, or the name of one of the models it offers (default export, named exports
 * or a config's list, ./model-module.ts).
 */
export interface ModelRef {
  readonly module: string | URL;
  /** Export name (default `default`); ignored when `model` is given. */
  readonly export?: string;
  /** The model's name, looked up among every model the module offers. */
  readonly model?: string;
}

export interface ParallelOptions {
  /** Worker threads (>= 1). */
  readonly workers: number;
  /**
   * Exhaustive: how the workers split the work. `frontier` (default, not with `shortest`):
   * every worker runs the same breadth-first phase, then the workers take its frontier nodes
   * one at a time and share one visited set, so distinct states are counted once and a large
   * subtree does not leave the other workers idle (no sleep sets in this phase). `root`:
   * worker i explores the root branches b with b % n === i, each with its own visited set.
   */
  readonly split?: 'frontier' | 'root';
  /** Aborting stops the workers; the promise then rejects with an {@link InterruptedError}. */
  readonly signal?: AbortSignal;
}

/**
 * A worker ran out of JS heap. V8's heap limit (by default about a quarter of the memory, at
 * most ~4 GB) applies to every worker thread; `NODE_OPTIONS=--max-old-space-size=MB` raises it.
 */
export class OutOfMemoryError extends Error {
  override readonly name = 'OutOfMemoryError';
}

/** A parallel check stopped through its abort signal (Ctrl-C in the CLI). */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

/** What workers report while they run: exhaustive counts, and for random search the runs done. */
type Progress = { states: number; transitions: number; depth: number; elapsedMs: number; runs?: number; frontier?: number; completeDepth?: number; phase?: 'bfs' | 'dfs' };

/** Progress of a merged parallel check: the sums over the workers that reported. */
export type ParallelProgress = Progress;

/** @internal What the main thread sends a worker. */
export interface WorkerRequest {
  /** The TypeScript worker module (file URL), imported by ./worker-boot.mjs. */
  readonly entry: string;
  readonly kind: 'random' | 'exhaustive';
  /** The model's reference, its module as a specifier. */
  readonly ref: { readonly module: string; readonly export?: string; readonly model?: string };
  readonly options: Record<string, unknown>;
  readonly shard: Shard;
  readonly progress: boolean;
  /** Frontier split: this worker's number and the shared search. */
  readonly shared?: { readonly worker: number; readonly buffers: SharedSearchBuffers };
}

/** @internal What a worker sends back. */
export type WorkerMessage =
  | { readonly type: 'report'; readonly report: CheckReport }
  | { readonly type: 'progress'; readonly progress: Progress }
  | { readonly type: 'error'; readonly error: { readonly name: string; readonly message: string; readonly stack?: string } };

/** The module specifier of a model reference, as a file URL for paths. */
export function moduleSpecifier(ref: ModelRef): string {
  const m = ref.module;
  if (m instanceof URL) return m.href;
  if (/^[a-z][a-z0-9+.-]*:/i.test(m) && !/^[a-z]:[\\/]/i.test(m)) return m;
  return pathToFileURL(isAbsolute(m) ? m : resolve(process.cwd(), m)).href;
}

/** Import a referenced model (in this thread). */
export async function loadModel(ref: ModelRef): Promise<ModelDef<any>> {
  const spec = moduleSpecifier(ref);
  const name = ref.export ?? 'default';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`cannot import model module ${spec}: ${(e as Error).message}`.split('\n')[0]);
  }
  if (ref.model !== undefined) {
    const found = modelsOfModule(mod);
    const hit = found.find((f) => f.model.name === ref.model);
    if (!hit) throw new UsageError(`${spec} has no model "${ref.model}" (models: ${found.map((f) => f.model.name).join(', ') || 'none'})`);
    return hit.model;
  }
  const model = mod[name];
  if (!isModelDef(model)) {
    throw new UsageError(`${spec} has no model export "${name}" (exports: ${Object.keys(mod).join(', ') || 'none'})`);
  }
  return model;
}

/** Shard k of n inside an outer shard (a CI job that also uses workers): branches stay disjoint and cover the outer shard. */
export function subShard(outer: Shard | undefined, k: number, n: number): Shard {
  const o = outer ?? { index: 0, count: 1 };
  return checkShard({ index: o.index + o.count * k, count: o.count * n });
}

/** Random search over worker threads; see the module comment. */
export async function checkRandomParallel(ref: ModelRef, opts: RandomOptions & ParallelOptions): Promise<CheckReport> {
  const started = wallClockMs();
  const model = await loadModel(ref);
  const t = target(model, opts); // bad variant or property names fail here, once
  const n = workerCount(opts.workers);
  const { workers: _w, noMinimize, shard: outer, onProgress, signal, ...rest } = opts;
  const seed = opts.seed ?? freshSeed();
  const options = serialisable({ ...rest, seed });
  const progress = onProgress ? (p: Progress) => onProgress({ runs: p.runs ?? 0, steps: 0, elapsedMs: p.elapsedMs }) : undefined;
  const reports = await runShards(ref, 'random', options, n, outer, (r) => r.result === 'violated', progress, signal);
  const merged = mergeReports(reports.done);
  const first = reports.winner;
  let result: CheckReport = merged;
  if (first?.counterexample) {
    // Minimise the winner here: replay its steps strictly, then remove what is not needed.
    const trace = first.counterexample;
    const ctx = { ...contextFor(t, trace.scenario), scenarioName: trace.scenarioName };
    let run = execute(ctx, { kind: 'ids', ids: trace.steps, strict: true });
    if (run.violation?.property !== trace.violation.property) {
      throw new Error(`worker counterexample did not replay in the main thread (got ${run.violation?.property ?? 'no violation'}, expected ${trace.violation.property}): is the model deterministic?`);
    }
    const shrunkFrom = run.ids.length;
    if (!noMinimize) run = minimize(ctx, run);
    const counterexample = toTrace(t, ctx, run, { ...trace.found, mode: 'random', shrunkFrom });
    result = { ...merged, result: 'violated', violation: run.violation, counterexample };
  }
  return { ...result, stats: { ...result.stats, seed, durationMs: wallClockMs() - started } };
}

/** Exhaustive search over worker threads, one root-branch shard each; see the module comment. */
export async function checkExhaustiveParallel(ref: ModelRef, opts: ExhaustiveOptions & ParallelOptions): Promise<CheckReport> {
  const started = wallClockMs();
  const model = await loadModel(ref);
  target(model, opts);
  const n = workerCount(opts.workers);
  const { workers: _w, shard: outer, onProgress, signal, split, ...rest } = opts;
  const stopEarly = opts.stopAtFirst !== false && !opts.shortest;
  if (opts.por === 'source-dpor' && n > 1) throw new UsageError('source-DPOR runs in one worker');
  // Source-DPOR keeps its own visited set and backtrack sets: one worker, nothing shared.
  const frontier = (split ?? 'frontier') === 'frontier' && !opts.shortest && opts.por !== 'source-dpor';
  const shared = frontier ? SharedSearch.create(opts.maxStates ?? 2_000_000).buffers : undefined;
  const reports = await runShards(ref, 'exhaustive', serialisable(rest), n, outer, (r) => stopEarly && r.result === 'violated', onProgress, signal, shared);
  const merged = mergeReports(reports.done);
  // Shards stopped early did not finish: the merged search is not complete.
  const complete = merged.stats.complete === true && reports.done.length === n;
  return { ...merged, stats: { ...merged.stats, complete, durationMs: wallClockMs() - started } };
}

/**
 * Merge the reports of the shards of one check (workers or CI matrix jobs): violated if any
 * is (keeping the shortest counterexample, the earliest on ties); runs, steps, states and
 * transitions summed (states and transitions overcount shared states, see the module
 * comment); maxDepth the deepest; complete only if every report is; durationMs the longest;
 * a `sometimes` goal reached if any shard reached it.
 */
export function mergeReports(reports: readonly CheckReport[]): CheckReport {
  if (reports.length === 0) throw new UsageError('no reports to merge');
  const [first] = reports;
  for (const r of reports) {
    if (r.model !== first.model || r.variant !== first.variant || r.mode !== first.mode) {
      throw new UsageError(`cannot merge reports of different checks: ${first.model}/${first.variant} (${first.mode}) and ${r.model}/${r.variant} (${r.mode})`);
    }
  }
  let winner: CheckReport | undefined;
  for (const r of reports) {
    if (r.result !== 'violated') continue;
    const len = (x: CheckReport) => x.counterexample?.steps.length ?? Infinity;
    if (!winner || len(r) < len(winner)) winner = r;
  }
  const sum = (f: (s: CheckReport['stats']) => number | undefined): number | undefined => {
    let total: number | undefined;
    for (const r of reports) {
      const v = f(r.stats);
      if (v !== undefined) total = (total ?? 0) + v;
    }
    return total;
  };
  const max = (f: (s: CheckReport['stats']) => number | undefined): number | undefined => {
    let m: number | undefined;
    for (const r of reports) {
      const v = f(r.stats);
      if (v !== undefined) m = Math.max(m ?? v, v);
    }
    return m;
  };
  const coverage: Record<string, boolean> = {};
  for (const r of reports) for (const [goal, hit] of Object.entries(r.coverage)) coverage[goal] = coverage[goal] === true || hit;
  const shards = reports.reduce((k, r) => k + (r.stats.shards ?? 1), 0);
  const stats: CheckReport['stats'] = {
    steps: sum((s) => s.steps) ?? 0,
    durationMs: max((s) => s.durationMs) ?? 0,
    shards,
    ...defined('runs', sum((s) => s.runs)),
    ...defined('states', sum((s) => s.states)),
    ...defined('transitions', sum((s) => s.transitions)),
    ...defined('maxDepth', max((s) => s.maxDepth)),
    ...defined('statesWithoutPor', sum((s) => s.statesWithoutPor)),
    ...(reports.some((r) => r.stats.complete !== undefined) ? { complete: reports.every((r) => r.stats.complete === true) } : {}),
    ...defined('lagBound', max((s) => s.lagBound)),
    ...(first.stats.lagUnit ? { lagUnit: first.stats.lagUnit } : {}),
    ...defined('lagPruned', sum((s) => s.lagPruned)),
    ...defined('symmetryRenamings', max((s) => s.symmetryRenamings)),
    ...defined('symmetryChecked', sum((s) => s.symmetryChecked)),
    ...(reports.length === 1 && first.stats.dpor ? { dpor: first.stats.dpor } : {}),
    ...(reports.some((r) => r.stats.completeWithinLag !== undefined) ? { completeWithinLag: reports.every((r) => r.stats.completeWithinLag === true) } : {}),
    // Summed: shared-frontier workers never expand one state twice; shards may (an upper bound, and zero only if none saw one).
    ...(reports.some((r) => r.stats.stableStates !== undefined) ? { stableStates: reports.reduce((n, r) => n + (r.stats.stableStates ?? 0), 0) } : {}),
    ...(reports.length === 1 && first.stats.seed !== undefined ? { seed: first.stats.seed } : {}),
    // Every shard must have covered a depth for the merged search to cover it.
    ...(reports.every((r) => r.stats.completeDepth !== undefined) ? { completeDepth: Math.min(...reports.map((r) => r.stats.completeDepth!)) } : {}),
    ...stoppedByOf(reports),
  };
  const base = { model: first.model, variant: first.variant, mode: first.mode, stats, coverage };
  if (!winner) return { ...base, result: 'holds' };
  return {
    ...base,
    result: 'violated',
    ...(winner.violation ? { violation: winner.violation } : {}),
    ...(winner.counterexample ? { counterexample: winner.counterexample } : {}),
  };
}

function stoppedByOf(reports: readonly CheckReport[]): Pick<CheckReport['stats'], 'stoppedBy'> {
  const r = reports.find((x) => x.stats.stoppedBy !== undefined);
  return r ? { stoppedBy: r.stats.stoppedBy } : {};
}

function defined<K extends string>(key: K, v: number | undefined): { [k in K]?: number } {
  return (v === undefined ? {} : { [key]: v }) as { [k in K]?: number };
}

function workerCount(n: number): number {
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`bad worker count ${n}: must be a whole number >= 1`);
  return n;
}

/** Drop what cannot cross a thread boundary (callbacks). */
function serialisable(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (typeof v !== 'function' && v !== undefined) out[k] = v;
  return out;
}

let tsxSpecifier: string | undefined;
/** `--import` target that lets a worker load TypeScript: tsx as resolved from this package, else by name. */
function tsxImport(): string {
  if (tsxSpecifier === undefined) {
    try {
      tsxSpecifier = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    } catch {
      tsxSpecifier = 'tsx';
    }
  }
  return tsxSpecifier;
}

/**
 * Workers start in ./worker-boot.mjs, which imports ./worker.ts through tsx's API: on Node 20
 * tsx registers its `--import` hooks only in the main thread, so `--import tsx` (kept, for
 * Node versions where it does apply) cannot load a .ts entry by itself.
 */
const WORKER_BOOT = new URL('./worker-boot.mjs', import.meta.url);
const WORKER_ENTRY = new URL('./worker.ts', import.meta.url).href;

/**
 * Start n workers on shards of `outer`; resolve when all are done, or as soon as one report
 * satisfies `stop` (the others are terminated).
 */
function runShards(
  ref: ModelRef,
  kind: 'random' | 'exhaustive',
  options: Record<string, unknown>,
  n: number,
  outer: Shard | undefined,
  stop: (r: CheckReport) => boolean,
  onProgress: ((p: Progress) => void) | undefined,
  signal: AbortSignal | undefined,
  shared?: SharedSearchBuffers,
): Promise<{ done: CheckReport[]; winner?: CheckReport }> {
  const wref = { module: moduleSpecifier(ref), ...(ref.export !== undefined ? { export: ref.export } : {}), ...(ref.model !== undefined ? { model: ref.model } : {}) };
  const progress: Array<Progress | undefined> = new Array(n).fill(undefined);
  return new Promise((resolvePromise, reject) => {
    const workers: Worker[] = [];
    const done: Array<CheckReport | undefined> = new Array(n).fill(undefined);
    let finished = 0;
    let settled = false;
    const onAbort = () => finish(new InterruptedError('interrupted'));
    const finish = (err?: Error, winner?: CheckReport) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      for (const w of workers) void w.terminate();
      if (err) reject(err);
      else resolvePromise({ done: done.filter((r): r is CheckReport => r !== undefined), ...(winner ? { winner } : {}) });
    };
    if (signal?.aborted) return finish(new InterruptedError('interrupted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    for (let i = 0; i < n; i++) {
      // Frontier split: every worker covers the whole (outer) shard, sharing the visited set.
      const request: WorkerRequest = {
        entry: WORKER_ENTRY,
        kind,
        ref: wref,
        options,
        shard: shared ? checkShard(outer ?? { index: 0, count: 1 }) : subShard(outer, i, n),
        progress: onProgress !== undefined,
        ...(shared ? { shared: { worker: i, buffers: shared } } : {}),
      };
      const w = new Worker(WORKER_BOOT, { workerData: request, execArgv: ['--import', tsxImport()] });
      workers.push(w);
      let reported = false;
      w.on('message', (m: WorkerMessage) => {
        if (settled) return;
        if (m.type === 'progress') {
          progress[i] = m.progress;
          const ps = progress.filter((p): p is Progress => p !== undefined);
          onProgress?.({
            states: ps.reduce((a, p) => a + p.states, 0),
            transitions: ps.reduce((a, p) => a + p.transitions, 0),
            depth: Math.max(...ps.map((p) => p.depth)),
            elapsedMs: Math.max(...ps.map((p) => p.elapsedMs)),
            ...(ps.some((p) => p.runs !== undefined) ? { runs: ps.reduce((a, p) => a + (p.runs ?? 0), 0) } : {}),
            ...(ps.every((p) => p.frontier !== undefined) ? { frontier: ps.reduce((a, p) => a + p.frontier!, 0) } : {}),
            ...(ps.every((p) => p.completeDepth !== undefined) ? { completeDepth: Math.min(...ps.map((p) => p.completeDepth!)) } : {}),
            ...(ps.length === 1 && ps[0].phase ? { phase: ps[0].phase } : {}),
          });
          return;
        }
        reported = true;
        if (m.type === 'error') return finish(rebuildError(m.error, i));
        done[i] = m.report;
        finished++;
        if (stop(m.report)) return finish(undefined, m.report);
        if (finished === n) finish();
      });
      w.on('error', (e) => {
        if ((e as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY') return finish(new OutOfMemoryError(`kuberace worker ${i} ran out of JS heap`));
        finish(rebuildError({ name: e.name, message: e.message, stack: e.stack }, i));
      });
      w.on('exit', (code) => {
        if (!reported && !settled) finish(new Error(`kuberace worker ${i} exited with code ${code} before reporting`));
      });
    }
  });
}

function rebuildError(e: { name: string; message: string; stack?: string }, worker: number): Error {
  let err: Error;
  if (e.name === 'UsageError') err = new UsageError(e.message);
  else if (e.name === 'ModelChangedError') err = new ModelChangedError(e.message);
  else {
    err = new Error(`kuberace worker ${worker}: ${e.name}: ${e.message}`);
    if (e.stack) err.stack = `${err.name}: ${err.message}\n--- in the worker ---\n${e.stack}`;
  }
  return err;
}

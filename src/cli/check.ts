/** `kuberace check` (random search) and `kuberace explore` (exhaustive search). */
import { type ModelDef, UsageError, propertyOf } from '../check/model.ts';
import { freshSeed } from '../check/stopwatch.ts';
import { type ExploreProgress, checkExhaustive } from '../check/exhaustive.ts';
import { checkExhaustiveParallel, checkRandomParallel } from '../check/parallel.ts';
import { type CheckReport, checkRandom } from '../check/random.ts';
import { parseShard } from '../check/shard.ts';
import { renderText } from '../report/text.ts';
import { type OptionSpec, bool, int, oneOf, parseFlags, secondsFlag, str, strs } from './args.ts';
import { formatTrace } from '../trace/format.ts';
import { checkedProperties, namedTrace, reportJson, saveTraceWithFallback, scenarioChoice, timelineOf } from './common.ts';
import { shellCommand } from './shell.ts';
import { type Budgets, describeCoverage, describeLagBound, searchCoverage } from './budget.ts';
import { EXIT_HOLDS, EXIT_INCOMPLETE, EXIT_INTERRUPTED } from './exit-codes.ts';
import { INTERRUPTED, OUT_OF_MEMORY, type SearchStop, runSearch } from './interrupt.ts';
import { getHeapStatistics } from 'node:v8';
import { rerunCommand } from './rerun.ts';
import { type CliIo, stdoutStyle } from './io.ts';
import type { ModelCatalog } from './models.ts';
import { ProgressLine, formatCount, formatDuration } from './progress.ts';

export const DEFAULT_TRACE_FILE = 'kuberace-counterexample.json';

export const CHECK_OPTIONS: OptionSpec = {
  variant: { type: 'string' },
  runs: { type: 'string' },
  seed: { type: 'string' },
  'max-steps': { type: 'string' },
  scenario: { type: 'string' },
  property: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  'no-minimize': { type: 'boolean' },
  strategy: { type: 'string' },
  path: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const EXPLORE_OPTIONS: OptionSpec = {
  variant: { type: 'string' },
  scenario: { type: 'string' },
  'max-depth': { type: 'string' },
  'max-states': { type: 'string' },
  'max-time': { type: 'string' },
  'max-lag': { type: 'string' },
  'lag-unit': { type: 'string' },
  'exact-time': { type: 'boolean' },
  shortest: { type: 'boolean' },
  'no-por': { type: 'boolean' },
  por: { type: 'string' },
  symmetry: { type: 'boolean' },
  clock: { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  property: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Print a finished check: the JSON object, or the text report / summary. Returns the exit code. */
function finish(
  io: CliIo,
  catalog: ModelCatalog,
  command: string,
  report: CheckReport,
  opts: { json: boolean; out?: string; scenarioName?: string; properties: string[]; budgets?: Budgets; rerun?: string },
): number {
  const style = stdoutStyle(io);
  if (report.result === 'violated' && report.counterexample) {
    const trace = report.counterexample;
    const timeline = timelineOf(catalog.modelOf(trace.model, command), trace);
    const requested = opts.out ?? DEFAULT_TRACE_FILE;
    if (opts.json) {
      // The JSON carries the counterexample itself, so a failed write loses nothing.
      const saved = saveTraceWithFallback(io, requested, trace);
      if (saved.problem) io.stderr(`kuberace: ${saved.problem}\n`);
      const data = reportJson(report, { scenario: trace.scenarioName ?? opts.scenarioName, properties: opts.properties, timeline, traceFile: saved.file });
      io.stdout(`${JSON.stringify(opts.rerun ? { ...data, rerun: opts.rerun } : data, null, 2)}\n`);
      return 1;
    }
    // Print the result first: whatever happens to the file, the counterexample is on screen.
    io.stdout(renderText(timeline, { style }));
    io.stdout(`\n${style.dim(summaryLine(report))}\n`);
    const saved = saveTraceWithFallback(io, requested, trace);
    if (saved.problem) io.stderr(`kuberace: ${saved.problem}\n`);
    if (saved.file) io.stdout(`trace written to ${saved.file}; replay: ${shellCommand(['npx', 'kuberace', 'replay', ...catalog.argsOf(trace.model), saved.file])}\n`);
    else io.stdout(`the trace could not be written to a file; here it is:\n${formatTrace(trace)}`);
    if (opts.rerun) io.stdout(`rerun: ${opts.rerun}\n`);
    return 1;
  }
  if (report.result === 'violated') {
    // A violation without a trace cannot happen with the bundled checkers; report it plainly.
    if (opts.json) io.stdout(`${JSON.stringify(reportJson(report, { scenario: opts.scenarioName, properties: opts.properties }), null, 2)}\n`);
    else io.stdout(`${style.red(`✗ ${report.violation?.property}: ${report.violation?.message}`)}\n`);
    return 1;
  }
  // A bounded search that found nothing is not a proof: its own exit code, and what it missed.
  const search = opts.budgets && report.mode === 'exhaustive' ? searchCoverage(report, opts.budgets) : undefined;
  // Nor is one that never reached a stable state, for the properties checked only there.
  const vacuous = report.mode === 'exhaustive' && report.stats.stableStates === 0 ? atStableNames(catalog.modelOf(report.model, command), opts.properties) : [];
  const code = (search && !search.complete) || vacuous.length ? EXIT_INCOMPLETE : EXIT_HOLDS;
  if (opts.json) {
    io.stdout(`${JSON.stringify(reportJson(report, { scenario: opts.scenarioName, properties: opts.properties, ...(search ? { search } : {}) }), null, 2)}\n`);
    return code;
  }
  const where = opts.scenarioName ? `scenario ${opts.scenarioName}` : 'generated scenarios';
  if (search && !search.complete) {
    io.stdout(`${style.yellow(`⚠ ${report.model}/${report.variant}, ${where}: no violation of ${opts.properties.join(', ')} found, but the search is incomplete`)}\n`);
    io.stdout(`  ${summaryLine(report)}\n`);
    for (const line of describeCoverage(search, opts.budgets!)) io.stdout(`  ${style.yellow(line)}\n`);
  } else if (vacuous.length) {
    io.stdout(`${style.yellow(`⚠ ${report.model}/${report.variant}, ${where}: no violation of ${opts.properties.join(', ')}, but vacuous for ${vacuous.join(', ')}: no stable state was reached`)}\n`);
    io.stdout(`  ${summaryLine(report)}\n`);
    const bounded = search && describeLagBound(search);
    if (bounded) io.stdout(`  ${bounded}\n`);
    io.stdout(`  ${style.yellow('atStable properties are checked only at stable states; every path was cut before one (raise --max-lag or --max-depth)')}\n`);
  } else {
    io.stdout(`${style.green(`✓ ${report.model}/${report.variant}, ${where}: no violation of ${opts.properties.join(', ')}`)}\n`);
    io.stdout(`  ${summaryLine(report)}\n`);
    const bounded = search && describeLagBound(search);
    if (bounded) io.stdout(`  ${bounded}\n`);
  }
  const sym = report.stats.symmetryRenamings;
  if (sym !== undefined) {
    io.stdout(`  symmetry: states keyed up to ${formatCount(sym)} renaming${sym === 1 ? '' : 's'} of the scenario's interchangeable names; ${formatCount(report.stats.symmetryChecked ?? 0)} states checked to be mapped onto their renamings' successors\n`);
  }
  const dpor = report.stats.dpor;
  if (dpor) {
    io.stdout(`  source-DPOR: ${formatCount(dpor.racesAdded)} backtrack points added by races, ${formatCount(dpor.fullExpansions)} states expanded fully, ${formatCount(dpor.reexplored)} explored again; a sometimes goal not reached may have been skipped\n`);
  }
  const goals = Object.entries(report.coverage);
  if (goals.length) {
    io.stdout(`  coverage: ${goals.map(([g, hit]) => `${hit ? style.green('✓') : style.yellow('✗')} ${g}`).join(', ')}\n`);
  }
  if (code === EXIT_INCOMPLETE) io.stdout(`  exit code 3: no violation found, ${vacuous.length && search?.complete !== false ? 'but vacuous for the atStable properties' : 'search incomplete (larger budgets explore more)'}\n`);
  return code;
}

/** The `atStable` properties among `names` (all of the model's when `names` is empty). */
function atStableNames(model: ModelDef<any>, names: readonly string[]): string[] {
  return model.properties.filter((p) => p.kind === 'atStable' && (names.length === 0 || names.includes(p.name))).map((p) => p.name);
}

function summaryLine(r: CheckReport): string {
  const s = r.stats;
  const parts: string[] = [];
  if (s.runs !== undefined) parts.push(`${formatCount(s.runs)} run${s.runs === 1 ? '' : 's'}`);
  if (s.states !== undefined) parts.push(`${formatCount(s.states)} states`);
  if (s.transitions !== undefined) parts.push(`${formatCount(s.transitions)} transitions`);
  if (s.stableStates !== undefined) parts.push(`${formatCount(s.stableStates)} stable`);
  if (s.maxDepth !== undefined) parts.push(`depth ${s.maxDepth}`);
  if (r.mode === 'random') parts.push(`${formatCount(s.steps)} steps`);
  if (s.complete !== undefined) parts.push(s.complete ? 'complete' : s.completeWithinLag ? 'complete within the fairness bound' : 'incomplete');
  if (s.seed !== undefined) parts.push(`seed ${s.seed}`);
  if (s.shards !== undefined) parts.push(`${s.shards} shards`);
  parts.push(formatDuration(s.durationMs));
  return `${r.mode} search: ${parts.join(', ')}`;
}

export async function checkCommand(args: readonly string[], io: CliIo, catalog: ModelCatalog): Promise<number> {
  const p = parseFlags('check', args, CHECK_OPTIONS, 1);
  const model = catalog.modelOf(p.positionals[0], 'check');
  const variant = str(p, 'variant');
  const props = strs(p, 'property');
  for (const name of props) propertyOf(model, name);
  const choice = scenarioChoice(model, variant, str(p, 'scenario'), io);
  const numRuns = int(p, 'runs', 1) ?? 200;
  // Chosen here when not given, so that an interrupted check can print it too.
  const seed = int(p, 'seed', -0x80000000, 0x7fffffff) ?? freshSeed();
  const path = str(p, 'path');
  if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new UsageError(`bad --path "${path}": expected fast-check's replay path, numbers separated by colons (e.g. 12:0:3)`);
  const maxSteps = int(p, 'max-steps', 0);
  const workers = int(p, 'workers', 1, 256);
  const shardArg = str(p, 'shard');
  const shard = shardArg === undefined ? undefined : parseShard(shardArg);
  const strategy = oneOf(p, 'strategy', ['mixed', 'uniform', 'pct'] as const);
  const progress = new ProgressLine(io);
  let runsDone = 0;
  const opts = {
    ...(variant !== undefined ? { variant } : {}),
    ...(props.length ? { properties: props } : {}),
    ...(strategy ? { strategy } : {}),
    numRuns,
    seed,
    ...(path !== undefined ? { path } : {}),
    ...(maxSteps !== undefined ? { maxSteps } : {}),
    ...(choice.scenario !== undefined ? { scenario: choice.scenario } : {}),
    ...(shard ? { shard } : {}),
    ...(bool(p, 'no-minimize') ? { noMinimize: true } : {}),
    onProgress: (x: { runs: number }) => {
      runsDone = Math.max(runsDone, x.runs);
      progress.update(`check ${model.name}: ${progress.rate(x.runs, 'runs', numRuns)}`);
    },
  };
  progress.update(`check ${model.name}: ${formatCount(numRuns)} random runs${workers ? ` on ${workers} workers` : ''}…`, true);
  let outcome: CheckReport | SearchStop;
  try {
    outcome = await runSearch(io, catalog, model, workers, {
      inProcess: () => checkRandom(model, opts),
      parallel: (ref, n, signal) => checkRandomParallel(ref, { ...opts, workers: n, ...(signal ? { signal } : {}) }),
    });
  } finally {
    progress.clear();
  }
  const json = bool(p, 'json');
  const properties = checkedProperties(model, props);
  if (outcome === INTERRUPTED || outcome === OUT_OF_MEMORY) {
    const where = choice.name ? `scenario ${choice.name}` : 'generated scenarios';
    const repeat = rerunCommand('check', [...catalog.argsOf(model.name), model.name], p, CHECK_OPTIONS, { set: { seed: String(seed) } });
    return stoppedEarly(io, json, outcome, {
      head: `${model.name}/${variant ?? Object.keys(model.variants)[0]}, ${where}: no violation of ${properties.join(', ')} in the runs done`,
      covered: `random search: at least ${formatCount(runsDone)} of ${formatCount(numRuns)} runs, seed ${seed}, ${formatDuration(progress.elapsed())}`,
      rerun: repeat,
      data: { model: model.name, variant: variant ?? Object.keys(model.variants)[0], mode: 'random', scenario: choice.name ?? null, properties, stats: { runs: runsDone, numRuns, seed, durationMs: progress.elapsed() } },
    });
  }
  let report = outcome;
  if (report.counterexample) report = { ...report, counterexample: namedTrace(report.counterexample, choice) };
  const found = report.counterexample?.found;
  // fast-check's habit: the seed and path of the failing run go straight back to it.
  const rerun =
    found?.seed !== undefined
      ? rerunCommand('check', [...catalog.argsOf(model.name), model.name], p, CHECK_OPTIONS, { drop: ['workers', 'shard', 'json'], set: { seed: String(found.seed), path: found.path } })
      : undefined;
  return finish(io, catalog, 'check', report, {
    json,
    out: str(p, 'out'),
    scenarioName: choice.name,
    properties,
    ...(rerun ? { rerun } : {}),
  });
}

export async function exploreCommand(args: readonly string[], io: CliIo, catalog: ModelCatalog): Promise<number> {
  const p = parseFlags('explore', args, EXPLORE_OPTIONS, 1);
  const model = catalog.modelOf(p.positionals[0], 'explore');
  const variant = str(p, 'variant');
  const props = strs(p, 'property');
  for (const name of props) propertyOf(model, name);
  const choice = scenarioChoice(model, variant, str(p, 'scenario') ?? Object.keys(model.scenarios)[0], io);
  const maxDepth = int(p, 'max-depth', 1);
  const maxStates = int(p, 'max-states', 1);
  const maxTimeMs = secondsFlag(p, 'max-time');
  const workers = int(p, 'workers', 1, 256);
  const shardArg = str(p, 'shard');
  const shard = shardArg === undefined ? undefined : parseShard(shardArg);
  const clock = oneOf(p, 'clock', ['idle', 'any'] as const);
  const porKind = oneOf(p, 'por', ['sleep-sets', 'source-dpor'] as const);
  if (porKind && bool(p, 'no-por')) throw new UsageError('--por and --no-por contradict each other');
  if (porKind === 'source-dpor' && workers !== undefined && workers > 1) throw new UsageError('--por source-dpor runs in one worker (drop --workers)');
  const lagArg = str(p, 'max-lag');
  const maxInformerLag = lagArg === 'off' ? null : int(p, 'max-lag', 1);
  const lagUnit = oneOf(p, 'lag-unit', ['events', 'writes'] as const);
  if (lagUnit && lagArg === 'off') throw new UsageError('--lag-unit needs a bound (drop --max-lag off)');
  const progress = new ProgressLine(io);
  const budget = maxStates ?? 2_000_000;
  let last: { states: number; transitions: number; depth: number; completeDepth?: number } = { states: 0, transitions: 0, depth: 0 };
  const opts = {
    ...(variant !== undefined ? { variant } : {}),
    ...(props.length ? { properties: props } : {}),
    scenario: choice.scenario,
    // Budgets passed explicitly, so that the report of an incomplete search names the ones used.
    maxDepth: maxDepth ?? 400,
    maxStates: budget,
    ...(maxTimeMs !== undefined ? { maxTimeMs } : {}),
    ...(bool(p, 'shortest') ? { shortest: true } : {}),
    ...(bool(p, 'no-por') ? { por: false } : {}),
    ...(porKind ? { por: porKind } : {}),
    ...(bool(p, 'symmetry') ? { symmetry: true } : {}),
    ...(clock ? { clock } : {}),
    ...(maxInformerLag !== undefined ? { maxInformerLag } : {}),
    ...(lagUnit ? { lagUnit } : {}),
    ...(bool(p, 'exact-time') ? { exactTime: true } : {}),
    ...(shard ? { shard } : {}),
    onProgress: (x: ExploreProgress) => {
      last = { states: x.states, transitions: x.transitions, depth: x.depth, ...(x.completeDepth !== undefined ? { completeDepth: x.completeDepth } : {}) };
      const covered = x.completeDepth !== undefined ? `, complete to depth ${x.completeDepth}` : '';
      const frontier = x.frontier !== undefined ? `, ${x.phase === 'bfs' ? 'BFS' : 'DFS'} frontier ${formatCount(x.frontier)}` : '';
      const rss = `, ${Math.round(process.memoryUsage.rss() / 2 ** 20)} MB`;
      progress.update(`explore ${model.name}: ${progress.rate(x.states, 'states', budget, true)}, depth ${x.depth}${covered}${frontier}${rss}`);
    },
  };
  progress.update(`explore ${model.name}: starting…`, true);
  let outcome: CheckReport | SearchStop;
  try {
    outcome = await runSearch(io, catalog, model, workers, {
      inProcess: () => checkExhaustive(model, opts),
      parallel: (ref, n, signal) => checkExhaustiveParallel(ref, { ...opts, workers: n, ...(signal ? { signal } : {}) }),
    });
  } finally {
    progress.clear();
  }
  const json = bool(p, 'json');
  const properties = checkedProperties(model, props);
  if (outcome === INTERRUPTED || outcome === OUT_OF_MEMORY) {
    const v = variant ?? Object.keys(model.variants)[0];
    const depthCovered = last.completeDepth !== undefined ? `every path of up to ${last.completeDepth} steps checked` : 'no depth is known to be covered completely';
    return stoppedEarly(io, json, outcome, {
      head: `${model.name}/${v}, scenario ${choice.name}: no violation of ${properties.join(', ')} in the states explored`,
      covered: `exhaustive search: ${
        last.states
          ? `at least ${formatCount(last.states)} states, ${formatCount(last.transitions)} transitions, depth ${last.depth} (as last reported)`
          : 'fewer than 10,000 states (the search reports every 10,000)'
      }, ${formatDuration(progress.elapsed())}; incomplete, ${depthCovered}`,
      rerun: rerunCommand('explore', [...catalog.argsOf(model.name), model.name], p, EXPLORE_OPTIONS),
      data: { model: model.name, variant: v, mode: 'exhaustive', scenario: choice.name ?? null, properties, stats: { ...last, durationMs: progress.elapsed(), complete: false } },
    });
  }
  let report = outcome;
  if (report.counterexample) report = { ...report, counterexample: namedTrace(report.counterexample, choice) };
  return finish(io, catalog, 'explore', report, {
    json,
    out: str(p, 'out'),
    scenarioName: choice.name,
    properties,
    budgets: { maxDepth: maxDepth ?? 400, maxStates: budget, ...(maxTimeMs !== undefined ? { maxTimeMs } : {}), shortest: bool(p, 'shortest'), merged: workers !== undefined },
  });
}

/** After Ctrl-C (exit 130) or a worker out of JS heap (exit 3): what was covered (TLC prints it too), as text or one JSON object. */
function stoppedEarly(io: CliIo, json: boolean, stop: SearchStop, s: { head: string; covered: string; rerun: string; data: Record<string, unknown> }): number {
  const oom = stop === OUT_OF_MEMORY;
  const heapMb = Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
  const hint = `lower --max-states, or raise the JS heap limit (${formatCount(heapMb)} MB): NODE_OPTIONS=--max-old-space-size=MB`;
  if (json) {
    const { stats, ...rest } = s.data;
    io.stdout(`${JSON.stringify({ ...rest, result: oom ? 'out-of-memory' : 'interrupted', ...(oom ? { heapLimitMb: heapMb } : {}), stats }, null, 2)}\n`);
  } else {
    const style = stdoutStyle(io);
    const head = oom ? `⚠ out of memory: ${s.head}` : `⚠ interrupted (Ctrl-C): ${s.head}`;
    io.stdout(`${style.yellow(head)}\n  ${s.covered}\n${oom ? `  ${hint}\n` : ''}  run again: ${s.rerun}\n`);
  }
  if (oom) io.stderr(`kuberace: out of memory: the search stopped, incomplete; ${hint}\n`);
  return oom ? EXIT_INCOMPLETE : EXIT_INTERRUPTED;
}

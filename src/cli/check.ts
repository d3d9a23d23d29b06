/** `kuberace check` (random search) and `kuberace explore` (exhaustive search). */
import { propertyOf } from '../check/model.ts';
import { checkExhaustive } from '../check/exhaustive.ts';
import { checkExhaustiveParallel, checkRandomParallel } from '../check/parallel.ts';
import { type CheckReport, checkRandom } from '../check/random.ts';
import { parseShard } from '../check/shard.ts';
import { renderText } from '../report/text.ts';
import { type OptionSpec, bool, int, oneOf, parseFlags, secondsFlag, str, strs } from './args.ts';
import { formatTrace } from '../trace/format.ts';
import { checkedProperties, namedTrace, reportJson, saveTraceWithFallback, scenarioChoice, timelineOf } from './common.ts';
import { shellQuote } from './shell.ts';
import { type Budgets, describeCoverage, searchCoverage } from './budget.ts';
import { EXIT_HOLDS, EXIT_INCOMPLETE } from './exit-codes.ts';
import { type CliIo, stdoutStyle } from './io.ts';
import { modelOf, modelRefOf } from './models.ts';
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
  help: { type: 'boolean', short: 'h' },
};

export const EXPLORE_OPTIONS: OptionSpec = {
  variant: { type: 'string' },
  scenario: { type: 'string' },
  'max-depth': { type: 'string' },
  'max-states': { type: 'string' },
  'max-time': { type: 'string' },
  shortest: { type: 'boolean' },
  'no-por': { type: 'boolean' },
  clock: { type: 'string' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  property: { type: 'string', multiple: true },
  out: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/** Print a finished check: the JSON object, or the text report / summary. Returns the exit code. */
function finish(io: CliIo, command: string, report: CheckReport, opts: { json: boolean; out?: string; scenarioName?: string; properties: string[]; budgets?: Budgets }): number {
  const style = stdoutStyle(io);
  if (report.result === 'violated' && report.counterexample) {
    const trace = report.counterexample;
    const timeline = timelineOf(modelOf(trace.model, command), trace);
    const requested = opts.out ?? DEFAULT_TRACE_FILE;
    if (opts.json) {
      // The JSON carries the counterexample itself, so a failed write loses nothing.
      const saved = saveTraceWithFallback(io, requested, trace);
      if (saved.problem) io.stderr(`kuberace: ${saved.problem}\n`);
      io.stdout(`${JSON.stringify(reportJson(report, { scenario: trace.scenarioName ?? opts.scenarioName, properties: opts.properties, timeline, traceFile: saved.file }), null, 2)}\n`);
      return 1;
    }
    // Print the result first: whatever happens to the file, the counterexample is on screen.
    io.stdout(renderText(timeline, { style }));
    io.stdout(`\n${style.dim(summaryLine(report))}\n`);
    const saved = saveTraceWithFallback(io, requested, trace);
    if (saved.problem) io.stderr(`kuberace: ${saved.problem}\n`);
    if (saved.file) io.stdout(`trace written to ${saved.file}; replay: npx kuberace replay ${shellQuote(saved.file)}\n`);
    else io.stdout(`the trace could not be written to a file; here it is:\n${formatTrace(trace)}`);
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
  const code = search && !search.complete ? EXIT_INCOMPLETE : EXIT_HOLDS;
  if (opts.json) {
    io.stdout(`${JSON.stringify(reportJson(report, { scenario: opts.scenarioName, properties: opts.properties, ...(search ? { search } : {}) }), null, 2)}\n`);
    return code;
  }
  const where = opts.scenarioName ? `scenario ${opts.scenarioName}` : 'generated scenarios';
  if (search && !search.complete) {
    io.stdout(`${style.yellow(`⚠ ${report.model}/${report.variant}, ${where}: no violation of ${opts.properties.join(', ')} found, but the search is incomplete`)}\n`);
    io.stdout(`  ${summaryLine(report)}\n`);
    for (const line of describeCoverage(search, opts.budgets!)) io.stdout(`  ${style.yellow(line)}\n`);
  } else {
    io.stdout(`${style.green(`✓ ${report.model}/${report.variant}, ${where}: no violation of ${opts.properties.join(', ')}`)}\n`);
    io.stdout(`  ${summaryLine(report)}\n`);
  }
  const goals = Object.entries(report.coverage);
  if (goals.length) {
    io.stdout(`  coverage: ${goals.map(([g, hit]) => `${hit ? style.green('✓') : style.yellow('✗')} ${g}`).join(', ')}\n`);
  }
  if (code === EXIT_INCOMPLETE) io.stdout(`  exit code 3: no violation found, search incomplete (larger budgets explore more)\n`);
  return code;
}

function summaryLine(r: CheckReport): string {
  const s = r.stats;
  const parts: string[] = [];
  if (s.runs !== undefined) parts.push(`${formatCount(s.runs)} run${s.runs === 1 ? '' : 's'}`);
  if (s.states !== undefined) parts.push(`${formatCount(s.states)} states`);
  if (s.transitions !== undefined) parts.push(`${formatCount(s.transitions)} transitions`);
  if (s.maxDepth !== undefined) parts.push(`depth ${s.maxDepth}`);
  if (r.mode === 'random') parts.push(`${formatCount(s.steps)} steps`);
  if (s.complete !== undefined) parts.push(s.complete ? 'complete' : 'incomplete');
  if (s.seed !== undefined) parts.push(`seed ${s.seed}`);
  if (s.shards !== undefined) parts.push(`${s.shards} shards`);
  parts.push(formatDuration(s.durationMs));
  return `${r.mode} search: ${parts.join(', ')}`;
}

export async function checkCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parseFlags('check', args, CHECK_OPTIONS, 1);
  const model = modelOf(p.positionals[0], 'check');
  const variant = str(p, 'variant');
  const props = strs(p, 'property');
  for (const name of props) propertyOf(model, name);
  const choice = scenarioChoice(model, variant, str(p, 'scenario'), io);
  const numRuns = int(p, 'runs', 1) ?? 200;
  const seed = int(p, 'seed', -0x80000000, 0x7fffffff);
  const maxSteps = int(p, 'max-steps', 0);
  const workers = int(p, 'workers', 1, 256);
  const shardArg = str(p, 'shard');
  const shard = shardArg === undefined ? undefined : parseShard(shardArg);
  const opts = {
    ...(variant !== undefined ? { variant } : {}),
    ...(props.length ? { properties: props } : {}),
    numRuns,
    ...(seed !== undefined ? { seed } : {}),
    ...(maxSteps !== undefined ? { maxSteps } : {}),
    ...(choice.scenario !== undefined ? { scenario: choice.scenario } : {}),
    ...(shard ? { shard } : {}),
    ...(bool(p, 'no-minimize') ? { noMinimize: true } : {}),
  };
  const progress = new ProgressLine(io);
  progress.update(`check ${model.name}: ${formatCount(numRuns)} random runs${workers ? ` on ${workers} workers` : ''}…`, true);
  let report: CheckReport;
  try {
    report = workers ? await checkRandomParallel(await modelRefOf(model), { ...opts, workers }) : checkRandom(model, opts);
  } finally {
    progress.clear();
  }
  if (report.counterexample) report = { ...report, counterexample: namedTrace(report.counterexample, choice) };
  return finish(io, 'check', report, {
    json: bool(p, 'json'),
    out: str(p, 'out'),
    scenarioName: choice.name,
    properties: checkedProperties(model, props),
  });
}

export async function exploreCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parseFlags('explore', args, EXPLORE_OPTIONS, 1);
  const model = modelOf(p.positionals[0], 'explore');
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
  const progress = new ProgressLine(io);
  const budget = maxStates ?? 2_000_000;
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
    ...(clock ? { clock } : {}),
    ...(shard ? { shard } : {}),
    onProgress: (x: { states: number; depth: number }) => progress.update(`explore ${model.name}: ${progress.rate(x.states, 'states', budget, true)}, depth ${x.depth}`),
  };
  progress.update(`explore ${model.name}: starting…`, true);
  let report: CheckReport;
  try {
    report = workers ? await checkExhaustiveParallel(await modelRefOf(model), { ...opts, workers }) : checkExhaustive(model, opts);
  } finally {
    progress.clear();
  }
  if (report.counterexample) report = { ...report, counterexample: namedTrace(report.counterexample, choice) };
  return finish(io, 'explore', report, {
    json: bool(p, 'json'),
    out: str(p, 'out'),
    scenarioName: choice.name,
    properties: checkedProperties(model, props),
    budgets: { maxDepth: maxDepth ?? 400, maxStates: budget, ...(maxTimeMs !== undefined ? { maxTimeMs } : {}), shortest: bool(p, 'shortest'), merged: workers !== undefined },
  });
}

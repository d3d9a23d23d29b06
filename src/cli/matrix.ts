/**
 * `kuberace matrix`: every variant x property of a model, from random search on each named
 * scenario and exhaustive search on the small ones, written as a Markdown table between
 * `<!-- matrix:begin -->` and `<!-- matrix:end -->`; text outside the markers is kept, so a
 * human-written reading of the table survives regeneration.
 *
 * The generated part names the command and the kuberace version, never a date: with the
 * default seed and state budgets the same command writes the same file (a search cut by the
 * time budget says so in its cell, since then the numbers depend on the machine).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fsReason } from '../trace/fs-error.ts';
import { writeFileSafely } from '../trace/write-file.ts';
import { resolve } from 'node:path';
import { type ModelDef, UsageError, propertyOf } from '../check/model.ts';
import { type OptionSpec, int, parseFlags, secondsFlag, str, strs } from './args.ts';
import { version } from './common.ts';
import { type CliIo, stdoutStyle } from './io.ts';
import type { ModelCatalog } from './models.ts';
import { shellCommand } from './shell.ts';
import { ProgressLine, formatCount, formatDuration, stopwatch } from './progress.ts';
import { type Finding, type LagChoice, type SearchOutcome, searchProperties, shortestFindings } from './search.ts';

export const BEGIN = '<!-- matrix:begin -->';
export const END = '<!-- matrix:end -->';
export const SMALL_SCENARIOS = ['single-network', 'one-attachment', 'serialized'];

export const MATRIX_OPTIONS: OptionSpec = {
  scenario: { type: 'string', multiple: true },
  exhaustive: { type: 'string', multiple: true },
  variant: { type: 'string', multiple: true },
  property: { type: 'string', multiple: true },
  runs: { type: 'string' },
  seed: { type: 'string' },
  'max-states': { type: 'string' },
  'max-depth': { type: 'string' },
  'max-time': { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export interface MatrixCell {
  readonly best?: Finding;
  /** Exhaustive searches that completed without violating the property: scenario, states and the fairness bound it was complete within. */
  readonly provedOn: ReadonlyArray<{ readonly scenario: string; readonly states: number; readonly lagBound?: number; readonly lagUnit?: 'writes' }>;
  readonly runs: number;
  readonly states: number;
  readonly timeBudgetHit: boolean;
}

export interface MatrixResult {
  readonly model: string;
  readonly variants: readonly string[];
  readonly properties: readonly string[];
  /** variant -> property -> cell. */
  readonly cells: ReadonlyMap<string, ReadonlyMap<string, MatrixCell>>;
  /** Engine failures (deadlock, bad effect, ...) met while searching. */
  readonly engineFailures: readonly (Finding & { readonly variant: string })[];
}

/** One exhaustive search of the matrix: a scenario, and the fairness bound if not the model's. */
export interface ExhaustiveEntry {
  readonly scenario: string;
  readonly lag?: LagChoice;
}

/**
 * `--exhaustive NAME` (the model's fairness bound), `NAME@K` (informers at most K watch events
 * behind) or `NAME@Kw` (at most K writes): the same scenario may be searched under several bounds.
 */
export function exhaustiveEntries(model: ModelDef<any>, given: readonly string[], all: readonly string[]): ExhaustiveEntry[] {
  return given.map((g) => {
    const at = g.lastIndexOf('@');
    const scenario = at < 0 ? g : g.slice(0, at);
    names(model, [scenario], all, 'scenario');
    if (at < 0) return { scenario };
    const m = /^([1-9][0-9]{0,5})(w?)$/.exec(g.slice(at + 1));
    if (!m) throw new UsageError(`--exhaustive ${g}: after "@" give the fairness bound, K watch events (e.g. ${scenario}@2) or K writes (${scenario}@1w), K >= 1`);
    return { scenario, lag: { max: Number(m[1]), unit: m[2] ? 'writes' : 'events' } };
  });
}

function lagText(l: LagChoice): string {
  return `lag ≤ ${l.max} ${l.unit === 'writes' ? (l.max === 1 ? 'write' : 'writes') : l.max === 1 ? 'event' : 'events'}`;
}

function entryText(e: ExhaustiveEntry): string {
  return e.lag ? `${e.scenario} (${lagText(e.lag)})` : e.scenario;
}

function names(model: ModelDef<any>, given: readonly string[], all: readonly string[], what: string): string[] {
  for (const g of given) {
    if (!all.includes(g)) throw new UsageError(`unknown ${what} "${g}" of model ${model.name} (known: ${all.join(', ')})`);
  }
  return given.length ? all.filter((x) => given.includes(x)) : [...all];
}

/**
 * The exhaustive searches that prove `prop`: complete, without a violation of it or an engine
 * failure, and, for an `atStable` property, having reached a stable state (else it was never checked).
 */
export function provedOnFor(outcomes: readonly SearchOutcome[], prop: string, atStable: boolean): MatrixCell['provedOn'] {
  return outcomes
    .filter((o) => o.mode === 'exhaustive' && o.complete && o.holding.includes(prop) && !o.findings.some((f) => f.kind === 'engine'))
    .filter((o) => !(atStable && o.stableStates === 0))
    .map((o) => ({ scenario: o.scenario, states: o.states, ...(o.lagBound !== undefined ? { lagBound: o.lagBound } : {}), ...(o.lagUnit ? { lagUnit: o.lagUnit } : {}) }));
}

function cellText(c: MatrixCell): string {
  if (c.best) return `✗ ${c.best.classification ? `${c.best.classification.label}: ` : ''}${c.best.steps} steps (${c.best.mode}, ${c.best.scenario}${c.best.within ? `, ${lagText(c.best.within)}` : ''})`;
  const cut = c.timeBudgetHit ? ' (time budget)' : '';
  if (c.provedOn.length) {
    const within = (x: { lagBound?: number; lagUnit?: 'writes' }) => (x.lagBound !== undefined ? `, ${lagText({ max: x.lagBound, unit: x.lagUnit ?? 'events' })}` : '');
    return `✓ holds for ${c.provedOn.map((x) => `${x.scenario}, ${formatCount(x.states)} states${within(x)}`).join('; ')}${cut}`;
  }
  const parts = [`${formatCount(c.runs)} runs`];
  if (c.states) parts.push(`${formatCount(c.states)} states`);
  return `✓ no violation in ${parts.join(' and ')}${cut}`;
}

const md = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** The generated Markdown (between the markers, exclusive). */
export function matrixMarkdown(model: ModelDef<any>, r: MatrixResult, header: string, modelArgs: readonly string[] = []): string {
  const who = shellCommand([...modelArgs, model.name]);
  const lines = [header, ''];
  lines.push(`| variant | ${r.properties.map((p) => `\`${p}\``).join(' | ')} |`);
  lines.push(`|---|${r.properties.map(() => '---').join('|')}|`);
  for (const v of r.variants) {
    const row = r.properties.map((p) => md(cellText(r.cells.get(v)!.get(p)!)));
    lines.push(`| \`${md(v)}\` | ${row.join(' | ')} |`);
  }
  if (r.engineFailures.length) {
    lines.push('', 'Engine failures met while searching (they stop a search, so the cells of that search are partial):', '');
    for (const f of r.engineFailures) lines.push(`- \`${md(f.variant)}\`, ${f.mode} on ${f.scenario}: ${md(f.property)} after ${f.steps} steps: ${md(f.message)}`);
  }
  lines.push('', 'Properties:', '');
  for (const p of r.properties) {
    const def = model.properties.find((x) => x.name === p)!;
    lines.push(`- \`${p}\` (${def.kind}): ${md(def.description ?? '')}`);
  }
  lines.push('', 'Variants:', '');
  for (const v of r.variants) lines.push(`- \`${md(v)}\`: ${md(model.variants[v].description)}`);
  lines.push(
    '',
    `A ✗ cell is the shortest counterexample found; rerun it with \`kuberace check ${who} --variant V --scenario S --property P\` (random) or \`kuberace explore ${who} --variant V --scenario S --property P\` (exhaustive; for a cell that names a lag bound add \`--max-lag K\`, and \`--lag-unit writes\` for one counted in writes), then \`kuberace replay\` the trace it writes. A ✓ cell is proved only where it says "holds for": that exhaustive search covered every interleaving of that scenario (time abstracted: the clock advances only when nothing else can happen; "lag ≤ K events": within the fairness bound that no informer falls more than K watch events behind; "lag ≤ K writes": more than K API writes, a write's events to one informer counting once); elsewhere no violation was found within the budget. Its state count is the total of that scenario's searches (one until each violated property is found, then one over the rest) and moves with --max-states (the breadth-first phase before the DFS takes a tenth of it, at most 50,000); the verdicts do not. A ✗ cell names the model's class of the counterexample (for kube-ovn: scenario A, scenario B as reported at V4USED=0, a stale status at V4USED≥1 with no IP CR, an IP CR stuck terminating, ...), judged from its final state.`,
  );
  return lines.join('\n');
}

/** Put `generated` between the markers of `existing` (or make a new document). */
export function spliceMatrix(existing: string | undefined, generated: string, modelName: string): string {
  const block = `${BEGIN}\n${generated}\n${END}`;
  if (existing !== undefined) {
    const b = existing.indexOf(BEGIN);
    const e = existing.indexOf(END);
    if (b >= 0 && e > b) return `${existing.slice(0, b)}${block}${existing.slice(e + END.length)}`;
    if (b >= 0 || e >= 0) throw new UsageError('the results file has only one of the markers <!-- matrix:begin --> and <!-- matrix:end -->; fix or remove it');
    return `${existing.replace(/\s*$/, '')}\n\n${block}\n`;
  }
  return `# ${modelName}: results\n\n${block}\n\n<!-- Text outside the matrix markers is kept when the table is regenerated: write the reading of the table here. -->\n`;
}

export function matrixCommand(args: readonly string[], io: CliIo, catalog: ModelCatalog): number {
  const p = parseFlags('matrix', args, MATRIX_OPTIONS, 1);
  const model = catalog.modelOf(p.positionals[0], 'matrix');
  const allScenarios = Object.keys(model.scenarios);
  const scenarios = names(model, strs(p, 'scenario'), allScenarios, 'scenario');
  const exGiven = strs(p, 'exhaustive');
  const exhaustive: ExhaustiveEntry[] = exGiven.includes('none')
    ? []
    : exGiven.length
      ? exhaustiveEntries(model, exGiven, allScenarios)
      : SMALL_SCENARIOS.filter((s) => allScenarios.includes(s) && (strs(p, 'scenario').length === 0 || scenarios.includes(s))).map((scenario) => ({ scenario }));
  const variants = names(model, strs(p, 'variant'), Object.keys(model.variants), 'variant');
  for (const x of strs(p, 'property')) propertyOf(model, x);
  const properties = names(model, strs(p, 'property'), model.properties.filter((x) => x.kind !== 'sometimes').map((x) => x.name), 'safety property');
  const runs = int(p, 'runs', 1) ?? 200;
  const seed = int(p, 'seed', -0x80000000, 0x7fffffff) ?? 1;
  const maxStates = int(p, 'max-states', 1) ?? 20_000;
  const maxDepth = int(p, 'max-depth', 1) ?? 400;
  const maxTimeMs = secondsFlag(p, 'max-time') ?? 60_000;
  const outFile = str(p, 'out') ?? 'docs/RESULTS.md';
  const outPath = resolve(io.cwd, outFile);
  let existing: string | undefined;
  if (existsSync(outPath)) {
    try {
      existing = readFileSync(outPath, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read ${outFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  // Fail on a broken file before the long computation.
  spliceMatrix(existing, '', model.name);

  const st = stdoutStyle(io);
  const total = stopwatch();
  const progress = new ProgressLine(io);
  const jobs = variants.length * (scenarios.length + exhaustive.length);
  let done = 0;
  const cells = new Map<string, Map<string, MatrixCell>>();
  const engineFailures: (Finding & { variant: string })[] = [];
  for (const v of variants) {
    const t = stopwatch();
    const outcomes: SearchOutcome[] = [];
    for (const s of scenarios) {
      progress.update(`matrix: ${v} random ${s} — ${progress.rate(done, 'searches', jobs)}`, true);
      outcomes.push(searchProperties(model, v, s, properties, 'random', { runs, seed }));
      done++;
    }
    for (const e of exhaustive) {
      progress.update(`matrix: ${v} exhaustive ${entryText(e)} — ${progress.rate(done, 'searches', jobs)}`, true);
      const lag = e.lag ? { maxInformerLag: e.lag.max, lagUnit: e.lag.unit } : {};
      outcomes.push(searchProperties(model, v, e.scenario, properties, 'exhaustive', { maxStates, maxDepth, maxTimeMs, ...lag }));
      done++;
    }
    const best = shortestFindings(outcomes.map((o) => ({ ...o, findings: o.findings.filter((f) => f.kind !== 'engine') })));
    for (const o of outcomes) for (const f of o.findings) if (f.kind === 'engine') engineFailures.push({ ...f, variant: v });
    const row = new Map<string, MatrixCell>();
    for (const prop of properties) {
      const provedOn = provedOnFor(outcomes, prop, model.properties.some((p) => p.name === prop && p.kind === 'atStable'));
      row.set(prop, {
        ...(best.has(prop) ? { best: best.get(prop)! } : {}),
        provedOn,
        runs: outcomes.reduce((k, o) => k + o.runs, 0),
        states: outcomes.reduce((k, o) => k + o.states, 0),
        timeBudgetHit: outcomes.some((o) => o.timeBudgetHit),
      });
    }
    cells.set(v, row);
    progress.clear();
    const bad = properties.filter((x) => row.get(x)!.best);
    io.stdout(`${st.cyan(v.padEnd(Math.max(...variants.map((x) => x.length))))}  ${bad.length ? st.red(`✗ ${bad.join(', ')}`) : st.green('✓ no violation found')}  ${st.dim(formatDuration(t()))}\n`);
  }
  progress.clear();
  const result: MatrixResult = { model: model.name, variants, properties, cells, engineFailures };
  const command = ['kuberace', 'matrix', ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  const header =
    `Generated by \`${command}\` (kuberace ${version()}): random search with ${formatCount(runs)} runs and seed ${seed} on ${scenarios.length ? scenarios.join(', ') : 'no scenario'}; ` +
    (exhaustive.length
      ? `exhaustive search (DFS with partial-order reduction) on ${exhaustive.map(entryText).join(', ')} with at most ${formatCount(maxStates)} states, depth ${maxDepth} and ${formatDuration(maxTimeMs)} per search.`
      : 'no exhaustive search.');
  const text = spliceMatrix(existing, matrixMarkdown(model, result, header, catalog.argsOf(model.name)), model.name);
  try {
    writeFileSafely(outPath, text);
  } catch (e) {
    throw new UsageError(`cannot write ${outFile}: ${fsReason(e)}`);
  }
  io.stdout(`wrote ${outFile} (${variants.length} variants x ${properties.length} properties, ${formatDuration(total())})\n`);
  return 0;
}

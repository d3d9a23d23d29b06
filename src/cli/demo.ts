/**
 * `kuberace demo` (`npm start`): the Kube-OVN #4898 race on v1.12.28, found by random search
 * and explained, then which variants hold. Timings are printed (wall clock: CLI code only).
 */
import { UsageError } from '../check/model.ts';
import { renderText } from '../report/text.ts';
import { type OptionSpec, int, parseFlags } from './args.ts';
import { timelineOf } from './common.ts';
import { type CliIo, stdoutStyle } from './io.ts';
import type { ModelCatalog } from './models.ts';
import { ProgressLine, formatCount, formatDuration, stopwatch } from './progress.ts';
import { type Finding, type SearchOutcome, GENERATED, searchProperties, shortestFindings } from './search.ts';

export const DEMO_OPTIONS: OptionSpec = {
  runs: { type: 'string' },
  seed: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const MODEL = 'kube-ovn';
const VARIANT = 'v1.12.28';
const SCENARIO_A = 'ip-outlives-pod-and-subnet';
const STUCK = 'no-stuck-terminating';
const SCENARIOS = ['issue-4898', 'single-network'];
/** Where to look next when the issue's own shapes do not show a stuck object within the budget. */
const FALLBACK = ['kubectl-delete-ip', undefined];

function cell(f: Finding | undefined, holdsText: string): string {
  return f ? `✗ ${f.classification ? `${f.classification.label}, ` : ''}${f.steps} steps (${f.scenario})` : holdsText;
}

export function demoCommand(args: readonly string[], io: CliIo, catalog: ModelCatalog): number {
  const p = parseFlags('demo', args, DEMO_OPTIONS, 0);
  const runs = int(p, 'runs', 1) ?? 100;
  const seed = int(p, 'seed', -0x80000000, 0x7fffffff) ?? 1;
  const model = catalog.modelOf(MODEL, 'demo');
  for (const name of [SCENARIO_A, STUCK]) {
    if (!model.properties.some((x) => x.name === name)) throw new UsageError(`demo: model ${MODEL} has no property ${name}`);
  }
  const st = stdoutStyle(io);
  const out = (s = '') => io.stdout(`${s}\n`);
  const total = stopwatch();
  const progress = new ProgressLine(io);
  const timings: string[] = [];

  out(st.bold(`kuberace demo: kube-ovn-controller ${VARIANT} and kubeovn/kube-ovn#4898`));
  out(st.dim('A pod and its subnet are deleted at about the same time. Random search (fast-check) over the'));
  out(st.dim("controller's interleavings looks for an IP that outlives both, and for objects stuck Terminating."));
  out();

  // 1. Scenario A on the issue's shapes.
  const findRuns = Math.max(runs, 300);
  const search = (property: string, scenario: string | undefined): SearchOutcome => {
    progress.update(`searching ${property} on ${scenario ?? GENERATED}…`, true);
    const o = searchProperties(model, VARIANT, scenario, [property], 'random', { runs: findRuns, seed });
    progress.clear();
    const f = o.findings[0];
    const where = `${property} on ${scenario ?? 'generated scenarios'}`;
    out(
      f
        ? `  ${st.red('✗')} ${where}: ${f.steps} steps, found in run ${formatCount(o.runs)} (${formatDuration(o.durationMs)})`
        : `  ${st.green('✓')} ${where}: none in ${formatCount(o.runs)} runs (${formatDuration(o.durationMs)})`,
    );
    return o;
  };
  out(st.bold(`1. Searching ${VARIANT} (up to ${formatCount(findRuns)} random runs per scenario, seed ${seed})`));
  let t = stopwatch();
  const a = SCENARIOS.map((s) => search(SCENARIO_A, s));
  timings.push(`scenario A ${formatDuration(t())}`);
  t = stopwatch();
  const stuck = SCENARIOS.map((s) => search(STUCK, s));
  if (!stuck.some((o) => o.findings.length)) {
    out(st.dim(`     (not on the issue's shapes within the budget: trying the follow-up \`kubectl delete ip\` and generated clusters)`));
    for (const s of FALLBACK) {
      const o = search(STUCK, s);
      stuck.push(o);
      if (o.findings.length) break;
    }
  }
  timings.push(`stuck Terminating ${formatDuration(t())}`);
  out();

  // 2. One counterexample, explained.
  const best = shortestFindings(a).get(SCENARIO_A) ?? shortestFindings(stuck).get(STUCK);
  if (best) {
    out(st.bold(`2. The shortest counterexample for ${best.property}, replayed (${best.scenario}):`));
    out();
    io.stdout(renderText(timelineOf(model, best.trace), { style: st }));
    const stuckFound = shortestFindings(stuck).get(STUCK);
    if (stuckFound) {
      out();
      out(`${st.bold(`${STUCK}`)} on ${stuckFound.scenario} (${stuckFound.steps} steps): ${stuckFound.message}`);
      out(st.dim(`  see it with: npx kuberace check ${MODEL} --variant ${VARIANT} --property ${STUCK}${stuckFound.scenario === GENERATED ? '' : ` --scenario ${stuckFound.scenario}`} --runs ${findRuns} --seed ${seed}`));
    }
  } else {
    out(st.yellow('2. No counterexample found within the budget; try more runs (--runs) or another --seed.'));
  }
  out();

  // 3. Which variants hold.
  t = stopwatch();
  const variants = Object.keys(model.variants);
  const searched = [...SCENARIOS, GENERATED];
  out(st.bold(`3. Which variants hold (random search, ${formatCount(runs)} runs on each of ${searched.join(', ')})`));
  out();
  const rows: string[][] = [];
  variants.forEach((v, i) => {
    const outcomes = searched.map((s) => {
      progress.update(`variant ${i + 1}/${variants.length} ${v}: ${s}… ${progress.rate(i, 'variants', variants.length)}`, true);
      return searchProperties(model, v, s === GENERATED ? undefined : s, [SCENARIO_A, STUCK], 'random', { runs, seed });
    });
    const found = shortestFindings(outcomes);
    const totalRuns = outcomes.reduce((k, o) => k + o.runs, 0);
    rows.push([v, cell(found.get(SCENARIO_A), `✓ (${formatCount(totalRuns)} runs)`), cell(found.get(STUCK), `✓ (${formatCount(totalRuns)} runs)`)]);
  });
  progress.clear();
  const headers = ['VARIANT', SCENARIO_A.toUpperCase(), STUCK.toUpperCase()];
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  out(st.bold(headers.map((h, i) => h.padEnd(widths[i])).join('   ').trimEnd()));
  for (const r of rows) {
    const cells = r.map((c, i) => {
      const padded = c.padEnd(widths[i]);
      return i === 0 ? st.cyan(padded) : c.startsWith('✗') ? st.red(padded) : st.green(padded);
    });
    out(cells.join('   ').trimEnd());
  }
  timings.push(`variant table ${formatDuration(t())}`);
  out();
  out(st.dim('✓ means no violation was found within the budget, not a proof: `kuberace explore` searches one'));
  out(st.dim('scenario exhaustively, `kuberace matrix` writes the full table to docs/RESULTS.md.'));
  out();
  out(`timings: ${timings.join(', ')}; total ${formatDuration(total())}`);
  return 0;
}

/**
 * Groups 3 and 4: time-to-bug of random search and the quality of its minimised
 * counterexamples against the BFS-shortest ones.
 *
 * Time-to-bug: checkRandom on kube-ovn v1.12.28, scenario single-network, one property at a
 * time, seeds 0..n-1, noMinimize; the time to the first failing run comes from the
 * onFirstViolation hook (set-up included, fast-check shrinking excluded), shrinking is the rest
 * of checkRandom, and the id-level minimisation is timed separately on the shrunk trace.
 *
 * Shrink quality: the minimised length per seed against checkExhaustive({ shortest: true }) on
 * the same scenario and property. For a property random search does not find within its
 * budget, the DFS counterexample of checkExhaustive is minimised instead (and said so).
 */
import { kubeOvnModel } from '../models/kube-ovn/index.ts';
import { contextFor, target } from '../src/check/context.ts';
import { execute } from '../src/check/execute.ts';
import { checkExhaustive } from '../src/check/exhaustive.ts';
import { minimize } from '../src/check/minimize.ts';
import { type RandomStrategy, checkRandom } from '../src/check/random.ts';
import { type GroupResult, fmt, max, median, now, round } from './lib.ts';

export interface TtbOptions {
  readonly seeds: number;
  /** numRuns cap per seed, per property. */
  readonly numRuns: Readonly<Record<string, number>>;
  readonly variant: string;
  readonly scenario: string;
  readonly properties: readonly { readonly id: string; readonly property: string }[];
  /** checkRandom strategies to measure; the first is the default one. */
  readonly strategies: readonly RandomStrategy[];
  /** Cap of the BFS-shortest search (states). */
  readonly bfsMaxStates: number;
  /** Also run group 4 (default true). */
  readonly shrinkQuality?: boolean;
  readonly onProgress?: (message: string) => void;
}

export interface SeedRun {
  readonly seed: number;
  readonly found: boolean;
  readonly runs: number;
  readonly msToBug: number;
  readonly shrinkMs: number;
  readonly minimizeMs: number;
  readonly shrunkLength?: number;
  readonly minimizedLength?: number;
}

export interface PropertyTtb {
  readonly id: string;
  readonly property: string;
  readonly strategy: RandomStrategy;
  readonly numRuns: number;
  readonly seeds: readonly SeedRun[];
  readonly found: number;
  readonly medianRuns?: number;
  readonly maxRuns?: number;
  readonly medianMs?: number;
  readonly maxMs?: number;
  readonly medianShrinkMs?: number;
  readonly medianMinimizeMs?: number;
  /** Wall time of the seeds that found nothing (the budget spent). */
  readonly medianMsNotFound?: number;
}

export interface ShrinkSource {
  /** A checkRandom strategy, or `dfs` (the exhaustive DFS counterexample, minimised). */
  readonly source: string;
  readonly traces: number;
  readonly medianMinimized?: number;
  readonly maxMinimized?: number;
  /** DFS only: the length before minimising. */
  readonly dfsLength?: number;
  readonly ratioMedian?: number;
  readonly ratioMax?: number;
}

export interface ShrinkQuality {
  readonly id: string;
  readonly property: string;
  readonly bfsLength?: number;
  readonly bfsStates: number;
  readonly bfsMs: number;
  readonly bfsComplete: boolean;
  readonly sources: readonly ShrinkSource[];
}

export function timeToBug(o: TtbOptions, prop: { id: string; property: string }, strategy: RandomStrategy): PropertyTtb {
  const numRuns = o.numRuns[`${prop.id}/${strategy}`] ?? o.numRuns[prop.id] ?? 1000;
  const seeds: SeedRun[] = [];
  for (let seed = 0; seed < o.seeds; seed++) {
    let firstAt: number | undefined;
    const start = now();
    const r = checkRandom(kubeOvnModel, {
      variant: o.variant,
      scenario: o.scenario,
      properties: [prop.property],
      seed,
      numRuns,
      noMinimize: true,
      strategy,
      onFirstViolation: () => (firstAt = now()),
    });
    const end = now();
    if (r.result !== 'violated' || !r.counterexample) {
      seeds.push({ seed, found: false, runs: r.stats.runs ?? numRuns, msToBug: end - start, shrinkMs: 0, minimizeMs: 0 });
      continue;
    }
    // The id-level minimisation pass, timed on its own from the shrunk trace.
    const ctx = contextFor(target(kubeOvnModel, { variant: o.variant, properties: [prop.property] }), o.scenario);
    const shrunk = execute(ctx, { kind: 'ids', ids: r.counterexample.steps, strict: true });
    const m0 = now();
    const minimized = minimize(ctx, shrunk);
    const minimizeMs = now() - m0;
    seeds.push({
      seed,
      found: true,
      runs: r.stats.runs ?? 0,
      msToBug: (firstAt ?? end) - start,
      shrinkMs: end - (firstAt ?? end),
      minimizeMs,
      shrunkLength: r.counterexample.steps.length,
      minimizedLength: minimized.violation?.property === prop.property ? minimized.ids.length : undefined,
    });
  }
  const found = seeds.filter((s) => s.found);
  const notFound = seeds.filter((s) => !s.found);
  return {
    ...prop,
    strategy,
    numRuns,
    seeds,
    found: found.length,
    ...(found.length
      ? {
          medianRuns: median(found.map((s) => s.runs)),
          maxRuns: max(found.map((s) => s.runs)),
          medianMs: round(median(found.map((s) => s.msToBug)), 1),
          maxMs: round(max(found.map((s) => s.msToBug)), 1),
          medianShrinkMs: round(median(found.map((s) => s.shrinkMs)), 1),
          medianMinimizeMs: round(median(found.map((s) => s.minimizeMs)), 1),
        }
      : {}),
    ...(notFound.length ? { medianMsNotFound: round(median(notFound.map((s) => s.msToBug)), 0) } : {}),
  };
}

export function shrinkQuality(o: TtbOptions, all: readonly PropertyTtb[]): ShrinkQuality {
  const { id, property } = all[0];
  const t0 = now();
  const bfs = checkExhaustive(kubeOvnModel, { variant: o.variant, scenario: o.scenario, properties: [property], shortest: true, maxStates: o.bfsMaxStates });
  const bfsMs = now() - t0;
  const bfsLength = bfs.result === 'violated' ? bfs.counterexample!.steps.length : undefined;
  const source = (name: string, lengths: number[], dfsLength?: number): ShrinkSource => {
    const med = lengths.length ? median(lengths) : undefined;
    const mx = lengths.length ? max(lengths) : undefined;
    return {
      source: name,
      traces: lengths.length,
      medianMinimized: med,
      maxMinimized: mx,
      ...(dfsLength !== undefined ? { dfsLength } : {}),
      ratioMedian: med !== undefined && bfsLength ? round(med / bfsLength, 3) : undefined,
      ratioMax: mx !== undefined && bfsLength ? round(mx / bfsLength, 3) : undefined,
    };
  };
  // Every strategy's minimised traces, then the exhaustive DFS counterexample minimised.
  const sources = all
    .filter((r) => r.found > 0)
    .map((r) => source(r.strategy, r.seeds.flatMap((x) => (x.minimizedLength !== undefined ? [x.minimizedLength] : []))));
  const dfs = checkExhaustive(kubeOvnModel, { variant: o.variant, scenario: o.scenario, properties: [property] });
  if (dfs.result === 'violated') {
    const ctx = contextFor(target(kubeOvnModel, { variant: o.variant, properties: [property] }), o.scenario);
    const run = execute(ctx, { kind: 'ids', ids: dfs.counterexample!.steps, strict: true });
    const m = minimize(ctx, run);
    sources.push(source('dfs', m.violation?.property === property ? [m.ids.length] : [], run.ids.length));
  }
  return { id, property, bfsLength, bfsStates: bfs.stats.states ?? 0, bfsMs: round(bfsMs, 0), bfsComplete: bfs.result === 'violated' || !!bfs.stats.complete, sources };
}

export function runTimeToBug(o: TtbOptions): { ttb: GroupResult; shrink?: GroupResult; results: PropertyTtb[] } {
  const started = now();
  const results = o.properties.flatMap((p) =>
    o.strategies.map((strategy) => {
      o.onProgress?.(`time-to-bug ${p.id}: ${p.property}, strategy ${strategy}`);
      return timeToBug(o, p, strategy);
    }),
  );
  const ttbElapsed = now() - started;
  const rows: string[][] = [['property', 'strategy', 'found', 'runs med / max', 'ms to bug med / max', 'fc shrink ms med', 'minimise ms med']];
  const targets = [];
  for (const r of results) {
    const name = `${r.id}: ${r.property}`;
    const strategy = r.strategy === o.strategies[0] ? `${r.strategy} (default)` : r.strategy;
    if (r.found) {
      rows.push([name, strategy, `${r.found}/${r.seeds.length}`, `${fmt(r.medianRuns)} / ${fmt(r.maxRuns)}`, `${fmt(r.medianMs, 1)} / ${fmt(r.maxMs, 1)}`, fmt(r.medianShrinkMs, 1), fmt(r.medianMinimizeMs, 1)]);
    } else {
      rows.push([name, strategy, `0/${r.seeds.length}`, `> ${fmt(r.numRuns)}`, `> ${fmt(r.medianMsNotFound)} (budget)`, '-', '-']);
    }
  }
  const medianOk = (r: PropertyTtb) => r.found * 2 > r.seeds.length && (r.medianMs ?? Infinity) < 1000;
  const describe = (r: PropertyTtb) =>
    r.found
      ? `${r.strategy}: ${fmt(r.medianMs, 1)} ms median (${r.found}/${r.seeds.length} seeds)`
      : `${r.strategy}: not found by ${r.seeds.length} seeds × ${fmt(r.numRuns)} runs`;
  for (const p of o.properties) {
    const mine = results.filter((r) => r.id === p.id);
    const def = mine[0];
    const other = mine.slice(1).find(medianOk);
    targets.push({
      target: `${p.id} found in < 1 s median`,
      measured: mine.map(describe).join('; '),
      met: medianOk(def),
      ...(!medianOk(def) && other ? { note: `met with strategy '${other.strategy}' (opt-in)` } : {}),
    });
  }
  const ttb: GroupResult = {
    id: 'time-to-bug',
    title: `3. Time-to-bug (checkRandom, ${o.variant}, ${o.scenario}, seeds 0..${o.seeds - 1} per strategy)`,
    table: rows,
    targets,
    notes: [
      'ms to bug: from the checkRandom call to the end of the first failing run (target and scenario set-up included, shrinking excluded).',
      'fc shrink: fast-check shrinking of the choice array after that (PCT draws are not shrunk); minimise: the id-level pass (src/check/minimize.ts) on the shrunk trace.',
      "strategy: checkRandom's `strategy` option — uniform choice among enabled actions (default), PCT priorities (src/check/pct.ts), or both alternately (mixed).",
    ],
    data: results,
    elapsedMs: ttbElapsed,
  };
  if (o.shrinkQuality === false) return { ttb, results };
  const s0 = now();
  const quality = o.properties.map((p) => {
    o.onProgress?.(`shrink quality ${p.id}: BFS-shortest`);
    return shrinkQuality(
      o,
      results.filter((r) => r.id === p.id),
    );
  });
  const srows: string[][] = [['property', 'BFS shortest', 'BFS states / ms', 'minimised from', 'traces', 'length med / max', 'ratio med / max']];
  const stargets = [];
  for (const q of quality) {
    const bfs = q.bfsLength !== undefined ? String(q.bfsLength) : q.bfsComplete ? 'none (holds)' : 'capped';
    for (const [i, src] of q.sources.entries()) {
      srows.push([
        i === 0 ? `${q.id}: ${q.property}` : '',
        i === 0 ? bfs : '',
        i === 0 ? `${fmt(q.bfsStates)} / ${fmt(q.bfsMs)}` : '',
        src.source === 'dfs' ? `DFS trace (${src.dfsLength} steps)` : `checkRandom ${src.source}`,
        String(src.traces),
        src.medianMinimized !== undefined ? `${fmt(src.medianMinimized, 1)} / ${fmt(src.maxMinimized)}` : '-',
        src.ratioMedian !== undefined ? `${fmt(src.ratioMedian, 2)} / ${fmt(src.ratioMax, 2)}` : '-',
      ]);
    }
    // Judged on the default strategy's traces, else on the first strategy that found the bug.
    const judged = q.sources.find((x) => x.source !== 'dfs' && x.ratioMax !== undefined);
    const others = q.sources.filter((x) => x !== judged && x.ratioMax !== undefined);
    stargets.push({
      target: `${q.id}: shrunk length <= 1.2x BFS-shortest`,
      measured: [judged, ...others]
        .filter((x): x is ShrinkSource => x !== undefined)
        .map((x) => `${x.source}: ${fmt(x.ratioMedian, 2)}x median, ${fmt(x.ratioMax, 2)}x max`)
        .join('; ') || 'not measured',
      met: judged !== undefined && judged.ratioMax! <= 1.2,
      ...(judged ? { note: `judged on ${judged.source} (max over seeds)` } : {}),
    });
  }
  const shrink: GroupResult = {
    id: 'shrink-quality',
    title: `4. Shrink quality (minimised length vs BFS-shortest, ${o.variant}, ${o.scenario})`,
    table: srows,
    targets: stargets,
    notes: ['Lengths count every step after set-up up to the violating stable state, default-policy settling steps included, as trace files do.'],
    data: quality,
    elapsedMs: now() - s0,
  };
  return { ttb, shrink, results };
}

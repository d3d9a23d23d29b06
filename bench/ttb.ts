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
import { checkRandom } from '../src/check/random.ts';
import { type GroupResult, fmt, max, median, now, round } from './lib.ts';

export interface TtbOptions {
  readonly seeds: number;
  /** numRuns cap per seed, per property. */
  readonly numRuns: Readonly<Record<string, number>>;
  readonly variant: string;
  readonly scenario: string;
  readonly properties: readonly { readonly id: string; readonly property: string }[];
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

export interface ShrinkQuality {
  readonly id: string;
  readonly property: string;
  readonly bfsLength?: number;
  readonly bfsStates: number;
  readonly bfsMs: number;
  readonly bfsComplete: boolean;
  readonly source: 'random' | 'dfs';
  readonly medianMinimized?: number;
  readonly maxMinimized?: number;
  readonly dfsLength?: number;
  readonly ratioMedian?: number;
  readonly ratioMax?: number;
}

export function timeToBug(o: TtbOptions, prop: { id: string; property: string }): PropertyTtb {
  const numRuns = o.numRuns[prop.id] ?? 1000;
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

export function shrinkQuality(o: TtbOptions, ttb: PropertyTtb): ShrinkQuality {
  const t0 = now();
  const bfs = checkExhaustive(kubeOvnModel, {
    variant: o.variant,
    scenario: o.scenario,
    properties: [ttb.property],
    shortest: true,
    maxStates: o.bfsMaxStates,
  });
  const bfsMs = now() - t0;
  const bfsLength = bfs.result === 'violated' ? bfs.counterexample!.steps.length : undefined;
  let source: 'random' | 'dfs' = 'random';
  let lengths = ttb.seeds.flatMap((s) => (s.minimizedLength !== undefined ? [s.minimizedLength] : []));
  let dfsLength: number | undefined;
  if (lengths.length === 0) {
    // Random search found nothing: minimise the (long) DFS counterexample instead.
    source = 'dfs';
    const dfs = checkExhaustive(kubeOvnModel, { variant: o.variant, scenario: o.scenario, properties: [ttb.property] });
    if (dfs.result === 'violated') {
      const ctx = contextFor(target(kubeOvnModel, { variant: o.variant, properties: [ttb.property] }), o.scenario);
      const run = execute(ctx, { kind: 'ids', ids: dfs.counterexample!.steps, strict: true });
      dfsLength = run.ids.length;
      const m = minimize(ctx, run);
      if (m.violation?.property === ttb.property) lengths = [m.ids.length];
    }
  }
  const med = lengths.length ? median(lengths) : undefined;
  const mx = lengths.length ? max(lengths) : undefined;
  return {
    id: ttb.id,
    property: ttb.property,
    bfsLength,
    bfsStates: bfs.stats.states ?? 0,
    bfsMs: round(bfsMs, 0),
    bfsComplete: bfs.result === 'violated' || !!bfs.stats.complete,
    source,
    medianMinimized: med,
    maxMinimized: mx,
    dfsLength,
    ratioMedian: med !== undefined && bfsLength ? round(med / bfsLength, 3) : undefined,
    ratioMax: mx !== undefined && bfsLength ? round(mx / bfsLength, 3) : undefined,
  };
}

export function runTimeToBug(o: TtbOptions): { ttb: GroupResult; shrink?: GroupResult; results: PropertyTtb[] } {
  const started = now();
  const results = o.properties.map((p) => {
    o.onProgress?.(`time-to-bug ${p.id}: ${p.property}`);
    return timeToBug(o, p);
  });
  const ttbElapsed = now() - started;
  const rows: string[][] = [['property', 'found', 'runs med / max', 'ms to bug med / max', 'fc shrink ms med', 'minimise ms med']];
  const targets = [];
  for (const r of results) {
    const name = `${r.id}: ${r.property}`;
    if (r.found) {
      rows.push([name, `${r.found}/${r.seeds.length}`, `${fmt(r.medianRuns)} / ${fmt(r.maxRuns)}`, `${fmt(r.medianMs, 1)} / ${fmt(r.maxMs, 1)}`, fmt(r.medianShrinkMs, 1), fmt(r.medianMinimizeMs, 1)]);
    } else {
      rows.push([name, `0/${r.seeds.length}`, `> ${fmt(r.numRuns)}`, `> ${fmt(r.medianMsNotFound)} (budget)`, '-', '-']);
    }
    const medianOk = r.found * 2 > r.seeds.length && (r.medianMs ?? Infinity) < 1000;
    targets.push({
      target: `${r.id} found in < 1 s median`,
      measured: r.found ? `${fmt(r.medianMs, 1)} ms median, found by ${r.found}/${r.seeds.length} seeds` : `not found by any of ${r.seeds.length} seeds within ${fmt(r.numRuns)} runs each`,
      met: medianOk,
    });
  }
  const ttb: GroupResult = {
    id: 'time-to-bug',
    title: `3. Time-to-bug (checkRandom, ${o.variant}, ${o.scenario}, seeds 0..${o.seeds - 1})`,
    table: rows,
    targets,
    notes: [
      'ms to bug: from the checkRandom call to the end of the first failing run (target and scenario set-up included, shrinking excluded).',
      'fc shrink: fast-check shrinking of the choice array after that; minimise: the id-level pass (src/check/minimize.ts) on the shrunk trace.',
    ],
    data: results,
    elapsedMs: ttbElapsed,
  };
  if (o.shrinkQuality === false) return { ttb, results };
  const s0 = now();
  const quality = results.map((r) => {
    o.onProgress?.(`shrink quality ${r.id}: BFS-shortest`);
    return shrinkQuality(o, r);
  });
  const srows: string[][] = [['property', 'BFS shortest', 'minimised med / max', 'ratio med / max', 'source', 'BFS states / ms']];
  const stargets = [];
  for (const q of quality) {
    srows.push([
      `${q.id}: ${q.property}`,
      q.bfsLength !== undefined ? String(q.bfsLength) : q.bfsComplete ? 'none (holds)' : 'capped',
      q.medianMinimized !== undefined ? `${fmt(q.medianMinimized, 1)} / ${fmt(q.maxMinimized)}` : '-',
      q.ratioMedian !== undefined ? `${fmt(q.ratioMedian, 2)} / ${fmt(q.ratioMax, 2)}` : '-',
      q.source === 'dfs' ? `DFS (${q.dfsLength} steps) minimised` : 'random + minimise',
      `${fmt(q.bfsStates)} / ${fmt(q.bfsMs)}`,
    ]);
    stargets.push({
      target: `${q.id}: shrunk length <= 1.2x BFS-shortest`,
      measured: q.ratioMax !== undefined ? `${fmt(q.ratioMedian, 2)}x median, ${fmt(q.ratioMax, 2)}x max (${q.source})` : 'not measured',
      met: q.ratioMax !== undefined && q.ratioMax <= 1.2,
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

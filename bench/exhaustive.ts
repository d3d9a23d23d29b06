/**
 * Groups 2 and 5: exhaustive search. Each check runs in its own child process so its peak
 * memory is its own (max RSS from the OS; RSS and heapUsed also sampled every 10,000 states).
 */
import type { ExhaustiveJob, ExhaustiveOutcome } from './child-exhaustive.ts';
import { type GroupResult, fmt, now, round, runChild } from './lib.ts';
import { type ScenarioShape, shapeLabel } from './scenarios.ts';

const CHILD = './child-exhaustive.ts';

export interface ProofOptions {
  readonly variant: string;
  readonly scenario: string;
  readonly property: string;
  readonly maxTimeMs: number;
}

export async function runProof(o: ProofOptions): Promise<GroupResult> {
  const started = now();
  // DFS from the root (no breadth-first phase), so the rows compare sleep sets alone.
  const job = (por: boolean): ExhaustiveJob => ({ variant: o.variant, scenario: o.scenario, properties: [o.property], por, bfsStates: 0, maxTimeMs: o.maxTimeMs });
  const withPor = await runChild<ExhaustiveOutcome>(CHILD, job(true));
  const withoutPor = await runChild<ExhaustiveOutcome>(CHILD, job(false));
  const rate = (r: ExhaustiveOutcome) => (r.states / r.durationMs) * 1000;
  const row = (name: string, r: ExhaustiveOutcome) => [
    name,
    r.result + (r.complete ? ', complete' : r.result === 'holds' ? ', capped' : ''),
    fmt(r.states),
    fmt(r.transitions),
    fmt(r.durationMs / 1000, 1),
    fmt(rate(r)),
    fmt((r.transitions / r.durationMs) * 1000),
    `${fmt(r.maxRssMb, 0)} / ${fmt(r.peakHeapUsedMb, 0)}`,
  ];
  const stateRatio = withoutPor.states / withPor.states;
  const transitionRatio = withoutPor.transitions / withPor.transitions;
  const bothComplete = withPor.complete && withoutPor.complete;
  const bestRate = Math.max(rate(withPor), rate(withoutPor));
  return {
    id: 'exhaustive',
    title: `2. Exhaustive proof (${o.variant}, ${o.scenario}, ${o.property})`,
    table: [
      ['search', 'result', 'states', 'transitions', 's', 'states/s', 'transitions/s', 'max RSS / peak heap MB'],
      row('DFS + sleep-set POR', withPor),
      row('DFS, por: false', withoutPor),
    ],
    targets: [
      { target: '>= 100k distinct states/s exhaustive', measured: `${fmt(bestRate)} states/s`, met: bestRate >= 100_000 },
      {
        target: 'POR >= 10x fewer states on the fixed-variant proof',
        measured: `${fmt(stateRatio, 2)}x fewer states, ${fmt(transitionRatio, 2)}x fewer transitions${bothComplete ? '' : ' (a run was capped)'}`,
        met: bothComplete && stateRatio >= 10,
      },
    ],
    notes: [
      `Each search in its own child process; RSS at start of the child ${fmt(withPor.rssStartMb, 0)} MB (Node + tsx + model).`,
      'Sleep sets prune transitions, not states: a state reached by two orders of independent steps is still visited (and then skipped by the visited set).',
    ],
    data: { ...o, por: withPor, noPor: withoutPor, stateRatio: round(stateRatio, 3), transitionRatio: round(transitionRatio, 3) },
    elapsedMs: now() - started,
  };
}

export interface ScalingOptions {
  readonly variant: string;
  readonly property: string;
  readonly shapes: readonly ScenarioShape[];
  readonly maxStates: number;
  readonly maxTimeMs: number;
  /** Depth of the exact breadth-first count per cell. */
  readonly bfsDepth: number;
}

export async function runScaling(o: ScalingOptions): Promise<GroupResult> {
  const started = now();
  const rows: string[][] = [
    ['pods, attachments/pod, subnets', 'DFS states', 'transitions', 's', 'states/s', 'complete', 'max depth', 'max RSS MB', `BFS states ≤ ${o.bfsDepth} steps`, 'BFS s'],
  ];
  const cells: Array<ScenarioShape & { outcome: ExhaustiveOutcome; bfs: ExhaustiveOutcome }> = [];
  for (const shape of o.shapes) {
    const outcome = await runChild<ExhaustiveOutcome>(CHILD, {
      variant: o.variant,
      shape,
      properties: [o.property],
      maxStates: o.maxStates,
      maxTimeMs: o.maxTimeMs,
    } satisfies ExhaustiveJob);
    // Exact count of the states within bfsDepth steps (BFS explores every state up to that depth).
    const bfs = await runChild<ExhaustiveOutcome>(CHILD, {
      variant: o.variant,
      shape,
      properties: [o.property],
      shortest: true,
      maxDepth: o.bfsDepth,
      maxStates: o.maxStates,
      maxTimeMs: o.maxTimeMs,
    } satisfies ExhaustiveJob);
    cells.push({ ...shape, outcome, bfs });
    const bfsCapped = bfs.states >= o.maxStates || bfs.durationMs >= o.maxTimeMs;
    const capped = !outcome.complete && outcome.result === 'holds';
    rows.push([
      shapeLabel(shape),
      (capped ? '>= ' : '') + fmt(outcome.states),
      fmt(outcome.transitions),
      fmt(outcome.durationMs / 1000, 1),
      fmt((outcome.states / outcome.durationMs) * 1000),
      outcome.complete ? 'yes' : 'capped',
      fmt(outcome.maxDepth),
      fmt(outcome.maxRssMb, 0),
      (bfsCapped ? '>= ' : '') + fmt(bfs.states),
      fmt(bfs.durationMs / 1000, 1),
    ]);
  }
  return {
    id: 'scaling',
    title: `5. Scaling (exhaustive DFS + POR, ${o.variant}, reachable state space; cap ${fmt(o.maxStates)} states or ${fmt(o.maxTimeMs / 1000)} s per cell)`,
    table: rows,
    targets: [],
    notes: [
      'Each pod is created then deleted by its own user; an admin deletes every subnet meanwhile. "capped" = the cell hit its state or time cap: the count is a lower bound.',
      `Only the reachability goal ${o.property} is checked (no safety property), so every cell explores its whole reachable space up to the cap.`,
      `BFS states ≤ ${o.bfsDepth} steps: every state reachable within ${o.bfsDepth} steps of the set-up world (exact unless marked >=), a size measure that does not depend on the cap.`,
    ],
    data: { ...o, cells },
    elapsedMs: now() - started,
  };
}

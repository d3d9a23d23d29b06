/**
 * Group 1: simulator throughput. Random walks from the set-up world of kube-ovn v1.12.28,
 * scenario issue-4898: at each step a uniform choice among the enabled actions (seeded
 * mulberry32), a walk restarting from the root after `walkLength` steps or when nothing is
 * enabled. Measures Simulator.enabled() + Simulator.step() only (no properties, no settle).
 */
import { kubeOvnModel } from '../models/kube-ovn/index.ts';
import { contextFor, target } from '../src/check/context.ts';
import { nextInt, seedState } from '../src/engine/rng.ts';
import type { World } from '../src/engine/world.ts';
import { type GroupResult, cpuMs, fmt, now, round } from './lib.ts';

export interface ThroughputOptions {
  readonly steps: number;
  readonly warmupSteps: number;
  readonly walkLength: number;
  readonly seed: number;
  readonly repeats: number;
}

interface Sample {
  readonly steps: number;
  readonly walks: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly enabledMs: number;
  readonly meanEnabled: number;
}

export function runThroughput(o: ThroughputOptions): GroupResult {
  const started = now();
  const t = target(kubeOvnModel, { variant: 'v1.12.28' });
  const ctx = contextFor(t, 'issue-4898');
  const { sim, scenario, root } = ctx;
  let rng = seedState(o.seed);

  const walk = (steps: number, timeEnabled: boolean): Sample => {
    let done = 0;
    let walks = 0;
    let enabledSum = 0;
    let enabledMs = 0;
    const w0 = now();
    const c0 = cpuMs();
    while (done < steps) {
      let world: World = root;
      walks++;
      for (let i = 0; i < o.walkLength && done < steps; i++) {
        let e0 = 0;
        if (timeEnabled) e0 = now();
        const actions = sim.enabled(world, scenario);
        if (timeEnabled) enabledMs += now() - e0;
        if (actions.length === 0) break;
        enabledSum += actions.length;
        const [c, next] = nextInt(rng, actions.length);
        rng = next;
        world = sim.step(world, actions[c], scenario).world;
        done++;
      }
    }
    return { steps: done, walks, wallMs: now() - w0, cpuMs: cpuMs() - c0, enabledMs, meanEnabled: enabledSum / done };
  };

  walk(o.warmupSteps, false);
  const samples: Sample[] = [];
  for (let r = 0; r < o.repeats; r++) samples.push(walk(o.steps, false));
  // A separate pass splits the time between enabled() and step() (timer calls add a little overhead).
  const split = walk(Math.min(o.steps, 50_000), true);
  const best = samples.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const rate = (s: Sample) => (s.steps / s.wallMs) * 1000;
  const rates = samples.map(rate);
  const stepsPerSec = rate(best);
  const usPerStep = (best.wallMs * 1000) / best.steps;
  const enabledShare = split.enabledMs / split.wallMs;
  const data = {
    model: 'kube-ovn',
    variant: 'v1.12.28',
    scenario: 'issue-4898',
    walkLength: o.walkLength,
    seed: o.seed,
    stepsPerRepeat: o.steps,
    repeats: o.repeats,
    bestStepsPerSec: round(stepsPerSec, 0),
    stepsPerSecAll: rates.map((r) => round(r, 0)),
    usPerStep: round(usPerStep, 2),
    cpuUsPerStep: round((best.cpuMs * 1000) / best.steps, 2),
    walks: best.walks,
    meanEnabledActions: round(best.meanEnabled, 2),
    enabledShareOfTime: round(enabledShare, 3),
  };
  return {
    id: 'throughput',
    title: '1. Simulator throughput (random walks, kube-ovn v1.12.28, issue-4898)',
    table: [
      ['metric', 'value'],
      ['steps/s (best of repeats)', fmt(stepsPerSec)],
      ['steps/s (each repeat)', rates.map((r) => fmt(r)).join(' / ')],
      ['µs per step (wall / cpu)', `${fmt(usPerStep, 2)} / ${fmt(data.cpuUsPerStep, 2)}`],
      ['share of time in enabled()', `${fmt(enabledShare * 100, 1)} %`],
      ['mean enabled actions per state', fmt(best.meanEnabled, 2)],
      ['walks (length ≤ ' + o.walkLength + ')', fmt(best.walks)],
    ],
    targets: [
      {
        target: '>= 200k simulated steps/s',
        measured: `${fmt(stepsPerSec)} steps/s`,
        met: stepsPerSec >= 200_000,
      },
    ],
    notes: [],
    data,
    elapsedMs: now() - started,
  };
}

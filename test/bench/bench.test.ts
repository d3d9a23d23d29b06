/** Smoke tests of the benchmark building blocks (the full suite is `npm run bench`). */
import { describe, expect, it } from 'vitest';
import { baselineCheck } from '../../bench/baseline.ts';
import { scaledScenario } from '../../bench/scenarios.ts';
import { runExhaustiveJob } from '../../bench/child-exhaustive.ts';
import { runParallel, runShallow } from '../../bench/search.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import { scenarios } from '../../models/kube-ovn/scenarios.ts';
import { contextFor, target } from '../../src/check/context.ts';

describe('bench building blocks', () => {
  it('the fc.scheduler baseline harness finds its race, deterministically per seed', async () => {
    let tick = 0;
    const clock = () => tick++;
    const a = await baselineCheck(0, 200, clock);
    const b = await baselineCheck(0, 200, clock);
    expect(a.found).toBe(true);
    expect(b.runs).toBe(a.runs);
  });

  it('scaled scenarios set up, and the 1-pod shape is the single-network scenario', () => {
    expect(scaledScenario({ pods: 1, attachments: 0, subnets: 1 })).toEqual(scenarios['single-network']);
    const t = target(kubeOvnModel, { variant: 'fix2' });
    for (const shape of [
      { pods: 2, attachments: 1, subnets: 2 },
      { pods: 1, attachments: 3, subnets: 1 },
    ]) {
      const ctx = contextFor(t, scaledScenario(shape));
      expect(Object.keys(ctx.root.api.objects).filter((k) => k.startsWith('Subnet/'))).toHaveLength(shape.subnets);
      expect(ctx.scenario.ops).toHaveLength(2 * shape.pods + shape.subnets);
    }
  });

  it('an exhaustive job reports states and memory', () => {
    const r = runExhaustiveJob({ variant: 'v1.12.28', scenario: 'single-network', properties: ['ip-outlives-pod-and-subnet'], maxStates: 500 });
    expect(r.states).toBeGreaterThan(0);
    expect(r.maxRssMb).toBeGreaterThan(0);
    expect(r.peakHeapUsedMb).toBeGreaterThan(0);
  });

  it('the shallow-bug group finds the 8-step race first; the parallel group counts the same capped search', { timeout: 120_000 }, async () => {
    const shallow = runShallow({ scenario: 'six' });
    expect(shallow.targets[0].met).toBe(true);
    const par = await runParallel({ maxStates: 3000 });
    const states = (par.data as Array<{ stats: { states: number } }>).map((d) => d.stats.states);
    expect(states).toHaveLength(3);
    for (const n of states) expect(n).toBeGreaterThanOrEqual(3000);
  });
});

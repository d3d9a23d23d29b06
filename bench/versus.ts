/**
 * Group 6: kuberace against the fc.scheduler() harness of ./baseline.ts, same seeds, same
 * process. kuberace's side is group 3's scenario-A measurement (checkRandom on the full
 * Kube-OVN model), reused rather than re-run.
 */
import { baselineCheck, type BaselineRun } from './baseline.ts';
import { type GroupResult, fmt, max, median, now, round } from './lib.ts';
import type { PropertyTtb } from './ttb.ts';

export async function runVersus(kuberaceA: PropertyTtb, seeds: number, numRuns: number): Promise<GroupResult> {
  const started = now();
  const base: BaselineRun[] = [];
  for (let seed = 0; seed < seeds; seed++) base.push(await baselineCheck(seed, numRuns, now));
  const bFound = base.filter((r) => r.found);
  const kFound = kuberaceA.seeds.filter((s) => s.found);
  const bRuns = median(bFound.map((r) => r.runs));
  const kRuns = median(kFound.map((s) => s.runs));
  const bMs = median(bFound.map((r) => r.msToBug));
  const kMs = median(kFound.map((s) => s.msToBug));
  const runsRatio = bRuns / kRuns;
  const msRatio = bMs / kMs;
  return {
    id: 'baseline',
    title: '6. Baseline: the same race as a plain fast-check fc.scheduler() harness (seeds 0..' + (seeds - 1) + ')',
    table: [
      ['harness', 'found', 'runs med / max', 'ms to bug med / max'],
      ['fc.scheduler() harness', `${bFound.length}/${base.length}`, `${fmt(bRuns, 1)} / ${fmt(max(bFound.map((r) => r.runs)))}`, `${fmt(bMs, 1)} / ${fmt(max(bFound.map((r) => r.msToBug)), 1)}`],
      [
        `kuberace checkRandom (${kuberaceA.property})`,
        `${kFound.length}/${kuberaceA.seeds.length}`,
        `${fmt(kRuns, 1)} / ${fmt(max(kFound.map((s) => s.runs)))}`,
        `${fmt(kMs, 1)} / ${fmt(max(kFound.map((s) => s.msToBug)), 1)}`,
      ],
      ['ratio baseline / kuberace', '', fmt(runsRatio, 2), fmt(msRatio, 2)],
    ],
    targets: [
      {
        target: '>= 10x fewer runs-to-bug than the fc.scheduler baseline',
        measured: `${fmt(runsRatio, 2)}x (median runs ${fmt(bRuns, 1)} vs ${fmt(kRuns, 1)})`,
        met: runsRatio >= 10,
      },
    ],
    notes: [
      'The harness (bench/baseline.ts) has the race shape of scenario A: allocation creates the IP CR, the subnet finalizer is decided from a stale usingIPs, and pod deletion gives up when the subnet is gone.',
      'It is far smaller than the model (5 handlers, no informer caches, queues, retries or IP finalizers), so a larger share of its schedules hits the race.',
    ],
    data: {
      baseline: base.map((r) => ({ ...r, msToBug: round(r.msToBug, 2), totalMs: round(r.totalMs, 2) })),
      kuberace: kFound.map((s) => ({ seed: s.seed, runs: s.runs, msToBug: round(s.msToBug, 2) })),
      medianRunsBaseline: bRuns,
      medianRunsKuberace: kRuns,
      runsRatio: round(runsRatio, 3),
      msRatio: round(msRatio, 3),
      baselineNumRuns: numRuns,
    },
    elapsedMs: now() - started,
  };
}

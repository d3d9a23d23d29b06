/**
 * Regenerates the Kube-OVN counterexamples under test/counterexamples/ (random search with a
 * fixed seed, then minimisation). Run: npx tsx scripts/counterexamples.ts
 */
import { writeFileSync } from 'node:fs';
import { kubeOvnModel } from '../models/kube-ovn/index.ts';
import { contextFor, target } from '../src/check/context.ts';
import { checkExhaustive } from '../src/check/exhaustive.ts';
import { execute } from '../src/check/execute.ts';
import { minimize } from '../src/check/minimize.ts';
import { checkRandom, type CheckReport } from '../src/check/random.ts';
import { formatTrace } from '../src/trace/format.ts';

interface Wanted {
  readonly file: string;
  readonly variant: string;
  readonly scenario: string;
  readonly property: string;
  /** Found by exhaustive DFS (then minimised) instead of random search. */
  readonly exhaustive?: boolean;
}

const wanted: readonly Wanted[] = [
  { file: 'a-v1.12.28-single-network', variant: 'v1.12.28', scenario: 'single-network', property: 'ip-outlives-pod-and-subnet' },
  { file: 'a-v1.12.28-issue-4898', variant: 'v1.12.28', scenario: 'issue-4898', property: 'ip-outlives-pod-and-subnet' },
  { file: 'a-v1.12.28-issue-4898-vm', variant: 'v1.12.28', scenario: 'issue-4898-vm', property: 'ip-outlives-pod-and-subnet' },
  { file: 'a-kubectl-delete-ip-hangs-v1.12.28', variant: 'v1.12.28', scenario: 'kubectl-delete-ip', property: 'no-stuck-terminating' },
  { file: 'a-serialized-pod-gone-v1.12.28', variant: 'v1.12.28', scenario: 'serialized', property: 'ip-outlives-pod-and-subnet', exhaustive: true },
  { file: 'stale-status-serialized-v1.12.28', variant: 'v1.12.28', scenario: 'serialized', property: 'no-stuck-terminating', exhaustive: true },
  { file: 'b-foreign-finalizer-v1.12.28', variant: 'v1.12.28', scenario: 'foreign-finalizer', property: 'no-stuck-subnet-showing-zero' },
  { file: 'a-master-residual-single-network', variant: 'master', scenario: 'single-network', property: 'ip-outlives-pod-and-subnet' },
];

for (const w of wanted) {
  const r = w.exhaustive ? exhaustiveMinimised(w) : checkRandom(kubeOvnModel, { variant: w.variant, scenario: w.scenario, properties: [w.property], numRuns: 2000, seed: 4898 });
  if (!r.counterexample || r.violation?.property !== w.property) {
    console.log(`${w.file}: no counterexample for ${w.property} (${r.result}, ${r.violation?.property ?? '-'})`);
    continue;
  }
  writeFileSync(`test/counterexamples/${w.file}.json`, formatTrace(r.counterexample));
  console.log(`${w.file}: ${r.counterexample.steps.length} steps (shrunk from ${r.counterexample.found?.shrunkFrom}) in ${Math.round(r.stats.durationMs)} ms: ${r.violation.message}`);
}

function exhaustiveMinimised(w: Wanted): CheckReport {
  const r = checkExhaustive(kubeOvnModel, { variant: w.variant, scenario: w.scenario, properties: [w.property] });
  if (!r.counterexample) return r;
  const ctx = contextFor(target(kubeOvnModel, { variant: w.variant, properties: [w.property] }), w.scenario);
  const run = minimize(ctx, execute(ctx, { kind: 'ids', ids: r.counterexample.steps, strict: true }));
  return { ...r, violation: run.violation, counterexample: { ...r.counterexample, steps: run.ids, violation: run.violation!, found: { mode: 'exhaustive', shrunkFrom: r.counterexample.steps.length } } };
}

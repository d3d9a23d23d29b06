/**
 * `npm run bench [-- --json] [-- --quick] [-- --only=throughput,exhaustive,...]`
 *
 * Runs the benchmark groups of docs/BENCHMARKS.md in order and prints one table per group
 * plus the targets, or (--json) one JSON object. Every run is seeded; only timings vary.
 */
import { runProof, runScaling } from './exhaustive.ts';
import { type GroupResult, type TargetCheck, fmt, machine, now, renderTable } from './lib.ts';
import { runParallel, runReductions, runShallow } from './search.ts';
import { runThroughput } from './throughput.ts';
import { type PropertyTtb, runTimeToBug } from './ttb.ts';
import { runVersus } from './versus.ts';

const GROUPS = ['throughput', 'exhaustive', 'time-to-bug', 'shrink-quality', 'scaling', 'baseline', 'shallow', 'parallel', 'reductions'] as const;

function parseArgs(argv: readonly string[]) {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const only = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  for (const g of only ?? []) {
    if (!(GROUPS as readonly string[]).includes(g)) throw new Error(`unknown group "${g}" (known: ${GROUPS.join(', ')})`);
  }
  const unknown = argv.filter((a) => a !== '--json' && a !== '--quick' && !a.startsWith('--only='));
  if (unknown.length) throw new Error(`unknown argument(s): ${unknown.join(' ')} (use --json, --quick, --only=group,...)`);
  return { json, quick, only };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const want = (g: (typeof GROUPS)[number]) => !args.only || args.only.includes(g);
  const q = args.quick;
  const started = now();
  const log = (msg: string) => {
    if (!args.json) process.stderr.write(`[bench ${fmt((now() - started) / 1000, 1)}s] ${msg}\n`);
  };
  const groups: GroupResult[] = [];
  const add = (g: GroupResult) => {
    groups.push(g);
    if (!args.json) {
      process.stdout.write(`\n${g.title}  (${fmt(g.elapsedMs / 1000, 1)} s)\n${renderTable(g.table)}\n`);
      for (const n of g.notes) process.stdout.write(`  note: ${n}\n`);
    }
  };
  const info = machine();
  if (!args.json) process.stdout.write(`kuberace benchmarks — ${info.date}, Node ${info.node}, ${info.cpus} × ${info.cpuModel}, load ${info.loadAverage.join(' ')}\n`);

  if (want('throughput')) {
    log('throughput: random walks');
    add(runThroughput({ steps: q ? 50_000 : 200_000, warmupSteps: 20_000, walkLength: 100, seed: 1, repeats: q ? 1 : 5 }));
  }
  if (want('exhaustive')) {
    log('exhaustive: fix2 proof with and without POR (child processes)');
    add(await runProof({ variant: 'fix2', scenario: 'single-network', property: 'ip-outlives-pod-and-subnet', maxTimeMs: q ? 10_000 : 120_000 }));
  }
  let kuberaceA: PropertyTtb | undefined;
  let ttbSeeds = 0;
  const needTtb = want('time-to-bug') || want('shrink-quality') || want('baseline');
  if (needTtb) {
    log('time-to-bug: checkRandom over seeds');
    const seeds = q ? 5 : 20;
    const { ttb, shrink, results } = runTimeToBug({
      seeds,
      variant: 'v1.12.28',
      scenario: 'single-network',
      properties: [
        { id: 'A', property: 'ip-outlives-pod-and-subnet' },
        { id: 'B', property: 'no-stuck-terminating' },
      ],
      strategies: ['uniform', 'pct', 'mixed'],
      numRuns: { A: 10_000, B: 10_000, 'B/uniform': q ? 200 : 1000 },
      bfsMaxStates: q ? 20_000 : 500_000,
      shrinkQuality: want('shrink-quality'),
      onProgress: log,
    });
    if (want('time-to-bug')) add(ttb);
    if (shrink) add(shrink);
    kuberaceA = results.find((r) => r.id === 'A' && r.strategy === 'uniform');
    ttbSeeds = seeds;
  }
  if (want('scaling')) {
    log('scaling: exhaustive cells (child processes)');
    add(
      await runScaling({
        variant: 'fix2',
        property: 'subnet-gone-while-ip-crs-remain',
        shapes: [
          { pods: 1, attachments: 0, subnets: 1 },
          { pods: 1, attachments: 1, subnets: 1 },
          { pods: 1, attachments: 2, subnets: 1 },
          { pods: 1, attachments: 3, subnets: 1 },
          { pods: 1, attachments: 0, subnets: 2 },
          { pods: 1, attachments: 1, subnets: 2 },
          { pods: 2, attachments: 0, subnets: 1 },
          { pods: 2, attachments: 0, subnets: 2 },
        ],
        maxStates: q ? 20_000 : 150_000,
        maxTimeMs: q ? 3_000 : 8_000,
        bfsDepth: q ? 12 : 16,
      }),
    );
  }

  if (want('baseline') && kuberaceA) {
    log('baseline: fc.scheduler harness');
    add(await runVersus(kuberaceA, ttbSeeds, 10_000));
  }

  if (want('shallow')) {
    log('shallow: time to an 8-step race among millions of states');
    add(runShallow({ scenario: 'six' }));
  }
  if (want('parallel')) {
    log('parallel: one thread vs 1 and 2 frontier-split workers');
    add(await runParallel({ maxStates: q ? 20_000 : 150_000 }));
  }
  if (want('reductions')) {
    log('reductions: states with and without sleep sets, symmetry and source-DPOR');
    add(runReductions({ quick: q }));
  }
  const targets: TargetCheck[] = groups.flatMap((g) => g.targets);
  const totalMs = now() - started;
  if (args.json) {
    const out = {
      machine: info,
      quick: q,
      totalMs: Math.round(totalMs),
      targets,
      groups: Object.fromEntries(groups.map((g) => [g.id, { title: g.title, elapsedMs: Math.round(g.elapsedMs), notes: g.notes, data: g.data }])),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  if (targets.length) process.stdout.write(`\nTargets\n${renderTable([['target', 'met', 'measured'], ...targets.map((t) => [t.target, t.met ? 'yes' : t.note ? `NO (${t.note})` : 'NO', t.measured])], [0, 1, 2])}\n`);
  process.stdout.write(`\ntotal ${fmt(totalMs / 1000, 1)} s\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});

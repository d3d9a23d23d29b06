/**
 * Golden check of the engine: run before and after a change that must not change behaviour
 * (e.g. splitting src/engine/simulator.ts), then compare the two output directories with
 * `diff -r`. Run: npx tsx scripts/golden-engine.ts <out-dir> [--quick]
 *
 * It writes, for kube-ovn, vpc, operator and the toy fixture:
 * - walks.txt: seeded random walks over every variant and scenario, with and without a fault
 *   budget; every log entry (id, actor, notes, reads, writes) and the exact fingerprint of the
 *   world after it. One walk in four also steps a sibling action from the same world first and
 *   throws it away, so the main branch resumes handlers by replay (the live generator was taken).
 * - exhaustive.txt: verdict, states, transitions, depth and completeness of budgeted exhaustive
 *   searches (with and without partial-order reduction, and breadth-first) of small scenarios.
 * - counterexamples.txt: the replay of every test/counterexamples/*.json file (status and log).
 * and prints one sha256 per file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { models } from '../models/index.ts';
import { contextFor, target } from '../src/check/context.ts';
import { checkExhaustive } from '../src/check/exhaustive.ts';
import type { ModelDef } from '../src/check/model.ts';
import { fingerprint } from '../src/engine/fingerprint.ts';
import type { LogEntry } from '../src/engine/simulator.ts';
import type { FaultBudget } from '../src/engine/system.ts';
import { readTraceFile, replayTrace } from '../src/trace/replay.ts';
import { toyModel } from '../test/fixtures/toy-model.ts';

const args = process.argv.slice(2);
const out = args.find((a) => !a.startsWith('--'));
if (!out) {
  console.error('usage: npx tsx scripts/golden-engine.ts <out-dir> [--quick]');
  process.exit(2);
}
const quick = args.includes('--quick');
const all: Readonly<Record<string, ModelDef<any>>> = { ...models, [toyModel.name]: toyModel };

/** A small deterministic PRNG (xorshift32) for the walk's choices. */
function rng(seed: number): (n: number) => number {
  let s = (seed * 2654435761) >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

function entryText(e: LogEntry): string {
  return `${e.step} [${e.actor}] ${e.id}\n  notes ${JSON.stringify(e.notes)}\n  reads ${JSON.stringify(e.reads)}\n  writes ${JSON.stringify(e.writes)}`;
}

const FAULTS: FaultBudget = { restarts: 1, watchDisconnects: 1, resyncs: 1, apiErrors: 2 };

function walks(): string {
  const lines: string[] = [];
  const seeds = quick ? [1, 2] : [1, 2, 3, 4];
  const maxSteps = quick ? 150 : 400;
  for (const [name, model] of Object.entries(all)) {
    for (const variant of Object.keys(model.variants)) {
      for (const scenario of Object.keys(model.scenarios)) {
        for (const faults of [undefined, FAULTS]) {
          const t = target(model, { variant, ...(faults ? { engine: { faults } } : {}) });
          const ctx = contextFor(t, scenario);
          for (const seed of seeds) {
            lines.push(`== ${name} ${variant} ${scenario} seed ${seed}${faults ? ' faults' : ''} root ${fingerprint(ctx.root)}`);
            const pick = rng(seed);
            let world = ctx.root;
            for (let i = 0; i < maxSteps; i++) {
              const actions = ctx.sim.enabled(world, ctx.scenario);
              if (actions.length === 0) break;
              const a = actions[pick(actions.length)];
              if (actions.length > 1 && pick(4) === 0) {
                const sibling = actions[pick(actions.length)];
                const s = ctx.sim.step(world, sibling, ctx.scenario);
                lines.push(`  (sibling) ${entryText(s.entry)}\n  -> ${fingerprint(s.world)}`);
              }
              const r = ctx.sim.step(world, a, ctx.scenario);
              world = r.world;
              lines.push(`${entryText(r.entry)}\n  -> ${fingerprint(world)}${world.failure ? ` failure ${JSON.stringify(world.failure)}` : ''}`);
            }
          }
        }
      }
    }
  }
  return lines.join('\n') + '\n';
}

interface Search {
  readonly model: string;
  readonly variant?: string;
  readonly scenario: string;
  readonly maxStates: number;
  readonly faults?: FaultBudget;
  readonly properties?: readonly string[];
}

function exhaustive(): string {
  const small = quick ? 5_000 : 30_000;
  const searches: Search[] = [
    { model: 'toy', variant: 'buggy', scenario: 'race', maxStates: small },
    { model: 'toy', variant: 'fixed', scenario: 'race', maxStates: small },
    { model: 'toy', variant: 'fixed', scenario: 'race', maxStates: small, faults: { restarts: 1, watchDisconnects: 1, resyncs: 1 } },
    ...Object.keys(models.vpc.scenarios).map((scenario) => ({ model: 'vpc', scenario, maxStates: small })),
    ...Object.keys(models.operator.scenarios).map((scenario) => ({ model: 'operator', scenario, maxStates: small })),
    { model: 'kube-ovn', variant: 'v1.12.28', scenario: 'serialized', maxStates: small },
    { model: 'kube-ovn', variant: 'fix2', scenario: 'single-network', maxStates: small },
    { model: 'kube-ovn', variant: 'fix2', scenario: 'single-network', maxStates: small, properties: ['ip-outlives-pod-and-subnet'] },
    { model: 'kube-ovn', variant: 'v1.12.28', scenario: 'serialized-idle', maxStates: small },
  ];
  const lines: string[] = [];
  for (const s of searches) {
    const model = all[s.model];
    for (const mode of [{}, { por: false }, { shortest: true }, { stopAtFirst: false }] as const) {
      const r = checkExhaustive(model, {
        variant: s.variant,
        scenario: s.scenario,
        maxStates: s.maxStates,
        ...mode,
        ...(s.faults ? { engine: { faults: s.faults } } : {}),
        ...(s.properties ? { properties: s.properties } : {}),
      });
      const { durationMs: _t, ...stats } = r.stats;
      const v = r.violation ? ` ${r.violation.property}: ${r.violation.message}` : '';
      const path = r.counterexample ? ` path ${JSON.stringify(r.counterexample.steps)}` : '';
      lines.push(`${s.model} ${s.variant ?? '-'} ${s.scenario}${s.faults ? ' faults' : ''}${s.properties ? ` ${s.properties.join(',')}` : ''} ${JSON.stringify(mode)}: ${r.result}${v} ${JSON.stringify(stats)}${path}`);
    }
  }
  return lines.join('\n') + '\n';
}

function counterexamples(): string {
  const dir = 'test/counterexamples';
  const lines: string[] = [];
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.json')).sort()) {
    const r = replayTrace(readTraceFile(join(dir, f)), models);
    lines.push(`== ${f}: ${r.status} stillViolated=${r.stillViolated}`);
    for (const e of r.log) lines.push(entryText(e));
  }
  return lines.join('\n') + '\n';
}

mkdirSync(out, { recursive: true });
for (const [file, make] of [
  ['walks.txt', walks],
  ['exhaustive.txt', exhaustive],
  ['counterexamples.txt', counterexamples],
] as const) {
  const text = make();
  writeFileSync(join(out, file), text);
  console.log(`${createHash('sha256').update(text).digest('hex').slice(0, 16)}  ${file} (${text.split('\n').length - 1} lines)`);
}

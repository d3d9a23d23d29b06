/**
 * Soundness of the search reductions: on every bundled model and every scenario small enough
 * for a full search, each reduced search (sleep-set POR, the breadth-first phase, both) reaches
 * the same SET of stable-state fingerprints as the plain DFS, and the same verdict per
 * property. A reduction that loses a stable state or an `always` violation fails here.
 */
import { describe, expect, test } from 'vitest';
import { type ExhaustiveOptions, checkExhaustive } from '../../src/check/exhaustive.ts';
import type { ModelDef } from '../../src/check/model.ts';
import { violation } from '../../src/check/property.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import { operatorModel } from '../../models/operator/index.ts';
import { vpcModel } from '../../models/vpc/index.ts';
import { slotsModel } from '../fixtures/slots-model.ts';
import { toyModel } from '../fixtures/toy-model.ts';

interface Outcome {
  readonly stable: Set<number>;
  /** atStable properties violated at some stable world, and the verdict of every always property. */
  readonly verdicts: Record<string, 'holds' | 'violated'>;
  readonly states: number;
}

const CAP = 5_000;

function run(model: ModelDef<any>, variant: string, scenario: string, opts: ExhaustiveOptions): Outcome | undefined {
  const stable = new Set<number>();
  const verdicts: Record<string, 'holds' | 'violated'> = {};
  const atStable = model.properties.filter((p) => p.kind === 'atStable');
  for (const p of atStable) verdicts[p.name] = 'holds';
  const r = checkExhaustive(model, {
    variant,
    scenario,
    stopAtFirst: false,
    maxStates: CAP,
    ...opts,
    onStable: (fp, world) => {
      stable.add(fp);
      for (const p of atStable) if (violation(p, world) !== undefined) verdicts[p.name] = 'violated';
    },
  });
  if (r.stats.stoppedBy !== undefined) return undefined;
  // Each always property on its own (a search reports one violation, the first).
  for (const p of model.properties.filter((q) => q.kind === 'always')) {
    verdicts[p.name] = checkExhaustive(model, { variant, scenario, maxStates: CAP, properties: [p.name], ...opts }).result;
  }
  return { stable, verdicts, states: r.stats.states! };
}

/** Each reduction, and whether it promises every state (sleep sets prune transitions only). */
const reductions: Record<string, { opts: ExhaustiveOptions; allStates: boolean }> = {
  'sleep sets': { opts: { por: true, bfsStates: 0 }, allStates: true },
  'breadth-first phase': { opts: { por: false, bfsStates: 20 }, allStates: true },
  'breadth-first phase + sleep sets': { opts: { por: true, bfsStates: 20 }, allStates: true },
};

const models: ModelDef<any>[] = [toyModel, slotsModel, vpcModel, operatorModel, kubeOvnModel];
/** Scenarios known to need far more than CAP states (measured: tens of thousands and more) are not tried. */
const large: Record<string, readonly string[]> = {
  slots: ['six', 'eight'],
  'kube-ovn': Object.keys(kubeOvnModel.scenarios).filter((s) => s !== 'serialized-idle'),
};

describe.each(models.map((m) => [m.name, m] as const))('reductions are sound on %s', (_name, model) => {
  const scenarios = Object.keys(model.scenarios).filter((s) => !large[model.name]?.includes(s));
  const cells = Object.keys(model.variants).flatMap((v) => scenarios.map((s) => [v, s] as const));
  test('every small scenario: same stable states and verdicts as the plain DFS', { timeout: 120_000 }, () => {
    let checked = 0;
    for (const [variant, scenario] of cells) {
      const full = run(model, variant, scenario, { por: false, bfsStates: 0 });
      if (!full) continue;
      checked++;
      for (const [name, { opts, allStates }] of Object.entries(reductions)) {
        const red = run(model, variant, scenario, opts);
        expect(red, `${variant}/${scenario} with ${name} completes`).toBeDefined();
        expect([...red!.stable].sort(), `${variant}/${scenario} with ${name}: stable states`).toEqual([...full.stable].sort());
        expect(red!.verdicts, `${variant}/${scenario} with ${name}: verdicts`).toEqual(full.verdicts);
        if (allStates) expect(red!.states, `${variant}/${scenario} with ${name}: states`).toBe(full.states);
        else expect(red!.states).toBeLessThanOrEqual(full.states);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

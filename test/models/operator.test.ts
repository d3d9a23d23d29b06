/** The generic operator model (models/operator): finalizer after the side effect leaks; finalizer first is proven. */
import { describe, expect, test } from 'vitest';
import { checkExhaustive, checkRandom, expectHolds, replayTrace } from '../../src/index.ts';
import { models } from '../../models/index.ts';
import { operatorModel } from '../../models/operator/index.ts';

describe('operator model', () => {
  test('is registered under its directory name', () => {
    expect(models.operator).toBe(operatorModel);
  });

  test('finalizer-after (the shape of kubeovn/kube-ovn#5115): checkRandom finds a leaked cloud rule', () => {
    const r = checkRandom(operatorModel, { variant: 'finalizer-after', seed: 1, numRuns: 100 });
    expect(r.result).toBe('violated');
    expect(r.violation).toMatchObject({ property: 'no-leaked-cloud-rule', kind: 'atStable' });
    expect(r.violation!.message).toMatch(/^cloud rule default\/rule\d outlives its FirewallRule$/);
    const steps = r.counterexample!.steps;
    // The cloud rule is created, the object is deleted, and the finalizer never lands.
    const created = steps.findIndex((s) => s.includes('CALL cloud-firewall.createRule'));
    expect(created).toBeGreaterThanOrEqual(0);
    expect(steps.some((s) => /^user\d: delete FirewallRule/.test(s))).toBe(true);
    expect(replayTrace(r.counterexample!, models).status).toBe('reproduced');
    expect(replayTrace(r.counterexample!, models, { variant: 'finalizer-first' }).status).toBe('holds');
  });

  for (const scenario of Object.keys(operatorModel.scenarios)) {
    test(`finalizer-first (#5142): checkExhaustive is complete and holds for ${scenario}`, () => {
      const r = checkExhaustive(operatorModel, { variant: 'finalizer-first', scenario });
      expect(r.result).toBe('holds');
      expect(r.stats.complete).toBe(true);
      expectHolds(r, { complete: true, dir: false, reached: 'all' });
    });
  }

  test('finalizer-first: random search over generated scenarios finds nothing', () => {
    expectHolds(checkRandom(operatorModel, { variant: 'finalizer-first', seed: 1, numRuns: 150 }), { dir: false });
  });

  test('finalizer-first-ignore-notfound (Kube-OVN v1.13.9/master handleAddIptablesFipFinalizer): the leak is back', () => {
    const r = checkExhaustive(operatorModel, { variant: 'finalizer-first-ignore-notfound', scenario: 'create-then-delete', shortest: true });
    expect(r.violation).toMatchObject({ property: 'no-leaked-cloud-rule', message: 'cloud rule default/web outlives its FirewallRule' });
    const steps = r.counterexample!.steps;
    // The finalizer patch meets NotFound (the object is gone), and the cloud rule is created anyway.
    const patch = steps.indexOf('firewall-operator/firewallrules: reconcileFirewallRule(default/web) PATCH FirewallRule/default/web');
    const create = steps.indexOf('firewall-operator/firewallrules: reconcileFirewallRule(default/web) CALL cloud-firewall.createRule(default/web)');
    expect(steps.indexOf('user: delete FirewallRule/default/web')).toBeLessThan(patch);
    expect(patch).toBeLessThan(create);
  });
});

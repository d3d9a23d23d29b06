/** The Kube-OVN VPC model (models/vpc): #5068 on v1.13.3, #5220 on v1.13.4, v1.13.12 proven for the issue's scenarios. */
import { describe, expect, test } from 'vitest';
import { checkExhaustive, checkRandom, describeTrace, expectHolds, replayTrace } from '../../src/index.ts';
import { models } from '../../models/index.ts';
import { issueScenarios, vpcModel } from '../../models/vpc/index.ts';

describe('vpc model', () => {
  test('is registered under its directory name', () => {
    expect(models.vpc).toBe(vpcModel);
    expect(Object.keys(vpcModel.variants)).toEqual(['buggy', 'fixed', 'finalizer-only']);
  });

  test('buggy (v1.13.3, #5068): checkRandom finds a subnet left pointing at a deleted VPC', () => {
    const r = checkRandom(vpcModel, { variant: 'buggy', seed: 1, numRuns: 100 });
    expect(r.result).toBe('violated');
    expect(r.violation).toMatchObject({ property: 'no-orphan-subnet', kind: 'atStable' });
    expect(r.violation!.message).toMatch(/^Subnet\/s\d references vpc vpc1, which does not exist/);
    const trace = r.counterexample!;
    expect(trace.steps).toContain('admin: delete Vpc/vpc1');
    // The counterexample replays, and the fixed controller survives its schedule.
    expect(replayTrace(trace, models).status).toBe('reproduced');
    expect(replayTrace(trace, models, { variant: 'fixed' }).status).toBe('holds');
  });

  test('buggy: the issue as reported, deleting the VPC alone, is a violation on every schedule', () => {
    const r = checkExhaustive(vpcModel, { variant: 'buggy', scenario: 'issue-5068', shortest: true });
    expect(r.violation?.property).toBe('no-orphan-subnet');
    expect(r.counterexample!.steps[0]).toBe('admin: delete Vpc/vpc1');
  });

  for (const scenario of Object.keys(issueScenarios)) {
    test(`fixed (v1.13.12): checkExhaustive is complete and holds for ${scenario}`, () => {
      const r = checkExhaustive(vpcModel, { variant: 'fixed', scenario });
      expect(r.result).toBe('holds');
      expect(r.stats.complete).toBe(true);
      expectHolds(r, { complete: true, dir: false, reached: ['vpc-deleted-before-subnet'] });
    });
  }

  test('fixed: random search over generated scenarios finds nothing', () => {
    expectHolds(checkRandom(vpcModel, { variant: 'fixed', seed: 1, numRuns: 150 }), { dir: false });
  });

  test('finalizer-only (v1.13.4, #5071 without #5228): a stale status.subnets keeps the VPC terminating (#5220)', () => {
    const r = checkExhaustive(vpcModel, { variant: 'finalizer-only', scenario: 'subnet-then-vpc', shortest: true });
    expect(r.violation).toMatchObject({ property: 'no-stuck-vpc', kind: 'atStable' });
    expect(r.violation!.message).toBe(
      'stuck terminating without subnets: Vpc/vpc1 terminating finalizers=[kubeovn.io/kube-ovn-controller] status.subnets=[s1]',
    );
    const text = describeTrace(r.counterexample!);
    // handleUpdateVpcStatus writes the fresh (empty) list, then handleAddOrUpdateVpc writes back its cached copy's.
    expect(text).toMatch(/handleUpdateVpcStatus\(vpc1\) PATCH-STATUS Vpc\/vpc1[\s\S]*handleAddOrUpdateVpc\(vpc1\) PATCH-STATUS Vpc\/vpc1/);
    const replay = replayTrace(r.counterexample!, models, { variant: 'fixed' });
    expect(replay.status).toBe('holds');
  });

  test('every variant: a subnet created while its VPC is being deleted is left behind (residual race)', () => {
    for (const variant of Object.keys(vpcModel.variants)) {
      const r = checkExhaustive(vpcModel, { variant, scenario: 'create-subnet-during-vpc-delete', shortest: true });
      expect([variant, r.violation?.property]).toEqual([variant, 'no-orphan-subnet']);
    }
  });
});

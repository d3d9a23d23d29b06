/**
 * No false positives in the vpc and operator models: their properties tolerate the designed waits
 * (a VPC kept by a live subnet, a FirewallRule whose cleanup is retried after a failed write) and
 * still fire once the reason to wait is gone.
 */
import { describe, expect, it } from 'vitest';
import { noStuckVpc, vpcModel } from '../../models/vpc/index.ts';
import { operatorModel } from '../../models/operator/index.ts';
import { contextFor, target } from '../../src/check/context.ts';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { violation } from '../../src/check/property.ts';
import { settle } from '../../src/engine/settle.ts';
import { withoutKey } from '../../src/engine/records.ts';

describe('vpc: a VPC that a live subnet still references is waiting, not stuck', () => {
  it('fixed, issue-5068 (VPC deleted, subnet kept): every schedule holds, and the VPC really is terminating', () => {
    const r = checkExhaustive(vpcModel, { variant: 'fixed', scenario: 'issue-5068' });
    expect(r.result).toBe('holds');
    expect(r.stats.complete).toBe(true);
    const t = target(vpcModel, { variant: 'fixed' });
    const ctx = contextFor(t, 'issue-5068');
    const s = settle(t.sim, ctx.scenario, ctx.root, { maxSteps: 2000 });
    expect(s.kind).toBe('stable');
    expect(s.world.api.objects['Vpc/vpc1']?.metadata.deletionTimestamp).toBeDefined();
    expect(violation(noStuckVpc, s.world)).toBeUndefined();
    // With the subnet gone the same VPC is stuck.
    const bare = { ...s.world, api: { ...s.world.api, objects: withoutKey(s.world.api.objects, 'Subnet/s1') } };
    expect(violation(noStuckVpc, bare)).toMatch(/Vpc\/vpc1 terminating/);
  });
});

describe('operator: a retried write is not a leak or a stuck rule', () => {
  it('finalizer-first, create-then-delete, with one injected API error anywhere: every schedule holds', () => {
    const plain = checkExhaustive(operatorModel, { variant: 'finalizer-first', scenario: 'create-then-delete' });
    const faulty = checkExhaustive(operatorModel, { variant: 'finalizer-first', scenario: 'create-then-delete', engine: { faults: { apiErrors: 1 } } });
    expect(faulty.result, faulty.violation?.message).toBe('holds');
    expect(faulty.stats.complete).toBe(true);
    // Not vacuous: the faults made more schedules (failed writes, then their retries).
    expect(faulty.stats.states).toBeGreaterThan(plain.stats.states!);
  });
});

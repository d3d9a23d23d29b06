/**
 * kubeovn/kube-ovn#4898 on the model: scenario A and the stuck states are found on v1.12.28,
 * saved counterexamples replay, the fixes are judged, and the workaround and the safe order
 * are checked.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import { models } from '../../models/index.ts';
import type { IP, Subnet } from '../../models/kube-ovn/objects.ts';
import { contextFor, target } from '../../src/check/context.ts';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { checkAtStable, execute } from '../../src/check/execute.ts';
import { checkRandom } from '../../src/check/random.ts';
import { settle } from '../../src/engine/settle.ts';
import type { Scenario } from '../../src/engine/system.ts';
import { readTraceFile, replayTrace } from '../../src/trace/replay.ts';

const dir = join(import.meta.dirname, '..', 'counterexamples');

function finalWorld(file: string) {
  const trace = readTraceFile(join(dir, file));
  const t = target(kubeOvnModel, { variant: trace.variant, properties: [trace.violation.property] });
  const ctx = contextFor(t, trace.scenario);
  const run = execute(ctx, { kind: 'ids', ids: trace.steps, strict: true }, { log: true });
  return { trace, ctx, run };
}

describe('kube-ovn v1.12.28: scenario A (IP CRs outlive their pod and subnet)', () => {
  it('random search finds it and shrinks it; the final state is scenario A', () => {
    const r = checkRandom(kubeOvnModel, { variant: 'v1.12.28', scenario: 'single-network', properties: ['ip-outlives-pod-and-subnet'], numRuns: 300, seed: 4898 });
    expect(r.result).toBe('violated');
    expect(r.violation?.property).toBe('ip-outlives-pod-and-subnet');
    const trace = r.counterexample!;
    const t = target(kubeOvnModel, { variant: 'v1.12.28' });
    const run = execute(contextFor(t, 'single-network'), { kind: 'ids', ids: trace.steps, strict: true }, { log: true });
    const objects = run.world.api.objects;
    expect(objects['Pod/vm/p1']).toBeUndefined();
    expect(objects['Subnet/s1']).toBeUndefined();
    const ip = objects['IP/p1.vm'] as IP;
    expect(ip.metadata.finalizers).toEqual(['kube-ovn-controller']);
    // The controller log line from the issue: the pod delete handler could not find the subnet.
    const notes = run.log!.flatMap((e) => e.notes);
    expect(notes.some((n) => n.includes('failed to get pod nets') && n.includes('subnets.kubeovn.io "s1" not found'))).toBe(true);
  });

  it('generated clusters (1-2 subnets, 1-3 pods, 0-3 attachments, deletes at any time) find it too', () => {
    const r = checkRandom(kubeOvnModel, { variant: 'v1.12.28', numRuns: 300, seed: 7, properties: ['ip-outlives-pod-and-subnet'] });
    expect(r.result).toBe('violated');
    const ops = r.counterexample!.scenario.ops;
    expect(ops.some((o) => o.verb === 'delete' && o.kind === 'Subnet')).toBe(true);
    expect(r.counterexample!.scenarioName).toBeUndefined();
  });

  it('the issue shape (VM pod with two attachments in one subnet) leaks IP CRs too', () => {
    const { run } = finalWorld('a-v1.12.28-issue-4898.json');
    expect(run.violation?.property).toBe('ip-outlives-pod-and-subnet');
    const leaked = Object.values(run.world.api.objects).filter((o) => o.kind === 'IP');
    expect(leaked.length).toBeGreaterThanOrEqual(1);
    expect(run.world.api.objects['Subnet/s1']).toBeUndefined();
  });

  it('`kubectl delete ip` never completes: the IP stays terminating, handleUpdateIP retried with backoff', () => {
    const { run } = finalWorld('a-kubectl-delete-ip-hangs-v1.12.28.json');
    expect(run.violation?.property).toBe('no-stuck-terminating');
    const ip = run.world.api.objects['IP/p1.vm'] as IP;
    expect(ip.metadata.deletionTimestamp).toBeDefined();
    expect(ip.metadata.finalizers).toEqual(['kube-ovn-controller']);
    const q = run.world.controllers['kube-ovn-controller'].queues.updateIPQueue;
    expect(q.failures['p1.vm']).toBeGreaterThan(0);
    expect(q.delayed.map((d) => d.item)).toContain('p1.vm');
  });

  it('the manual workaround (kubectl delete ip, then merge patch finalizers: null) removes the leaked IP', () => {
    const { ctx, run } = finalWorld('a-v1.12.28-single-network.json');
    const workaround: Scenario = {
      ops: [
        ...ctx.scenario.ops,
        { verb: 'delete', kind: 'IP', name: 'p1.vm', actor: 'operator' },
        { verb: 'patch', kind: 'IP', name: 'p1.vm', patch: { metadata: { finalizers: null } }, actor: 'operator' },
      ],
    };
    const after = settle(ctx.sim, workaround, run.world, { maxSteps: 2000 });
    expect(after.kind).toBe('stable');
    expect(after.world.api.objects['IP/p1.vm']).toBeUndefined();
    expect(checkAtStable(ctx, after.world, 0)).toBeUndefined();
  });
});

describe('kube-ovn v1.12.28: scenario B (terminating subnet)', () => {
  it('B as reported (V4USED=0 and stuck) needs a foreign finalizer: concrete path', () => {
    const { run } = finalWorld('b-foreign-finalizer-v1.12.28.json');
    expect(run.violation?.property).toBe('no-stuck-subnet-showing-zero');
    const s = run.world.api.objects['Subnet/s1'] as Subnet;
    expect(s.metadata.deletionTimestamp).toBeDefined();
    expect(s.status?.v4usingIPs ?? 0).toBe(0);
    expect(s.metadata.finalizers).toEqual(['kubeovn.io/kube-ovn-controller']);
  });

  it('the workaround patch on the subnet resolves B', () => {
    const { ctx, run } = finalWorld('b-foreign-finalizer-v1.12.28.json');
    const workaround: Scenario = {
      ops: [...ctx.scenario.ops, { verb: 'patch', kind: 'Subnet', name: 's1', patch: { metadata: { finalizers: null } }, actor: 'operator' }],
    };
    const after = settle(ctx.sim, workaround, run.world, { maxSteps: 2000 });
    expect(after.world.api.objects['Subnet/s1']).toBeUndefined();
  });

  it('a stale cached status leaves a terminating subnet stuck at V4USED=1 with no IP left', () => {
    const { run } = finalWorld('stale-status-serialized-v1.12.28.json');
    expect(run.violation?.property).toBe('no-stuck-terminating');
    const s = run.world.api.objects['Subnet/s1'] as Subnet;
    expect(s.status?.v4usingIPs).toBe(1);
    expect(Object.values(run.world.api.objects).filter((o) => o.kind === 'IP')).toEqual([]);
  });

  it('without extra behaviour, no terminating subnet ever shows V4USED=0 (exhaustive within the fairness bound, single-network)', { timeout: 180_000 }, () => {
    const r = checkExhaustive(kubeOvnModel, { variant: 'v1.12.28', scenario: 'single-network', properties: ['no-stuck-subnet-showing-zero'] });
    expect(r.result).toBe('holds');
    // The model's bound (informers at most 6 events behind) cuts only an unfair loop: the status
    // writes of a terminating subnet's runs keep coming while its informer never catches up.
    expect(r.stats.lagBound).toBe(6);
    expect(r.stats.completeWithinLag).toBe(true);
    // Without the bound the loop is unbounded: the same search runs into the depth budget.
    const unbounded = checkExhaustive(kubeOvnModel, { variant: 'v1.12.28', scenario: 'single-network', properties: ['no-stuck-subnet-showing-zero'], maxInformerLag: null, maxDepth: 150, maxStates: 400_000 });
    expect(unbounded.stats.complete).toBe(false);
    expect(unbounded.stats.maxDepth).toBe(150);
    expect(r.coverage['subnet-deleted-during-allocation']).toBe(true);
  });
});

describe('kube-ovn: the safe order', () => {
  it('deleting the subnet once the pod object is gone is NOT enough on v1.12.28 (allocation or pod cleanup still in flight)', () => {
    const { run } = finalWorld('a-serialized-pod-gone-v1.12.28.json');
    expect(run.violation?.property).toBe('ip-outlives-pod-and-subnet');
  });

  it('waiting for the controller to be idle before each delete holds exhaustively on v1.12.28, for every property', () => {
    const r = checkExhaustive(kubeOvnModel, { variant: 'v1.12.28', scenario: 'serialized-idle' });
    expect(r.result).toBe('holds');
    expect(r.stats.complete).toBe(true);
    expect(r.stats.states).toBeGreaterThan(50);
  });
});

/** Which variants still violate each saved counterexample's property when replayed on them. */
const expectations: Record<string, { readonly violated: readonly string[]; readonly holds: readonly string[] }> = {
  'a-v1.12.28-single-network.json': { violated: ['v1.12.28', 'fix1', 'fix4', 'v1.12.28+webhook'], holds: ['fix2', 'fix3', 'fix1+fix3', 'fix1+fix2+fix3', 'master'] },
  'a-v1.12.28-issue-4898.json': { violated: ['v1.12.28', 'fix1', 'v1.12.28+webhook'], holds: ['fix2', 'fix3', 'fix1+fix2+fix3', 'master'] },
  // The reporter's shape: a KubeVirt VM's IP CRs (named after the VM) leak the same way.
  'a-v1.12.28-issue-4898-vm.json': { violated: ['v1.12.28', 'fix1', 'fix4', 'v1.12.28+webhook'], holds: ['fix2', 'fix3', 'fix1+fix3', 'fix1+fix2+fix3', 'master', 'master+fix4'] },
  'a-kubectl-delete-ip-hangs-v1.12.28.json': { violated: ['v1.12.28', 'fix1'], holds: ['fix2', 'fix3', 'master'] },
  'a-serialized-pod-gone-v1.12.28.json': { violated: ['v1.12.28', 'fix1'], holds: ['fix2', 'fix3', 'master'] },
  'stale-status-serialized-v1.12.28.json': { violated: ['v1.12.28', 'fix1'], holds: ['fix4', 'fix1+fix2+fix3+fix4', 'master'] },
  'b-foreign-finalizer-v1.12.28.json': { violated: ['v1.12.28', 'fix1', 'fix2', 'fix3'], holds: ['master'] },
  'a-master-residual-single-network.json': { violated: ['master'], holds: ['fix2'] },
};

describe('saved counterexamples (test/counterexamples) replay in CI', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

  it('every saved counterexample has expectations', () => {
    expect(files.sort()).toEqual(Object.keys(expectations).sort());
  });

  for (const file of files) {
    it(`${file}: reproduces on its variant; fixes judged on the same schedule`, () => {
      const trace = readTraceFile(join(dir, file));
      const same = replayTrace(trace, models);
      expect(same.status).toBe('reproduced');
      const want = expectations[file];
      for (const v of want.violated) expect([v, replayTrace(trace, models, { variant: v }).stillViolated]).toEqual([v, true]);
      for (const v of want.holds) expect([v, replayTrace(trace, models, { variant: v }).stillViolated]).toEqual([v, false]);
    });
  }
});

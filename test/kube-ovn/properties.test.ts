/**
 * No false positives: each Kube-OVN property tolerates the behaviour Kube-OVN is designed to
 * have (a subnet that waits for the IPs of a live pod, a pod terminating within its grace period,
 * a retry that will succeed). Every test also shows that its world really has the situation in
 * question (a terminating subnet, a terminating pod, a failed write), so none passes vacuously,
 * and that the property still fires once the designed reason to wait is gone.
 */
import { describe, expect, it } from 'vitest';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';
import { variants } from '../../models/kube-ovn/config.ts';
import { namespace, pod, subnet, type Subnet } from '../../models/kube-ovn/objects.ts';
import { classifyKubeOvn, designedWaitOf, ipOutlivesPodAndSubnet, noStuckSubnetShowingZero, noStuckTerminating } from '../../properties/kube-ovn.ts';
import { contextFor, target } from '../../src/check/context.ts';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { execute } from '../../src/check/execute.ts';
import { checkRandom } from '../../src/check/random.ts';
import { violation } from '../../src/check/property.ts';
import { WorldView } from '../../src/check/view.ts';
import { settle } from '../../src/engine/settle.ts';
import type { Scenario } from '../../src/engine/system.ts';
import type { World } from '../../src/engine/world.ts';
import { withoutKey } from '../../src/engine/records.ts';

const NS = 'vm';
const setup: Scenario['setup'] = [
  { verb: 'create', object: namespace(NS) },
  { verb: 'create', object: subnet('s1', 16) },
];
const stuckProps = [noStuckTerminating, noStuckSubnetShowingZero, ipOutlivesPodAndSubnet];

/** The subnet is deleted once the pod's IPs are allocated; the pod lives on. */
const heldByLivePod: Scenario = {
  setup,
  ops: [
    { verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' },
    { verb: 'delete', kind: 'Subnet', name: 's1', actor: 'admin', whenIdle: true },
  ],
};

function stableWorld(variant: string, scenario: Scenario): World {
  const t = target(kubeOvnModel, { variant });
  const ctx = contextFor(t, scenario);
  const s = settle(t.sim, scenario, ctx.root, { maxSteps: 5000 });
  expect(s.kind).toBe('stable');
  return s.world;
}

/** The world with an object removed from the API server (as if it had been deleted). */
function without(world: World, key: string): World {
  return { ...world, api: { ...world.api, objects: withoutKey(world.api.objects, key) } };
}

describe('a subnet holding the IPs of a live pod is waiting, not stuck', () => {
  it('at the stable state of "pod created, then subnet deleted" the subnet is terminating and no property fires', () => {
    const world = stableWorld('v1.12.28', heldByLivePod);
    const s1 = world.api.objects['Subnet/s1'] as Subnet;
    // Not vacuous: the subnet is terminating at V4USED=1 with its finalizer (what the old property flagged).
    expect(s1.metadata.deletionTimestamp).toBeDefined();
    expect(s1.status?.v4usingIPs).toBe(1);
    expect(world.api.objects['IP/p1.vm']).toBeDefined();
    for (const p of stuckProps) expect(violation(p, world), p.name).toBeUndefined();
    // Once the pod is gone the same subnet is stuck: the property is not blind to it.
    const podGone = without(world, 'Pod/vm/p1');
    expect(violation(noStuckTerminating, podGone)).toMatch(/Subnet\/s1/);
  });

  it.each(Object.keys(variants))('%s: every schedule of it holds for the stuck-state properties (exhaustive)', (variant) => {
    const r = checkExhaustive(kubeOvnModel, {
      variant,
      scenario: heldByLivePod,
      properties: stuckProps.map((p) => p.name),
      maxStates: 200_000,
    });
    expect(r.stats.complete).toBe(true);
    expect(r.result, r.violation?.message).toBe('holds');
  });

  it('generated clusters on v1.12.28 (seeds 1, 2, 3, 7, 42): each finds a classified bug, none a subnet held by a live pod', () => {
    for (const seed of [1, 2, 3, 7, 42]) {
      const r = checkRandom(kubeOvnModel, { variant: 'v1.12.28', seed, numRuns: 100 });
      expect(r.result, `seed ${seed}`).toBe('violated');
      expect(r.violation!.classification!.label, `seed ${seed}: ${r.violation!.message}`).not.toBe('other');
      // The final state: no terminating subnet that the report names still holds an IP of a live pod.
      const trace = r.counterexample!;
      const ctx = contextFor(target(kubeOvnModel, { variant: 'v1.12.28' }), trace.scenario);
      const run = execute(ctx, { kind: 'ids', ids: trace.steps, strict: true });
      expect(run.violation?.property).toBe(r.violation!.property);
      const view = new WorldView(run.world);
      for (const s of view.list<Subnet>('Subnet')) {
        if (s.metadata.deletionTimestamp && r.violation!.message.includes(`Subnet/${s.metadata.name} `)) expect(designedWaitOf(view, s)).toEqual([]);
      }
    }
  });
});

describe('a pod terminating within its grace period', () => {
  it('is waiting for the kubelet; the subnet its IP holds is waiting for it', () => {
    const sc: Scenario = {
      setup,
      ops: [
        { verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' },
        { verb: 'delete', kind: 'Pod', namespace: NS, name: 'p1', actor: 'user', whenIdle: true },
        { verb: 'delete', kind: 'Subnet', name: 's1', actor: 'user' },
      ],
    };
    const t = target(kubeOvnModel, { variant: 'v1.12.28' });
    const ctx = contextFor(t, sc);
    // Run the default policy until the pod and the subnet are both terminating, before the kubelet acts.
    let world = ctx.root;
    for (let i = 0; i < 500; i++) {
      const p = world.api.objects['Pod/vm/p1'];
      const s = world.api.objects['Subnet/s1'];
      if (p?.metadata.deletionTimestamp && s?.metadata.deletionTimestamp) break;
      const actions = t.sim.enabled(world, sc).filter((a) => a.actor !== 'kubelet');
      const a = actions.find((x) => x.kind !== 'clock') ?? actions[0];
      world = t.sim.step(world, a, sc).world;
    }
    const p1 = world.api.objects['Pod/vm/p1'];
    expect(p1.metadata.deletionTimestamp).toBeDefined();
    expect(p1.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(world.api.objects['Subnet/s1'].metadata.deletionTimestamp).toBeDefined();
    // Judged as if it were stable: nothing is stuck.
    for (const p of stuckProps) expect(violation(p, world), p.name).toBeUndefined();
    // A pod kept by a finalizer nobody removes is stuck.
    const pinned: World = {
      ...world,
      api: { ...world.api, objects: { ...world.api.objects, 'Pod/vm/p1': { ...p1, metadata: { ...p1.metadata, finalizers: ['example.com/never'], deletionGracePeriodSeconds: 0 } } } },
    };
    expect(violation(noStuckTerminating, pinned)).toMatch(/Pod\/vm\/p1/);
  });
});

describe('a retry in progress', () => {
  it('an injected API error on the way is retried and succeeds: no stable state is stuck (exhaustive, master+fix4)', () => {
    const sc: Scenario = {
      setup,
      ops: [
        { verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' },
        { verb: 'delete', kind: 'Pod', namespace: NS, name: 'p1', actor: 'user', whenIdle: true },
        { verb: 'delete', kind: 'Subnet', name: 's1', actor: 'user', whenIdle: true, afterGone: ['Pod/vm/p1'] },
      ],
    };
    const r = checkExhaustive(kubeOvnModel, {
      variant: 'master+fix4',
      scenario: sc,
      engine: { faults: { apiErrors: 1 } },
      properties: stuckProps.map((p) => p.name),
      maxStates: 400_000,
    });
    expect(r.stats.complete).toBe(true);
    expect(r.result, r.violation?.message).toBe('holds');
    // Not vacuous: some schedules did fail a write and retried it.
    expect(r.stats.states).toBeGreaterThan(checkExhaustive(kubeOvnModel, { variant: 'master+fix4', scenario: sc, properties: stuckProps.map((p) => p.name) }).stats.states!);
  });
});

describe('classification', () => {
  it('names scenario A, scenario B, stale status and a stuck IP from the final state', () => {
    const world = stableWorld('v1.12.28', heldByLivePod);
    const v = (w: World) => classifyKubeOvn(new WorldView(w), { property: 'p', message: 'm' });
    // Held by a live pod: nothing known.
    expect(v(world).label).toBe('other');
    // Pod and subnet gone, IP left: A.
    const a = without(without(world, 'Pod/vm/p1'), 'Subnet/s1');
    expect(v(a)).toEqual({ label: 'scenario A', evidence: [expect.stringMatching(/^IP p1\.vm .*pod vm\/p1 gone, subnet s1 gone$/)] });
    // Pod and IP gone, subnet terminating at V4USED=1: stale status.
    const stale = without(without(world, 'Pod/vm/p1'), 'IP/p1.vm');
    expect(v(stale).label).toBe('stale status (V4USED=1, no IP CR)');
    // ... and at V4USED=0: scenario B as reported.
    const s1 = stale.api.objects['Subnet/s1'] as Subnet;
    const zero: World = { ...stale, api: { ...stale.api, objects: { ...stale.api.objects, 'Subnet/s1': { ...s1, status: { ...s1.status, v4usingIPs: 0 } } } } };
    expect(v(zero).label).toBe('scenario B (V4USED=0)');
    expect(v(zero).evidence[0]).toMatch(/^Subnet s1 terminating, finalizers=\[kube-ovn-controller\], V4USED=0; no IP CR in it$/);
  });
});

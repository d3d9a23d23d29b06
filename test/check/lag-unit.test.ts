/**
 * The fairness bound's unit (ExhaustiveOptions.lagUnit). One API request can emit two watch
 * events for one object: the kubelet's grace-0 delete of a pod that is terminating with a
 * grace period shortens the period (MODIFIED) and then removes the pod (DELETED) — D9 with U9 and
 * D3 in one request, W1 for the events. Counted in events, a bound of 1 disables that step in
 * every state, so no pod ever goes away and a search "complete within lag <= 1" judges nothing
 * at stable states. Counted in writes, the pair is one.
 */
import { describe, expect, test } from 'vitest';
import { contextFor, target } from '../../src/check/context.ts';
import { checkExhaustive } from '../../src/check/exhaustive.ts';
import { informerLag, lagBoundOf, lagOf, pendingCount } from '../../src/check/state-kind.ts';
import type { Action } from '../../src/engine/simulator.ts';
import type { PendingEvent, World } from '../../src/engine/world.ts';
import { kubeOvnModel } from '../../models/kube-ovn/index.ts';

const CTRL = 'kube-ovn-controller';

/** single-network, delivering events first: the world just before and after the kubelet's delete of the pod. */
function aroundKubeletDelete(): { before: World; after: World; step: Action; deliver: (w: World) => World } {
  const ctx = contextFor(target(kubeOvnModel, { variant: 'fix2+fix4' }), 'single-network');
  const firstOf = (w: World) => {
    const acts = ctx.sim.enabled(w, ctx.scenario);
    return acts.find((a) => a.kind === 'deliver') ?? acts.find((a) => a.kind !== 'clock') ?? acts[0];
  };
  const deliver = (w: World) => {
    const a = ctx.sim.enabled(w, ctx.scenario).find((x) => x.kind === 'deliver' && x.informer === 'Pod')!;
    return ctx.sim.step(w, a, ctx.scenario).world;
  };
  let w = ctx.root;
  for (let i = 0; i < 200; i++) {
    const a = firstOf(w);
    const next = ctx.sim.step(w, a, ctx.scenario).world;
    if (a.id.startsWith('kubelet: delete Pod/')) return { before: w, after: next, step: a, deliver };
    w = next;
  }
  throw new Error('the kubelet never deleted the pod');
}

const ev = (type: PendingEvent['type'], key: string, joined?: true): PendingEvent => ({ type, key, object: {} as PendingEvent['object'], ...(joined ? { joined } : {}) });

describe('lag unit: events or writes (D9, W1, W2)', () => {
  test('D9: the kubelet grace-0 delete is one step appending MODIFIED then DELETED (joined) to the Pod informer; 2 events, 1 write', () => {
    const { before, after, deliver } = aroundKubeletDelete();
    expect(pendingCount(before, CTRL, 'Pod', 'events')).toBe(0);
    const pending = after.controllers[CTRL].informers.Pod.pending;
    expect(pending.map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(pending[0].joined).toBeUndefined();
    expect(pending[1].joined).toBe(true);
    expect(pendingCount(after, CTRL, 'Pod', 'events')).toBe(2);
    expect(pendingCount(after, CTRL, 'Pod', 'writes')).toBe(1);
    expect(informerLag(after, 'events')).toBeGreaterThanOrEqual(2);
    // W2: a pop takes the head delta first; the request is delivered only when both are.
    const half = deliver(after);
    expect(half.controllers[CTRL].informers.Pod.pending.map((e) => e.type)).toEqual(['DELETED']);
    expect(pendingCount(half, CTRL, 'Pod', 'events')).toBe(1);
    expect(pendingCount(half, CTRL, 'Pod', 'writes')).toBe(1);
    expect(pendingCount(deliver(half), CTRL, 'Pod', 'writes')).toBe(0);
  });

  test('writes count requests: separate writes of one key are two, a joined event waits with its leader', () => {
    expect(lagOf([ev('MODIFIED', 'a'), ev('MODIFIED', 'a')], 'writes')).toBe(2);
    expect(lagOf([ev('MODIFIED', 'a'), ev('DELETED', 'a', true), ev('MODIFIED', 'b')], 'writes')).toBe(2);
    expect(lagOf([ev('MODIFIED', 'a'), ev('DELETED', 'a', true), ev('MODIFIED', 'b')], 'events')).toBe(3);
    expect(lagOf([ev('MODIFIED', 'b'), ev('DELETED', 'a', true)], 'writes')).toBe(2);
    // The initial list is not lag in either unit.
    expect(lagOf([{ ...ev('ADDED', 'a'), initial: true }, ev('MODIFIED', 'a')], 'writes')).toBe(1);
  });

  test('counted in events, lag <= 1 never lets the pod go: no stable state; counted in writes, the search has them', () => {
    const opts = { variant: 'fix2+fix4', scenario: 'serialized-idle', por: false as const, bfsStates: 0, maxInformerLag: 1 };
    const events = checkExhaustive(kubeOvnModel, opts);
    const writes = checkExhaustive(kubeOvnModel, { ...opts, lagUnit: 'writes' });
    const free = checkExhaustive(kubeOvnModel, { ...opts, maxInformerLag: null });
    expect(events.stats).toMatchObject({ completeWithinLag: true, stableStates: 0 });
    expect(events.stats.lagUnit).toBeUndefined();
    expect(writes.stats).toMatchObject({ completeWithinLag: true, lagBound: 1, lagUnit: 'writes' });
    expect(writes.stats.stableStates).toBeGreaterThan(0);
    // Within the bound, not the whole space: the unbounded search reaches the same stable states.
    expect(writes.stats.stableStates).toBe(free.stats.stableStates);
    expect(writes.stats.states).toBeLessThanOrEqual(free.stats.states!);
  });

  test('the bound: options over the model default; the unit defaults to events; null turns it off', () => {
    expect(lagBoundOf(undefined, undefined, { maxInformerLag: 6 })).toEqual({ max: 6, unit: 'events' });
    expect(lagBoundOf(1, 'writes', { maxInformerLag: 6 })).toEqual({ max: 1, unit: 'writes' });
    expect(lagBoundOf(2, undefined, { maxInformerLag: 6, lagUnit: 'writes' })).toEqual({ max: 2, unit: 'writes' });
    expect(lagBoundOf(null, 'writes', { maxInformerLag: 6 })).toBeUndefined();
    expect(lagBoundOf(undefined, undefined, undefined)).toBeUndefined();
  });
});

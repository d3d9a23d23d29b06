/**
 * The cost of proposed fix 2's per-subnet lock: in random schedules of two pods allocating in
 * one subnet, how often are both inside the allocation section (LSP create .. IP CR create)
 * at once? Run: npx tsx scripts/lock-cost.ts
 */
import { kubeOvnModel } from '../models/kube-ovn/index.ts';
import { contextFor, target } from '../src/check/context.ts';
import { nextInt, seedState } from '../src/engine/rng.ts';

const walks = 2000;
for (const variant of ['v1.12.28', 'fix2'] as const) {
  const ctx = contextFor(target(kubeOvnModel, { variant }), 'two-pods');
  let rng = seedState(1);
  let overlapping = 0;
  for (let w = 0; w < walks; w++) {
    let world = ctx.root;
    let seen = false;
    for (let d = 0; d < 200; d++) {
      const actions = ctx.sim.enabled(world, ctx.scenario).filter((a) => a.kind !== 'clock' && a.actor !== 'fault');
      if (!actions.length) break;
      const [i, next] = nextInt(rng, actions.length);
      rng = next;
      world = ctx.sim.step(world, actions[i], ctx.scenario).world;
      const inSection = Object.values(world.controllers['kube-ovn-controller'].inflight).filter(
        (f) => f.handler === 'handleAddOrUpdatePod' && (f.pending.op === 'external' || (f.pending.op === 'create' && f.pending.object.kind === 'IP')),
      ).length;
      if (inSection >= 2) seen = true;
    }
    if (seen) overlapping++;
  }
  console.log(`${variant}: ${overlapping}/${walks} schedules allocate both pods concurrently`);
}

/**
 * What a searched state is: quiescent, stable (and then deadlocked or violating an `atStable`
 * property), or over the informer-lag fairness bound. Shared by the exhaustive explorers.
 */
import { deadlock, isQuiescent, settle } from '../engine/settle.ts';
import type { Action } from '../engine/simulator.ts';
import type { World } from '../engine/world.ts';
import { type CheckContext, type Violation, checkAtStable } from './execute.ts';
import type { Histories } from './history.ts';

/**
 * What a state's enabled actions say about it: quiescent (only faults and the clock left),
 * stable (quiescent and nothing makes progress any more) and, at a stable state, a deadlock or
 * a violated `atStable` property.
 */
export function classifyState(ctx: CheckContext, world: World, actions: readonly Action[], depth: number, h: Histories): { quiet: boolean; stable: boolean; violation?: Violation } {
  if (!isQuiescent(actions)) return { quiet: false, stable: false };
  const stuck = deadlock(world);
  if (stuck) return { quiet: true, stable: true, violation: { property: stuck.kind, kind: 'engine', message: stuck.message, step: depth } };
  let stable = true;
  if (actions.some((a) => a.kind === 'clock')) {
    const probe = settle(ctx.sim, ctx.scenario, world, { maxSteps: 2000 });
    stable = probe.kind === 'stable' && probe.steps === 0;
  }
  return { quiet: true, stable, violation: stable ? checkAtStable(ctx, world, depth, h) : undefined };
}

/** The most watch events any informer has not delivered yet (initial-list events not counted). */
export function informerLag(world: World): number {
  let max = 0;
  for (const name in world.controllers) {
    const informers = world.controllers[name].informers;
    for (const kind in informers) {
      let n = 0;
      for (const ev of informers[kind].pending) if (!ev.initial) n++;
      if (n > max) max = n;
    }
  }
  return max;
}

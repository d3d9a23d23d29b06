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

/** Watch events an informer has not delivered (initial-list events not counted), as {@link informerLag} counts them. */
export function pendingCount(world: World, ctrl: string, kind: string): number {
  const inf = world.controllers[ctrl]?.informers[kind];
  if (!inf) return 0;
  let n = 0;
  for (const ev of inf.pending) if (!ev.initial) n++;
  return n;
}

/**
 * The lag bound as enabledness: a step whose successor would exceed the bound is not taken, so
 * what changes an informer's count of undelivered events must be ordered with what depends on
 * it. Resource `lag/<controller>/<kind>`: every append to the informer (`fifo/...`) and every
 * relist or resync (`pending/<controller>/<kind>/*`) reads it (the latter also write it); a
 * pop writes it only when the informer is at the bound, the one case where the pop enables an
 * append that was not enabled before (below the bound the append is enabled either way; over
 * it no state is explored). A sleeping pop keeps the footprint it had where it was taken,
 * without the write if the informer was below the bound then; that stays right for sleep sets,
 * because at the bound no append to the informer is taken (its successor is over the bound),
 * so nothing the stale footprint misses is ever checked against it.
 */
export function withLag(a: Action, reads: string[], writes: string[], pre: World, bound: number): { reads: string[]; writes: string[] } {
  let extraReads: string[] | undefined;
  let extraWrites: string[] | undefined;
  for (const w of writes) {
    if (w.startsWith('fifo/')) (extraReads ??= []).push(`lag/${w.slice(5)}`);
    else if (w.startsWith('pending/') && w.endsWith('/*')) {
      const r = `lag/${w.slice(8, -2)}`;
      (extraReads ??= []).push(r);
      (extraWrites ??= []).push(r);
    }
  }
  if (a.kind === 'deliver' && pendingCount(pre, a.controller, a.informer) >= bound) (extraWrites ??= []).push(`lag/${a.controller}/${a.informer}`);
  if (!extraReads && !extraWrites) return { reads, writes };
  return { reads: extraReads ? [...reads, ...extraReads] : reads, writes: extraWrites ? [...writes, ...extraWrites] : writes };
}

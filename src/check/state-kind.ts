/**
 * What a searched state is: quiescent, stable (and then deadlocked or violating an `atStable`
 * property), or over the informer-lag fairness bound. Shared by the exhaustive explorers.
 */
import { deadlock, isQuiescent, settle } from '../engine/settle.ts';
import type { Action } from '../engine/simulator.ts';
import type { PendingEvent, World } from '../engine/world.ts';
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

/**
 * What the fairness bound counts an informer's lag in: `events` (watch events not yet delivered)
 * or `writes` (API requests whose events are not all delivered yet). They differ where one
 * request emits two events to one informer — the kubelet's grace-0 delete of a pod, MODIFIED then
 * DELETED (D9) — so that counted in events, a bound of 1 never lets a pod go away.
 *
 * @example
 * ```ts
 * import { checkExhaustive } from 'kuberace';
 * // Informers at most one API write behind: a pod's two-event delete counts once.
 * checkExhaustive(model, { maxInformerLag: 1, lagUnit: 'writes' });
 * ```
 */
export type LagUnit = 'events' | 'writes';

/** The fairness bound: informers at most `max` of `unit` behind. */
export interface LagBound {
  readonly max: number;
  readonly unit: LagUnit;
}

/** An informer's lag in `unit` (initial-list events not counted). */
export function lagOf(pending: readonly PendingEvent[], unit: LagUnit): number {
  let n = 0;
  for (let i = 0; i < pending.length; i++) {
    const ev = pending[i];
    if (ev.initial) continue;
    // A joined event is the same request as its leader, which a pop of the key takes first
    // (a prefix of the key's deltas): while the leader waits, it is not counted again.
    if (unit === 'writes' && ev.joined && hasEarlierOfKey(pending, i)) continue;
    n++;
  }
  return n;
}

function hasEarlierOfKey(pending: readonly PendingEvent[], i: number): boolean {
  const key = pending[i].key;
  for (let j = 0; j < i; j++) if (pending[j].key === key) return true;
  return false;
}

/** The largest lag, in `unit`, of any informer. */
export function informerLag(world: World, unit: LagUnit = 'events'): number {
  let max = 0;
  for (const name in world.controllers) {
    const informers = world.controllers[name].informers;
    for (const kind in informers) {
      const n = lagOf(informers[kind].pending, unit);
      if (n > max) max = n;
    }
  }
  return max;
}

/** One informer's lag in `unit`, as {@link informerLag} counts it. */
export function pendingCount(world: World, ctrl: string, kind: string, unit: LagUnit = 'events'): number {
  const inf = world.controllers[ctrl]?.informers[kind];
  return inf ? lagOf(inf.pending, unit) : 0;
}

/**
 * From this lag on, a pop may enable an append the bound disabled: at the bound itself when
 * counting writes (an append adds one), one below it when counting events (a request may
 * append two, D9).
 */
export function nearBound(bound: LagBound): number {
  return bound.unit === 'writes' ? bound.max : bound.max - 1;
}

/** The lag bound a search was given: the number and unit options, or the model's defaults. */
export function lagBoundOf(
  max: number | null | undefined,
  unit: LagUnit | undefined,
  defaults: { readonly maxInformerLag?: number; readonly lagUnit?: LagUnit } | undefined,
): LagBound | undefined {
  const m = max === null ? undefined : (max ?? defaults?.maxInformerLag);
  return m === undefined ? undefined : { max: m, unit: unit ?? defaults?.lagUnit ?? 'events' };
}

/**
 * The lag bound as enabledness: a step whose successor would exceed the bound is not taken, so
 * what changes an informer's lag must be ordered with what depends on it. Resource
 * `lag/<controller>/<kind>`: every append to the informer (`fifo/...`) and every relist or
 * resync (`pending/<controller>/<kind>/*`) reads it (the latter also write it); a pop writes it
 * only from {@link nearBound} on, the one case where the pop can enable an append that was not
 * enabled before (further below, every append is enabled either way; over the bound no state is
 * explored). A sleeping pop keeps the footprint it had where it was taken, without the write if
 * the informer was further below then; that stays right for sleep sets, because near the bound
 * no append the pop could enable is taken (its successor is over the bound), so nothing the
 * stale footprint misses is ever checked against it.
 */
export function withLag(a: Action, reads: string[], writes: string[], pre: World, bound: LagBound): { reads: string[]; writes: string[] } {
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
  if (a.kind === 'deliver' && pendingCount(pre, a.controller, a.informer, bound.unit) >= nearBound(bound)) (extraWrites ??= []).push(`lag/${a.controller}/${a.informer}`);
  if (!extraReads && !extraWrites) return { reads, writes };
  return { reads: extraReads ? [...reads, ...extraReads] : reads, writes: extraWrites ? [...writes, ...extraWrites] : writes };
}

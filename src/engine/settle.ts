/**
 * Default scheduling and stability: how a run proceeds when nobody chooses, and when a
 * world counts as stable (no enabled action changes anything but the clock and retry
 * counters — so a retry loop that never makes progress is stable, and a finalizer that can
 * never be removed shows up at a stable state).
 */
import { fingerprint } from './fingerprint.ts';
import type { Action, LogEntry, Simulator } from './simulator.ts';
import type { Scenario } from './system.ts';
import type { Failure, World } from './world.ts';

/** The default policy: the first enabled action that is neither a fault nor the clock; else the clock. */
export function defaultAction(actions: readonly Action[]): Action | undefined {
  let clock: Action | undefined;
  for (const a of actions) {
    if (a.actor === 'fault') continue;
    if (a.kind === 'clock') clock = a;
    else return a;
  }
  return clock;
}

/** No action other than faults and the clock is enabled. */
export function isQuiescent(actions: readonly Action[]): boolean {
  return actions.every((a) => a.actor === 'fault' || a.kind === 'clock');
}

export interface SettleOptions {
  /** Most steps to take while settling. */
  readonly maxSteps: number;
  /** Called for every step taken (to check `always` properties and keep the log). */
  readonly onStep?: (world: World, entry: LogEntry) => boolean | void;
}

export type SettleResult =
  /** `steps` counts the steps up to the stable world (the no-progress probe after it is not counted). */
  | { readonly kind: 'stable'; readonly world: World; readonly steps: number }
  | { readonly kind: 'stopped'; readonly world: World; readonly steps: number }
  | { readonly kind: 'budget'; readonly world: World; readonly steps: number }
  | { readonly kind: 'failed'; readonly world: World; readonly steps: number };

/**
 * Run the default policy until the world is stable. Stability at a quiescent world with
 * pending timers is decided by letting every timer fire once: if the world is then the same
 * up to time and retry counters, the work left makes no progress.
 */
export function settle(sim: Simulator, scenario: Scenario, start: World, opts: SettleOptions): SettleResult {
  let world = start;
  let steps = 0;
  // A candidate stable world and the time by which all its timers have fired.
  let candidate: { world: World; sig: number; horizon: number; steps: number } | undefined;
  for (;;) {
    if (world.failure) return { kind: 'failed', world, steps };
    const actions = sim.enabled(world, scenario);
    if (isQuiescent(actions)) {
      const stuck = deadlock(world);
      if (stuck) return { kind: 'failed', world: { ...world, failure: stuck }, steps };
      const clock = actions.find((a) => a.kind === 'clock');
      if (!clock) return { kind: 'stable', world, steps };
      const sig = fingerprint(world, true);
      if (candidate && world.clock >= candidate.horizon) {
        if (candidate.sig === sig) return { kind: 'stable', world: candidate.world, steps: candidate.steps };
        candidate = undefined;
      }
      if (!candidate) candidate = { world, sig, horizon: lastTimer(sim, world), steps };
    }
    const action = defaultAction(actions);
    if (!action) return { kind: 'stable', world, steps };
    if (steps >= opts.maxSteps) return { kind: 'budget', world, steps };
    const r = sim.step(world, action, scenario);
    world = r.world;
    steps++;
    if (opts.onStep?.(world, r.entry) === false) return { kind: 'stopped', world, steps };
  }
}

/** At a quiescent world, any handler still in flight waits for a mutex nobody can release. */
export function deadlock(world: World): Failure | undefined {
  for (const [name, c] of Object.entries(world.controllers)) {
    for (const f of Object.values(c.inflight)) {
      if (f.pending.op === 'lock') {
        const holder = c.locks[`${f.pending.mutex}/${f.pending.key}`];
        return {
          kind: 'deadlock',
          message: `${name}: ${f.handler}(${f.key}) waits forever for ${f.pending.mutex}(${f.pending.key}), held by ${holder}`,
          actionId: `${name}/${f.queue ?? f.task}`,
        };
      }
    }
  }
  return undefined;
}

/** The latest time at which any timer now pending fires. */
function lastTimer(sim: Simulator, world: World): number {
  let last = world.clock;
  for (const def of sim.system.controllers) {
    const c = world.controllers[def.name];
    for (const q of Object.values(c.queues)) for (const d of q.delayed) last = Math.max(last, d.readyAt);
    for (const due of Object.values(c.timers)) last = Math.max(last, due);
    for (const f of Object.values(c.inflight)) if (f.pending.op === 'sleep') last = Math.max(last, f.pending.until!);
  }
  return last;
}

/** A world with the scenario's setup operations applied and settled by the default policy. */
export function setupWorld(sim: Simulator, scenario: Scenario, maxSteps = 10_000): World {
  let world = sim.initialWorld();
  const setup: Scenario = { ops: scenario.setup ?? [] };
  const r = settle(sim, setup, world, { maxSteps });
  if (r.kind === 'failed') {
    throw new Error(`scenario setup failed: ${r.world.failure!.message} (at ${r.world.failure!.actionId})`);
  }
  if (r.kind === 'budget') throw new Error(`scenario setup did not settle within ${maxSteps} steps`);
  world = { ...r.world, users: {}, steps: 0 };
  return world;
}

/**
 * PCT-style schedules (Burckhardt et al., "A Randomized Scheduler with Probabilistic
 * Guarantees of Finding Bugs", ASPLOS 2010) for random search.
 *
 * Uniform random choice among enabled actions rarely keeps one actor waiting for long: a
 * watch event that stays undelivered while twenty other steps happen is exponentially
 * unlikely. PCT gives every "thread" a random priority, always runs the highest-priority
 * enabled thread, and at `depth` random steps lowers the priority of the thread that just
 * ran below every other. Bugs that need a few ordering constraints, however long the
 * starvation between them, are then found with probability about 1/(threads × steps^(depth-1)).
 *
 * A thread here is what runs in order in the real system: one informer's events for one
 * object, one reconcile of one key (from its begin to its end), one task, one user, one
 * system actor. Everything is derived from the seed, so a PCT run is as deterministic as a
 * list of choices (and is recorded as action ids like any other run).
 */
import { nextInt, seedState } from '../engine/rng.ts';
import type { Action } from '../engine/simulator.ts';
import type { World } from '../engine/world.ts';

export interface PctSchedule {
  readonly kind: 'pct';
  readonly seed: number;
  /** Priority change points (PCT's d - 1); 0 = fixed random priorities. */
  readonly depth: number;
  /** Steps scheduled by PCT before the default policy settles the world. */
  readonly maxSteps: number;
}

/** The thread an enabled action belongs to. */
export function threadOf(world: World, a: Action): string {
  switch (a.kind) {
    case 'deliver': {
      // One watch stream feeds an informer (W2): its deliveries are one thread.
      return `deliver ${a.controller} ${a.informer}`;
    }
    case 'begin':
      return `${a.controller}/${a.queue}/${world.controllers[a.controller].queues[a.queue].queue[0]}`;
    case 'resume':
      return world.controllers[a.controller].inflight[a.inflight]?.id ?? a.inflight;
    case 'beginTask':
      return `${a.controller}/task/${a.task}`;
    case 'user':
      return `user ${a.actor}`;
    case 'system':
      return `system ${a.actor}`;
    default:
      return a.id;
  }
}

function priorityOf(thread: string, seed: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (let i = 0; i < thread.length; i++) h = Math.imul(h ^ thread.charCodeAt(i), 2654435761);
  h ^= h >>> 15;
  h = Math.imul(h, 2246822507);
  return (h ^ (h >>> 13)) >>> 0;
}

/** The choosing state of one PCT run. */
export class PctChooser {
  private readonly changeAt = new Set<number>();
  /** Threads demoted at a change point, with their (negative, decreasing) priorities. */
  private readonly lowered = new Map<string, number>();
  private step = 0;

  constructor(private readonly schedule: PctSchedule) {
    let rng = seedState(schedule.seed);
    for (let i = 0; i < schedule.depth; i++) {
      const [at, next] = nextInt(rng, Math.max(1, schedule.maxSteps));
      rng = next;
      this.changeAt.add(at);
    }
  }

  /** Pick among the enabled `actions` (non-empty) of `world`. */
  choose(world: World, actions: readonly Action[]): Action {
    let best = actions[0];
    let bestThread = '';
    let bestPriority = -Infinity;
    for (const a of actions) {
      const thread = threadOf(world, a);
      const p = this.lowered.get(thread) ?? priorityOf(thread, this.schedule.seed);
      if (p > bestPriority) {
        bestPriority = p;
        best = a;
        bestThread = thread;
      }
    }
    if (this.changeAt.has(this.step)) this.lowered.set(bestThread, -1 - this.lowered.size);
    this.step++;
    return best;
  }
}

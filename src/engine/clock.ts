/**
 * The virtual clock: time passes only by a `clock` action, which jumps to the earliest future
 * moment something becomes due (a delayed or rate-limited queue item, Q4/Q5; a periodic task's
 * timer; a sleeping handler's wake-up) and promotes the queue items that are ready then.
 * Nothing reads the wall clock.
 */
import type { Action } from './actions.ts';
import { formatTime } from './describe.ts';
import type { Engine, StepTxn } from './step.ts';
import * as wq from './workqueue.ts';
import type { World } from './world.ts';

const clockIds = new Map<number, string>();

function clockId(to: number): string {
  let id = clockIds.get(to);
  if (id === undefined) {
    id = `clock: advance to ${formatTime(to)}`;
    if (clockIds.size < 10_000) clockIds.set(to, id);
  }
  return id;
}

/** The clock action of `world`, if anything is due later. */
export function clockAction(eng: Engine, world: World): Action | undefined {
  const next = nextTimer(eng, world);
  return next === undefined ? undefined : { kind: 'clock', id: clockId(next), actor: 'clock', to: next };
}

/** Earliest future time at which something becomes due (delayed queue items, periodic tasks). */
export function nextTimer(eng: Engine, world: World): number | undefined {
  let next: number | undefined;
  for (const def of eng.system.controllers) {
    const c = world.controllers[def.name];
    if (!c.started) continue;
    for (const name in c.queues) {
      const at = wq.nextReadyAt(c.queues[name]);
      if (at !== undefined && at > world.clock && (next === undefined || at < next)) next = at;
    }
    for (const task in c.timers) {
      const due = c.timers[task];
      if (due > world.clock && (next === undefined || due < next)) next = due;
    }
    for (const id in c.inflight) {
      const p = c.inflight[id].pending;
      if (p.op === 'sleep' && p.until! > world.clock && (next === undefined || p.until! < next)) next = p.until!;
    }
  }
  return next;
}

export function runClock(eng: Engine, txn: StepTxn, to: number): void {
  txn.read('clock');
  txn.write('clock');
  // Which time comes next depends on every delayed item and timer.
  txn.read('queue/*');
  txn.read('timer/*');
  // ... and on every sleeping handler (ctx.sleep).
  txn.read('inflight/*');
  txn.set('clock', to);
  for (const def of eng.system.controllers) {
    const c = txn.controller(def.name);
    let queues = c.queues;
    for (const [name, q] of Object.entries(c.queues)) {
      const p = wq.promoteReady(q, to);
      if (p !== q) {
        txn.write(`queue/${def.name}/${name}/*`);
        queues = { ...queues, [name]: p };
      }
    }
    for (const task of Object.keys(c.timers)) txn.read(`timer/${def.name}/${task}`);
    if (queues !== c.queues) txn.setController(def.name, { ...c, queues });
  }
}

/**
 * Starting a controller process (controller-runtime's manager): each watched kind gets an
 * informer with the initial LIST queued (so workers and start-up code wait for HasSynced), each
 * queue is empty, memory is the controller's initial memory, and periodic tasks are due after
 * their initial delay (at once when there is no start-up code). Used for the initial world and
 * after the restart fault.
 */
import { listObjects } from '../api/server.ts';
import type { ApiState } from '../api/types.ts';
import { startInformer } from './informer.ts';
import type { ControllerDef } from './system.ts';
import * as wq from './workqueue.ts';
import type { ControllerState, InformerState } from './world.ts';

/** A controller process just started: empty queues and memory, caches about to receive the initial list. */
export function freshController(def: ControllerDef<any>, api: ApiState, restarts: number): ControllerState {
  const informers: Record<string, InformerState> = {};
  for (const kind of Object.keys(def.watches)) informers[kind] = startInformer(listObjects(api, kind));
  const queues: Record<string, wq.QueueState> = {};
  for (const [name, q] of Object.entries(def.queues)) queues[name] = wq.emptyQueue(q.rateLimiter);
  // Without start-up code the controller is started at once; periodic tasks are due after their initial delay.
  const timers: Record<string, number> = {};
  if (!def.start) for (const [name, p] of Object.entries(def.periodic ?? {})) timers[name] = p.initialDelayMs ?? 0;
  return { informers, queues, memory: def.initialMemory, locks: {}, inflight: {}, started: !def.start, timers, restarts };
}

/**
 * The engine side of {@link ReconcileContext}: what each effect a handler yields does to the
 * world, with its footprint. Scheduling points (the step that resumes a handler performs its
 * pending one): a keyed mutex acquire, a sleep, an external-system call, an API call
 * (./client.ts). Local effects (run inside the step of the preceding scheduling point): unlock,
 * lister reads of the informer cache (W5), controller memory, reads of external state, workqueue
 * adds (Q1, Q4, Q5) and Forget, the virtual clock, log lines.
 */
import { notFound, unknownKind } from '../api/errors.ts';
import { resourceOf } from '../api/kinds.ts';
import { objectKey } from '../api/keys.ts';
import { describeEffect } from './describe.ts';
import type { Effect } from './effects.ts';
import { describeApiResult, performApi } from './client.ts';
import { informerOf, listCache } from './lister.ts';
import { withKey, withoutKey } from './records.ts';
import { type DriveInput, type Engine, errorText, isApiError, type StepTxn } from './step.ts';
import type { Footprint } from './footprint.ts';
import { trackedSelect, trackedUpdate } from './memory-footprint.ts';
import { queueWrites } from './queue-footprint.ts';
import * as wq from './workqueue.ts';

/** Add a derived footprint to the step's. */
export function record(txn: StepTxn, fp: Footprint): void {
  for (const r of fp.reads) txn.read(r);
  for (const w of fp.writes) txn.write(w);
}

/** Perform the scheduling point a handler is paused at; returns its result (or a thrown error). */
export function performScheduling(eng: Engine, txn: StepTxn, ctrl: string, inflightId: string, e: Effect): DriveInput {
  if (e.op === 'lock') {
    const lk = `${e.mutex}/${e.key}`;
    txn.read(`lock/${ctrl}/${lk}`);
    txn.write(`lock/${ctrl}/${lk}`);
    txn.updateController(ctrl, (c) => ({ ...c, locks: withKey(c.locks, lk, inflightId) }));
    return { kind: 'next', value: undefined };
  }
  if (e.op === 'sleep') {
    txn.read('clock');
    return { kind: 'next', value: undefined };
  }
  if (e.op === 'external') {
    const def = eng.externalDefs.get(e.system);
    if (!def) return { kind: 'throw', error: new Error(`unknown external system ${e.system}`) };
    const call = def.calls[e.call];
    if (!call) return { kind: 'throw', error: new Error(`external system ${e.system} has no call ${e.call}`) };
    const fpKey = def.footprint ? def.footprint(e.call, e.args) : '*';
    txn.read(`ext/${e.system}/${fpKey}`);
    txn.write(`ext/${e.system}/${fpKey}`);
    try {
      const out = call(txn.world.externals[e.system], e.args);
      if (out.state !== txn.world.externals[e.system]) {
        txn.set('externals', { ...txn.world.externals, [e.system]: out.state });
      }
      txn.notes.push(`${describeEffect(e)} -> ok`);
      return { kind: 'next', value: out.result };
    } catch (err) {
      txn.notes.push(`${describeEffect(e)} -> error: ${errorText(err)}`);
      return { kind: 'throw', error: err };
    }
  }
  try {
    const value = performApi(eng, txn, e, ctrl);
    txn.notes.push(`${describeEffect(e)} -> ${describeApiResult(value)}`);
    return { kind: 'next', value };
  } catch (err) {
    if (!isApiError(err)) return { kind: 'throw', error: err };
    txn.notes.push(`${describeEffect(e)} -> ${err.code} ${err.reason}: ${err.message}`);
    return { kind: 'throw', error: err };
  }
}

/** Perform a local effect; returns its result (or a thrown error). */
export function performLocal(eng: Engine, txn: StepTxn, ctrl: string, e: Effect): DriveInput {
  switch (e.op) {
    case 'unlock': {
      const lk = `${e.mutex}/${e.key}`;
      txn.write(`lock/${ctrl}/${lk}`);
      txn.updateController(ctrl, (c) => {
        return { ...c, locks: withoutKey(c.locks, lk) };
      });
      return { kind: 'next', value: undefined };
    }
    case 'listerGet': {
      const key = objectKey(e.kind, e.namespace, e.name);
      txn.read(`cache/${ctrl}/${key}`);
      const inf = informerOf(txn, ctrl, e.kind);
      const obj = inf.cache[key];
      if (!obj) {
        const def = txn.world.api.kinds[e.kind];
        return { kind: 'throw', error: def ? notFound({ resource: resourceOf(def), kind: e.kind }, e.name) : unknownKind(e.kind) };
      }
      return { kind: 'next', value: obj };
    }
    case 'listerList':
      txn.read(`cache/${ctrl}/${e.kind}/*`);
      return { kind: 'next', value: listCache(informerOf(txn, ctrl, e.kind), e.options) };
    case 'memoryGet': {
      const got = trackedSelect(`mem/${ctrl}`, txn.controller(ctrl).memory, e.select);
      record(txn, got.footprint);
      return { kind: 'next', value: got.value };
    }
    case 'memoryUpdate': {
      const updated = trackedUpdate(`mem/${ctrl}`, txn.controller(ctrl).memory, e.update);
      record(txn, updated.footprint);
      const memory = updated.value;
      if (memory !== txn.controller(ctrl).memory) txn.updateController(ctrl, (c) => ({ ...c, memory }));
      if (!e.select) return { kind: 'next', value: memory };
      const selected = trackedSelect(`mem/${ctrl}`, memory, e.select);
      record(txn, selected.footprint);
      return { kind: 'next', value: selected.value };
    }
    case 'externalRead':
      txn.read(`ext/${e.system}/*`);
      return { kind: 'next', value: txn.world.externals[e.system] };
    case 'enqueue':
      enqueue(eng, txn, ctrl, e.queue, e.key, e.afterMs ?? 0, !!e.rateLimited);
      return { kind: 'next', value: undefined };
    case 'forget': {
      const q = txn.controller(ctrl).queues[e.queue];
      const next = wq.forget(q, e.key);
      touchQueue(txn, ctrl, e.queue, e.key, q, next);
      if (next !== q) txn.updateController(ctrl, (c) => ({ ...c, queues: { ...c.queues, [e.queue]: next } }));
      return { kind: 'next', value: undefined };
    }
    case 'now':
      txn.read('clock');
      return { kind: 'next', value: txn.world.clock };
    case 'log':
      txn.notes.push(e.message);
      return { kind: 'next', value: undefined };
    default:
      throw new Error(`not a local effect: ${e.op}`);
  }
}

/** Add a key to a controller's workqueue: at once, after a delay (Q4) or rate-limited (Q5). */
export function enqueue(eng: Engine, txn: StepTxn, ctrl: string, queue: string, key: string, delayMs: number, rateLimited: boolean): void {
  const c = txn.controller(ctrl);
  const q = c.queues[queue];
  if (!q) throw new Error(`controller ${ctrl} has no queue ${queue}`);
  const limiter = eng.controllerDefs.get(ctrl)!.queues[queue].rateLimiter ?? wq.defaultRateLimiter;
  const next = rateLimited
    ? wq.addRateLimited(q, key, txn.world.clock, limiter)
    : wq.addAfter(q, key, delayMs, txn.world.clock);
  touchQueue(txn, ctrl, queue, key, q, next);
  if (next !== q) txn.setController(ctrl, { ...c, queues: { ...c.queues, [queue]: next } });
}

/** The footprint of a queue operation on `key`: that key's part, and every part it changed. */
export function touchQueue(txn: StepTxn, ctrl: string, queue: string, key: string, before: wq.QueueState, after: wq.QueueState): void {
  const prefix = `queue/${ctrl}/${queue}`;
  txn.read(`${prefix}/key/${key}`);
  for (const w of queueWrites(prefix, before, after)) txn.write(w);
}

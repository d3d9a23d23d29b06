/**
 * A shared informer's delivery side (client-go shared_informer.go HandleDeltas / processDeltas):
 * the `deliver` actions (one per poppable prefix of each informer's head key, W2), the delivery
 * step (pop, every popped delta applied to the indexer, then the event handlers called in order
 * with a cache that may be newer than their notification), the context those synchronous
 * handlers get (listers, direct GET, memory, enqueue; read-only ReconcileContext helpers via
 * `run`), and the two informer transitions a fault triggers: relist after a broken watch (W3)
 * and resync (W4). The DeltaFIFO itself (pure functions) is ./informer.ts; the watch stream
 * that fills it is ./watch.ts.
 */
import { objectKey } from '../api/keys.ts';
import type { ListOptions, StoredObject } from '../api/types.ts';
import { listObjects } from '../api/server.ts';
import type { Action } from './actions.ts';
import { describeEffect } from './describe.ts';
import { type Effect, isSchedulingPoint } from './effects.ts';
import { performApi } from './client.ts';
import { applyDelta, deltaLabel, popDeltas, popSizes, relist, resync } from './informer.ts';
import { informerOf, listCache } from './lister.ts';
import { trackedUpdate } from './memory-footprint.ts';
import { enqueue, performLocal, record } from './perform.ts';
import { abandonIfPromise, type DriveInput, type Engine, errorText, isApiError, received, type StepTxn } from './step.ts';
import type { HandlerContext } from './system.ts';
import { WatchedEvent } from './watch.ts';
import type { ControllerState, PendingEvent } from './world.ts';

function deliverId(ev: PendingEvent, ctrl: string): string {
  if (ev instanceof WatchedEvent) return ev.deliverId(ctrl);
  return `deliver ${ev.key} ${deltaLabel(ev)} -> ${ctrl}`;
}

/** A pop of more than one delta: `deliver IP/a ADDED+MODIFIED -> ctrl`. */
function deliverManyId(pending: readonly PendingEvent[], count: number, ctrl: string): string {
  const key = pending[0].key;
  const labels: string[] = [];
  for (const ev of pending) {
    if (ev.key !== key) continue;
    labels.push(deltaLabel(ev));
    if (labels.length === count) break;
  }
  return `deliver ${key} ${labels.join('+')} -> ${ctrl}`;
}

/**
 * The deliveries of one controller's informers: each informer's DeltaFIFO pops its head key (W2).
 * Returns whether every informer has synced (its initial list delivered: HasSynced).
 */
export function deliverActions(c: ControllerState, ctrl: string, out: Action[]): boolean {
  let synced = true;
  for (const kind in c.informers) {
    const inf = c.informers[kind];
    if (inf.unsynced !== 0) synced = false;
    if (inf.pending.length === 0) continue;
    for (const count of popSizes(inf)) {
      const id = count === 1 ? deliverId(inf.pending[0], ctrl) : deliverManyId(inf.pending, count, ctrl);
      out.push({ kind: 'deliver', id, actor: ctrl, controller: ctrl, informer: kind, count });
    }
  }
  return synced;
}

/** Pop the head key with `count` deltas; each is applied to the cache, then handed to the handlers (W2). */
export function runDeliver(eng: Engine, txn: StepTxn, ctrl: string, kind: string, count: number, actionId: string): void {
  const def = eng.controllerDefs.get(ctrl)!;
  const c = txn.controller(ctrl);
  const inf = c.informers[kind];
  const popped = popDeltas(inf, count);
  const key = popped.deltas[0].key;
  // What the pop depends on: this key's first delta (which makes it the head) and the prefix it
  // takes, and the events of other keys that precede the last delta popped (they allow the
  // prefix). An append to a key with deltas queued (`#tail`) changes none of that: appends
  // commute with the pop, unless the pop takes every delta of the key, after which an append
  // is the key's first again (and so dependent, through `#first`).
  txn.read(`pending/${ctrl}/${key}/#first`);
  if (count > 1) {
    txn.read(`pending/${ctrl}/${key}/#tail`);
    const last = popped.deltas[count - 1];
    for (const ev of inf.pending) {
      if (ev === last) break;
      if (ev.key !== key) txn.read(`pending/${ctrl}/${ev.key}/#first`);
    }
  }
  txn.write(`pending/${ctrl}/${key}/#first`);
  txn.write(`cache/${ctrl}/${key}`);
  // Every popped delta reaches the indexer before the handlers run: for a pop of several deltas
  // the listener lags behind the cache, so a handler can see a cache newer than its notification.
  let cache = popped.informer.cache;
  const olds: (StoredObject | undefined)[] = [];
  for (const ev of popped.deltas) {
    const applied = applyDelta(cache, ev);
    olds.push(applied.old);
    cache = applied.cache;
  }
  txn.setController(ctrl, { ...c, informers: { ...c.informers, [kind]: { ...popped.informer, cache } } });
  const handlers = def.watches[kind];
  for (let i = 0; i < popped.deltas.length; i++) {
    const ev = popped.deltas[i];
    const old = olds[i];
    const ctx = new EventHandlerContext(eng, txn, ctrl);
    let ret: unknown;
    try {
      if (ev.type === 'DELETED') ret = handlers.delete?.(ctx, ev.object, { tombstone: !!ev.tombstone });
      else if (ev.type === 'RESYNC') ret = handlers.update?.(ctx, ev.object, ev.object);
      else if (old) ret = handlers.update?.(ctx, old, ev.object);
      else ret = handlers.add?.(ctx, ev.object);
    } catch (e) {
      txn.fail({ kind: 'handler-threw', message: `${ctrl} event handler for ${kind} threw ${errorText(e)}`, actionId });
      return;
    }
    if (abandonIfPromise(ret)) {
      txn.fail({ kind: 'bad-effect', message: `${ctrl} event handler for ${kind} returned a Promise; event handlers must be synchronous (no async/await)`, actionId });
      return;
    }
  }
}

/** W3: the watch broke; pending events are lost and a relist turns the difference into events (tombstones for deletes). */
export function relistInformer(txn: StepTxn, ctrl: string, kind: string): void {
  txn.write(`pending/${ctrl}/${kind}/*`);
  txn.read(`cache/${ctrl}/${kind}/*`);
  txn.read(`api/${kind}/*`);
  const c = txn.controller(ctrl);
  const { informer, dropped } = relist(c.informers[kind], listObjects(txn.world.api, kind));
  txn.setController(ctrl, { ...c, informers: { ...c.informers, [kind]: informer } });
  txn.notes.push(`watch of ${kind} lost ${dropped} events; relist yields ${informer.pending.length}`);
}

/** W4: resync re-delivers every cached object as update(old, new) with equal RVs, without the server. */
export function resyncInformer(txn: StepTxn, ctrl: string, kind: string): void {
  txn.write(`pending/${ctrl}/${kind}/*`);
  txn.read(`cache/${ctrl}/${kind}/*`);
  const c = txn.controller(ctrl);
  txn.setController(ctrl, { ...c, informers: { ...c.informers, [kind]: resync(c.informers[kind]) } });
}

/** A lister over an informer cache for synchronous event handlers. */
class EventHandlerLister {
  constructor(
    private readonly ctx: EventHandlerContext,
    private readonly kind: string,
  ) {}
  get(namespace: string | undefined, name: string): any {
    const { txn, ctrl } = this.ctx;
    const key = objectKey(this.kind, namespace, name);
    txn.read(`cache/${ctrl}/${key}`);
    return informerOf(txn, ctrl, this.kind).cache[key];
  }
  list(options?: ListOptions): any[] {
    const { txn, ctrl } = this.ctx;
    txn.read(`cache/${ctrl}/${this.kind}/*`);
    return listCache(informerOf(txn, ctrl, this.kind), options);
  }
}

/** What an informer event handler may do, inside the delivery step. */
class EventHandlerContext implements HandlerContext<any> {
  constructor(
    readonly eng: Engine,
    readonly txn: StepTxn,
    readonly ctrl: string,
  ) {}
  lister(kind: string): any {
    return new EventHandlerLister(this, kind);
  }
  get(kind: string, namespace: string | undefined, name: string): any {
    const key = objectKey(kind, namespace, name);
    this.txn.read(`api/${key}`);
    return this.txn.world.api.objects[key];
  }
  memory(): any {
    this.txn.read(`mem/${this.ctrl}/*`);
    return this.txn.controller(this.ctrl).memory;
  }
  updateMemory(update: (memory: any) => any): void {
    const updated = trackedUpdate(`mem/${this.ctrl}`, this.txn.controller(this.ctrl).memory, update);
    record(this.txn, updated.footprint);
    if (updated.value !== this.txn.controller(this.ctrl).memory) this.txn.updateController(this.ctrl, (c) => ({ ...c, memory: updated.value }));
  }
  run<T>(body: Generator<Effect, T, unknown>): T {
    const { eng, txn, ctrl } = this;
    let input: DriveInput = { kind: 'next', value: undefined };
    for (;;) {
      const it: IteratorResult<Effect, T> = input.kind === 'next' ? body.next(input.value) : body.throw(input.error);
      if (it.done) return it.value;
      const e: Effect = it.value;
      if (e.op === 'get' || e.op === 'list') {
        try {
          input = { kind: 'next', value: performApi(eng, txn, e, ctrl) };
        } catch (err) {
          if (!isApiError(err)) throw err;
          input = { kind: 'throw', error: err };
        }
      } else if (isSchedulingPoint(e) || e.op === 'memoryUpdate' || e.op === 'unlock') {
        throw new Error(`${describeEffect(e)} is not allowed inside an event handler (only reads, enqueues and logs)`);
      } else {
        input = performLocal(eng, txn, ctrl, e);
      }
      // ctx.ignoreResult / ctx.keep mean the same here (nothing is recorded: the event handler runs within the step).
      input = received(e, input, false);
    }
  }
  enqueue(queue: string, key: string): void {
    enqueue(this.eng, this.txn, this.ctrl, queue, key, 0, false);
  }
  enqueueAfter(queue: string, key: string, delayMs: number): void {
    enqueue(this.eng, this.txn, this.ctrl, queue, key, delayMs, false);
  }
  log(message: string): void {
    this.txn.notes.push(message);
  }
}

/**
 * One informer of one controller: the indexer (cache) and the DeltaFIFO that one watch stream
 * feeds (client-go tools/cache/delta_fifo.go, shared_informer.go, reflector.go), as pure
 * functions over an immutable {@link InformerState}.
 *
 * Rule W2 (apiserver-semantics.md): the watch stream carries an informer's events in
 * resourceVersion order; the DeltaFIFO queues keys in the order of their oldest pending delta,
 * and Pop hands a key over with all of its queued deltas, each applied to the indexer and then
 * passed to the handlers (HandleDeltas/processDeltas). So across objects of ONE informer the
 * handler order follows the stream; only across informers is there no order.
 *
 * `pending` holds every event the server has emitted and the handlers have not seen yet, in
 * emission order: the part still on the wire and the part already in the DeltaFIFO. Where the
 * boundary lies is a scheduling choice, so a pop of the head key takes a prefix of that key's
 * pending deltas: one delta (the reflector had not received the next one yet), or up to a delta
 * that some other key's event precedes (it had). Longer prefixes of back-to-back deltas of the
 * same key are left out: popping them one at a time reaches the same worlds.
 *
 * A pop applies all its deltas to the cache before the handlers run in order, so with several
 * deltas a handler sees a cache newer than its notification (client-go's processorListener runs
 * handlers behind the indexer).
 *
 * Simplifications (named in the README): a pop and its handler calls are one step, so a
 * listener never lags behind a later pop (a handler cannot see another key's later delta of the
 * same informer); a watch gap
 * (W3) loses every pending event, including any the DeltaFIFO already held; DeltaFIFO's
 * dedup of two consecutive deletes never applies (a deleted object emits one DELETED); a relist
 * queues only the objects that changed (client-go's Replace also re-delivers unchanged ones as
 * updates with equal resourceVersions, which a resync fault covers).
 */
import { keyOf } from '../api/keys.ts';
import type { StoredObject } from '../api/types.ts';
import type { InformerState, PendingEvent } from './world.ts';

/** The head of the DeltaFIFO: the key whose oldest pending delta is the oldest of all. */
export function headKey(inf: InformerState): string | undefined {
  return inf.pending.length ? inf.pending[0].key : undefined;
}

/**
 * The pop sizes a delivery of the head key may take (W2): 1, and every n > 1 whose n-th delta
 * of the head key has another key's event before it in the stream.
 */
const NONE: readonly number[] = [];
const ONLY_ONE: readonly number[] = [1];

export function popSizes(inf: InformerState): readonly number[] {
  const pending = inf.pending;
  if (pending.length === 0) return NONE;
  const key = pending[0].key;
  // enabled() asks on every step; the common answer [1] is shared, not allocated.
  let sizes: number[] | undefined;
  let n = 1;
  for (let i = 1; i < pending.length; i++) {
    if (pending[i].key !== key) continue;
    n++;
    // i > n - 1: some other key's event lies between the head and this delta.
    if (i > n - 1) (sizes ??= [1]).push(n);
  }
  return sizes ?? ONLY_ONE;
}

/** Pop the head key with its first `count` pending deltas; the rest of the stream keeps its order. */
export function popDeltas(inf: InformerState, count: number): { readonly informer: InformerState; readonly deltas: readonly PendingEvent[] } {
  const pending = inf.pending;
  const key = pending[0].key;
  const deltas: PendingEvent[] = [];
  const rest: PendingEvent[] = [];
  let initial = 0;
  for (const ev of pending) {
    if (ev.key === key && deltas.length < count) {
      deltas.push(ev);
      if (ev.initial) initial++;
    } else rest.push(ev);
  }
  return { informer: { cache: inf.cache, pending: rest, unsynced: inf.unsynced - initial }, deltas };
}

/** Apply one delta to the indexer: the cache entry before it and the cache after. */
export function applyDelta(
  cache: InformerState['cache'],
  ev: PendingEvent,
): { readonly old: StoredObject | undefined; readonly cache: InformerState['cache'] } {
  const old = cache[ev.key];
  if (ev.type === 'DELETED') {
    if (!(ev.key in cache)) return { old, cache };
    const next: Record<string, StoredObject> = {};
    for (const k in cache) if (k !== ev.key) next[k] = cache[k];
    return { old, cache: next };
  }
  return { old, cache: { ...cache, [ev.key]: ev.object } };
}

/** The watch stream appends an event the server emitted (in resourceVersion order). */
export function appendEvent(inf: InformerState, ev: PendingEvent): InformerState {
  return { cache: inf.cache, pending: [...inf.pending, ev], unsynced: inf.unsynced };
}

/**
 * A (re)started informer: empty cache, the initial LIST queued as ADDED deltas (Replace);
 * HasSynced waits until they have all been popped.
 */
export function startInformer(listed: readonly StoredObject[]): InformerState {
  const pending: PendingEvent[] = listed.map((object) => ({ type: 'ADDED' as const, key: keyOf(object), object, initial: true }));
  return { cache: {}, pending, unsynced: pending.length };
}

/**
 * W3: the watch broke and the reflector relisted. Pending events are lost; the difference
 * between the cache and the listed objects becomes events: ADDED for new keys, MODIFIED for a
 * changed resourceVersion (a delete and re-create shows as a different uid), and
 * DeletedFinalStateUnknown tombstones for keys no longer listed. During the initial list (after
 * a restart) the relist replaces it and HasSynced keeps waiting for it.
 */
export function relist(inf: InformerState, listed: readonly StoredObject[]): { readonly informer: InformerState; readonly dropped: number } {
  const initial = inf.unsynced > 0 ? { initial: true } : {};
  const liveKeys = new Set<string>();
  const pending: PendingEvent[] = [];
  for (const obj of listed) {
    const key = keyOf(obj);
    liveKeys.add(key);
    const cached = inf.cache[key];
    if (!cached) pending.push({ type: 'ADDED', key, object: obj, ...initial });
    else if (cached.metadata.resourceVersion !== obj.metadata.resourceVersion) pending.push({ type: 'MODIFIED', key, object: obj, ...initial });
  }
  for (const key of Object.keys(inf.cache).sort()) {
    if (!liveKeys.has(key)) pending.push({ type: 'DELETED', key, object: inf.cache[key], tombstone: true, ...initial });
  }
  const dropped = inf.pending.filter((p) => !p.initial).length;
  return { informer: { cache: inf.cache, pending, unsynced: inf.unsynced > 0 ? pending.length : 0 }, dropped };
}

/**
 * W4: resync queues a Sync delta (update(old, new) with equal resourceVersions) for every
 * cached key, without contacting the server. DeltaFIFO.syncKeyLocked skips a key with a delta
 * still queued: its Sync would carry the older cached object and move the cache back.
 */
export function resync(inf: InformerState): InformerState {
  const queued = new Set(inf.pending.map((p) => p.key));
  const extra: PendingEvent[] = Object.keys(inf.cache)
    .sort()
    .filter((key) => !queued.has(key))
    .map((key) => ({ type: 'RESYNC' as const, key, object: inf.cache[key] }));
  return extra.length ? { cache: inf.cache, pending: [...inf.pending, ...extra], unsynced: inf.unsynced } : inf;
}

/** How a delta is named in a delivery id: its type, `DELETED(tombstone)` for a W3 tombstone. */
export function deltaLabel(ev: PendingEvent): string {
  return ev.type === 'DELETED' && ev.tombstone ? 'DELETED(tombstone)' : ev.type;
}

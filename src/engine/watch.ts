/**
 * The watch stream (client-go's reflector side): every API write's watch events (W1) are
 * appended, in resourceVersion order, to the DeltaFIFO of every informer of that kind, in every
 * controller (W2). Delivery from there is ./shared-informer.ts.
 */
import { keyOf } from '../api/keys.ts';
import type { StoredObject, WatchEvent } from '../api/types.ts';
import { appendEvent } from './informer.ts';
import type { Engine, StepTxn } from './step.ts';
import type { PendingEvent } from './world.ts';

/**
 * A watch event as fanOut queues it (the common case): plain {@link PendingEvent} fields, plus
 * its delivery action id, built once and kept out of sight of Object.keys, JSON and equality.
 */
export class WatchedEvent implements PendingEvent {
  #deliverId: string | undefined;
  // Declared, not defined: an event that is not joined has no `joined` key at all.
  declare readonly joined?: true;
  constructor(
    readonly type: PendingEvent['type'],
    readonly key: string,
    readonly object: StoredObject,
    joined = false,
  ) {
    if (joined) (this as { joined?: true }).joined = true;
  }
  deliverId(ctrl: string): string {
    return (this.#deliverId ??= `deliver ${this.key} ${this.type} -> ${ctrl}`);
  }
}

export function fanOut(eng: Engine, txn: StepTxn, events: readonly WatchEvent[]): void {
  for (const def of eng.system.controllers) {
    let c = txn.controller(def.name);
    let changed = false;
    let previousKey: string | undefined;
    let previousKind: string | undefined;
    for (const ev of events) {
      const inf = c.informers[ev.object.kind];
      if (!inf) continue;
      const key = keyOf(ev.object);
      const joined = previousKey === key && previousKind === ev.object.kind;
      previousKey = key;
      previousKind = ev.object.kind;
      // An append to a key with deltas queued leaves its queued deltas, and so every pop of
      // them, as they were (`#tail`); only an append to a key with none creates what a pop of
      // that key takes first (`#first`, which also makes it the head of an empty FIFO).
      txn.write(`pending/${def.name}/${key}/${hasPending(inf.pending, key) ? '#tail' : '#first'}`);
      // Two appends to one DeltaFIFO do not commute (W2: the stream order decides which key
      // is popped first); an append and a pop of the head do.
      txn.write(`fifo/${def.name}/${ev.object.kind}`);
      c = { ...c, informers: { ...c.informers, [ev.object.kind]: appendEvent(inf, new WatchedEvent(ev.type, key, ev.object, joined)) } };
      changed = true;
    }
    if (changed) txn.setController(def.name, c);
  }
}

function hasPending(pending: readonly { readonly key: string }[], key: string): boolean {
  for (const ev of pending) if (ev.key === key) return true;
  return false;
}

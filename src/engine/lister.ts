/**
 * Listers: a controller's reads of its own informer caches (client-go's indexer), from event
 * handlers and from `ctx.lister(kind)` in reconcilers. They read the cache, never the server,
 * so they can be stale, even about the controller's own writes (W5).
 */
import type { ListOptions, StoredObject } from '../api/types.ts';
import { matchesSelector } from './selector.ts';
import type { StepTxn } from './step.ts';
import type { InformerState } from './world.ts';

export function informerOf(txn: StepTxn, ctrl: string, kind: string): InformerState {
  const inf = txn.controller(ctrl).informers[kind];
  if (!inf) throw new Error(`controller ${ctrl} has no informer for kind ${kind} (add it to watches)`);
  return inf;
}

/** The cached objects of one kind matching `options`, sorted by key. */
export function listCache(inf: InformerState, options: ListOptions | undefined): StoredObject[] {
  const out: StoredObject[] = [];
  for (const key of Object.keys(inf.cache).sort()) {
    const obj = inf.cache[key];
    if (options?.namespace && obj.metadata.namespace !== options.namespace) continue;
    if (options?.labelSelector && !matchesSelector(obj.metadata.labels ?? {}, options.labelSelector)) continue;
    out.push(obj);
  }
  return out;
}

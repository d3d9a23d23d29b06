/**
 * A client-go rate-limiting delaying workqueue (k8s.io/client-go/util/workqueue) as pure
 * functions over immutable data, driven by the simulation clock.
 *
 * Items are strings (namespace/name keys). Go queues may also hold pointers; models that
 * need an object alongside a key keep it in controller memory (e.g. Kube-OVN's
 * deletingPodObjMap) — a named simplification.
 */

import { withKey, withoutKey } from './records.ts';

/**
 * Rate limiter of a queue: the parameters of client-go's DefaultControllerRateLimiter (Q5;
 * default 5 ms .. 1000 s per item, 10 qps / burst 100).
 *
 * @example
 * ```ts
 * const fast: RateLimiterConfig = { baseDelayMs: 5, maxDelayMs: 10_000, bucketQps: 0, bucketBurst: 0 };
 * ```
 *
 * @category Controllers and the engine
 */
export interface RateLimiterConfig {
  /** Per-item exponential base delay in ms (client-go: 5 ms). */
  readonly baseDelayMs: number;
  /** Per-item exponential cap in ms (client-go: 1000 s). */
  readonly maxDelayMs: number;
  /** Overall token bucket rate per second (client-go: 10). 0 disables the bucket. */
  readonly bucketQps: number;
  /** Overall token bucket burst (client-go: 100). */
  readonly bucketBurst: number;
}

export const defaultRateLimiter: RateLimiterConfig = {
  baseDelayMs: 5,
  maxDelayMs: 1_000_000,
  bucketQps: 10,
  bucketBurst: 100,
};

export interface DelayedItem {
  readonly item: string;
  readonly readyAt: number;
}

export interface QueueState {
  /** Items waiting to be handed to a worker, FIFO by first Add (Q3). */
  readonly queue: readonly string[];
  /** Items added and not yet handed out (Q1 dedup set), including ones re-added while processing. */
  readonly dirty: Readonly<Record<string, true>>;
  /** Items a worker holds (Q2). */
  readonly processing: Readonly<Record<string, true>>;
  /** AddAfter items, sorted by readyAt then insertion (Q4). */
  readonly delayed: readonly DelayedItem[];
  /** Per-item failure counts (NumRequeues, Q5). */
  readonly failures: Readonly<Record<string, number>>;
  /** Token bucket: tokens available at time `bucketAt` (fractional tokens allowed). */
  readonly bucketTokens: number;
  readonly bucketAt: number;
}

export function emptyQueue(limiter: RateLimiterConfig = defaultRateLimiter): QueueState {
  return { queue: [], dirty: {}, processing: {}, delayed: [], failures: {}, bucketTokens: limiter.bucketBurst, bucketAt: 0 };
}

/** Q1: Add de-duplicates waiting items; an item being processed is marked dirty and re-queued by Done (Q2). */
export function add(q: QueueState, item: string): QueueState {
  if (q.dirty[item]) return q;
  const dirty = withKey(q.dirty, item, true as const);
  if (q.processing[item]) return { ...q, dirty };
  return { ...q, dirty, queue: [...q.queue, item] };
}

/** Q2: Get hands out the head and marks it processing. Returns undefined when empty. */
export function get(q: QueueState): readonly [item: string, q: QueueState] | undefined {
  if (q.queue.length === 0) return undefined;
  const item = q.queue[0];
  const dirty = withoutKey(q.dirty, item);
  return [item, { ...q, queue: q.queue.slice(1), dirty, processing: withKey(q.processing, item, true as const) }];
}

/** Q2: Done releases the item; if it was re-added meanwhile it goes back on the queue. */
export function done(q: QueueState, item: string): QueueState {
  if (!q.processing[item]) return q;
  const processing = withoutKey(q.processing, item);
  const next = { ...q, processing };
  return q.dirty[item] ? { ...next, queue: [...q.queue, item] } : next;
}

/** Q4: AddAfter with d <= 0 is Add; otherwise a delayed insert that keeps the earliest ready time. */
export function addAfter(q: QueueState, item: string, delayMs: number, now: number): QueueState {
  if (delayMs <= 0) return add(q, item);
  const readyAt = now + delayMs;
  const existing = q.delayed.find((d) => d.item === item);
  if (existing && existing.readyAt <= readyAt) return q;
  const others = q.delayed.filter((d) => d.item !== item);
  const at = others.findIndex((d) => d.readyAt > readyAt);
  const delayed = at < 0 ? [...others, { item, readyAt }] : [...others.slice(0, at), { item, readyAt }, ...others.slice(at)];
  return { ...q, delayed };
}

/** Q5: the DefaultControllerRateLimiter's When(item): max of per-item exponential and token bucket. */
export function when(
  q: QueueState,
  item: string,
  now: number,
  limiter: RateLimiterConfig,
): readonly [delayMs: number, q: QueueState] {
  const failures = q.failures[item] ?? 0;
  const exp = Math.min(limiter.baseDelayMs * 2 ** failures, limiter.maxDelayMs);
  let bucketDelay = 0;
  let bucketTokens = q.bucketTokens;
  let bucketAt = q.bucketAt;
  if (limiter.bucketQps > 0) {
    // rate.Limiter.Reserve: refill since last use, take one token, wait for a deficit.
    bucketTokens = Math.min(limiter.bucketBurst, bucketTokens + ((now - bucketAt) * limiter.bucketQps) / 1000);
    bucketAt = now;
    bucketTokens -= 1;
    if (bucketTokens < 0) bucketDelay = Math.ceil((-bucketTokens * 1000) / limiter.bucketQps);
  }
  return [Math.max(exp, bucketDelay), { ...q, failures: withKey(q.failures, item, failures + 1), bucketTokens, bucketAt }];
}

/** Q5: AddRateLimited = AddAfter(When(item)). */
export function addRateLimited(q: QueueState, item: string, now: number, limiter: RateLimiterConfig): QueueState {
  const [delay, next] = when(q, item, now, limiter);
  return addAfter(next, item, delay, now);
}

/** Q5: Forget resets the item's failure count. */
export function forget(q: QueueState, item: string): QueueState {
  if (!(item in q.failures)) return q;
  return { ...q, failures: withoutKey(q.failures, item) };
}

/** Q5: NumRequeues. */
export function numRequeues(q: QueueState, item: string): number {
  return q.failures[item] ?? 0;
}

/** Move every delayed item whose time has come onto the queue (the delaying queue's waiting loop). */
export function promoteReady(q: QueueState, now: number): QueueState {
  if (q.delayed.length === 0 || q.delayed[0].readyAt > now) return q;
  let next: QueueState = { ...q, delayed: q.delayed.filter((d) => d.readyAt > now) };
  for (const d of q.delayed) if (d.readyAt <= now) next = add(next, d.item);
  return next;
}

/** Earliest time a delayed item becomes ready, if any. */
export function nextReadyAt(q: QueueState): number | undefined {
  return q.delayed.length ? q.delayed[0].readyAt : undefined;
}

/** Q6: what controller-runtime does with a reconcile's outcome. */
export type ReconcileOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'error' }
  | { readonly kind: 'requeueAfter'; readonly delayMs: number }
  | { readonly kind: 'requeue' };

export function finishItem(
  q: QueueState,
  item: string,
  outcome: ReconcileOutcome,
  now: number,
  limiter: RateLimiterConfig,
): QueueState {
  let next = q;
  switch (outcome.kind) {
    case 'success':
      next = forget(next, item);
      break;
    case 'error':
    case 'requeue':
      next = addRateLimited(next, item, now, limiter);
      break;
    case 'requeueAfter':
      next = addAfter(forget(next, item), item, outcome.delayMs, now);
      break;
  }
  return done(next, item);
}

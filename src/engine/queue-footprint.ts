/**
 * Footprints of workqueue operations by part, derived from what an operation changed.
 *
 * One resource per queue would make every two enqueues dependent, although an Add of a key that
 * is already waiting changes nothing and an Add of a key being processed only marks it dirty.
 * Parts, under `queue/<controller>/<queue>`:
 * - `@order` the FIFO of waiting keys (its head decides which `begin` is enabled);
 * - `@busy` whether every worker is busy: a `begin` reads it (it is enabled only below the
 *   worker count); a Done writes it only when every worker was busy, the one case where it
 *   enables a `begin` (below that the `begin` is enabled in either order, and a `begin` never
 *   disables another one it is not ordered with through `@order`);
 * - `@delayed` the AddAfter list (its order decides the promotion order at a clock tick);
 * - `@bucket` the rate limiter's token bucket;
 * - `key/<k>` everything about one key: dirty, processing, failures, its delayed entry.
 * An operation on key k reads `key/<k>` and writes the parts that differ afterwards; what it
 * decided from another part (the position in `@order`, `@delayed`) it also changes, so the
 * write covers the read.
 */
import type { QueueState } from './workqueue.ts';

/** The parts of `old` that `next` changed, as resources under `prefix`. */
export function queueWrites(prefix: string, old: QueueState, next: QueueState): string[] {
  if (old === next) return [];
  const out: string[] = [];
  const keys = new Set<string>();
  if (!sameList(old.queue, next.queue)) out.push(`${prefix}/@order`);
  if (old.bucketTokens !== next.bucketTokens || old.bucketAt !== next.bucketAt) out.push(`${prefix}/@bucket`);
  if (old.delayed !== next.delayed) {
    if (old.delayed.length !== next.delayed.length || old.delayed.some((d, i) => d.item !== next.delayed[i].item || d.readyAt !== next.delayed[i].readyAt)) {
      out.push(`${prefix}/@delayed`);
      const before = new Map(old.delayed.map((d) => [d.item, d.readyAt]));
      const after = new Map(next.delayed.map((d) => [d.item, d.readyAt]));
      for (const [k, at] of before) if (after.get(k) !== at) keys.add(k);
      for (const [k, at] of after) if (before.get(k) !== at) keys.add(k);
    }
  }
  diffKeys(old.dirty, next.dirty, keys);
  diffKeys(old.processing, next.processing, keys);
  diffKeys(old.failures, next.failures, keys);
  for (const k of [...keys].sort()) out.push(`${prefix}/key/${k}`);
  return out;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function diffKeys(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>, into: Set<string>): void {
  if (a === b) return;
  for (const k in a) if (a[k] !== b[k]) into.add(k);
  for (const k in b) if (!(k in a)) into.add(k);
}

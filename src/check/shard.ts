/**
 * Shards split one check over several processes: CI matrix jobs (`--shard i/n`) or worker
 * threads ({@link ./parallel.ts}). Shard `{ index, count }` (0-based index) of an exhaustive
 * check explores the root branches b with b % count === index; of a random check it runs its
 * share of numRuns with seed + index. Merging the shards' reports ({@link mergeReports})
 * gives the report of the whole check.
 */
import { UsageError } from './model.ts';

export interface Shard {
  /** 0-based. */
  readonly index: number;
  readonly count: number;
}

/** Throws UsageError unless 0 <= index < count. */
export function checkShard(shard: Shard): Shard {
  const { index, count } = shard;
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`bad shard count ${count}: must be a whole number >= 1`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new UsageError(`bad shard index ${index}: must be 0..${count - 1}`);
  return shard;
}

/**
 * Parse a command-line `--shard i/n`, 1-based like vitest's and Playwright's (`1/3`, `2/3`,
 * `3/3`, so a CI matrix can pass its job number), into the 0-based `{ index: i - 1, count: n }`.
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new UsageError(`bad --shard "${text}": expected i/n with 1 <= i <= n, e.g. 1/4`);
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) throw new UsageError(`bad --shard "${text}": expected i/n with 1 <= i <= n, e.g. 1/4`);
  return { index: i - 1, count: n };
}

/** Random runs of one shard: numRuns split as evenly as possible, the first shards taking the remainder. */
export function shardRuns(numRuns: number, shard: Shard): number {
  return Math.floor(numRuns / shard.count) + (shard.index < numRuns % shard.count ? 1 : 0);
}

/** The fast-check seed of a shard: seed + index (as a 32-bit integer). */
export function shardSeed(seed: number, shard: Shard): number {
  return (seed + shard.index) | 0;
}

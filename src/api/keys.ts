/** Object keys and simulated timestamps. */
import type { KubeObject } from './types.ts';

/**
 * The key of an object in the simulated store and in trace ids: `Kind/ns/name` for
 * namespaced kinds, `Kind/name` for cluster-scoped ones (namespace undefined or ''). Keys sort
 * deterministically by plain string order.
 *
 * @example
 * ```ts
 * objectKey('Backup', 'default', 'db'); // 'Backup/default/db'
 * objectKey('Vpc', undefined, 'vpc1'); // 'Vpc/vpc1'
 * ```
 *
 * @category Kinds
 */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/**
 * {@link objectKey} of an object, from its kind and metadata.
 *
 * @example
 * ```ts
 * keyOf({ kind: 'Backup', metadata: { namespace: 'default', name: 'db' } }); // 'Backup/default/db'
 * ```
 *
 * @category Kinds
 */
export function keyOf(obj: KubeObject): string {
  return objectKey(obj.kind ?? '', obj.metadata?.namespace, obj.metadata?.name ?? '');
}

/** The simulation epoch: simulated time 0 is 2025-01-01T00:00:00Z. The wall clock is never read. */
export const EPOCH_MS = Date.UTC(2025, 0, 1, 0, 0, 0);

/** RFC 3339, seconds precision, UTC: `timestamp(1500)` = `2025-01-01T00:00:01Z`. */
export function timestamp(ms: number): string {
  const iso = new Date(EPOCH_MS + Math.floor(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 19)}Z`;
}

/**
 * Simulation time (ms, as `ctx.now()` returns it) of an RFC 3339 timestamp the server wrote
 * (creationTimestamp, deletionTimestamp); undefined when it does not parse.
 *
 * @example
 * ```ts
 * const now = yield* ctx.now();
 * const age = now - (parseTimestamp(obj.metadata.creationTimestamp) ?? now);
 * ```
 *
 * @category Kinds
 */
export function parseTimestamp(ts: string): number | undefined {
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t - EPOCH_MS : undefined;
}

/** Object keys and simulated timestamps. */
import type { KubeObject } from './types.ts';

/**
 * Storage key of an object: `Kind/ns/name` for namespaced kinds, `Kind/name` for cluster-scoped
 * ones (namespace undefined or ''). Keys sort deterministically by plain string order.
 */
export function objectKey(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind}/${namespace}/${name}` : `${kind}/${name}`;
}

/** {@link objectKey} of an object, from its kind and metadata. */
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

/** Inverse of {@link timestamp}: simulated milliseconds, or undefined when not a valid timestamp. */
export function parseTimestamp(ts: string): number | undefined {
  const t = Date.parse(ts);
  return Number.isFinite(t) ? t - EPOCH_MS : undefined;
}

/**
 * Copy-on-write helpers for the engine's string-keyed records (caches, in-flight handlers,
 * locks, queue sets). Same results and key order as `{ ...rec, [k]: v }` and
 * `const { [k]: _, ...rest } = rec`, without V8's slow paths for computed-key spread and
 * rest-with-exclusion (these run several times per simulated step).
 */

/** `{ ...rec, [key]: value }`. */
export function withKey<V>(rec: Readonly<Record<string, V>>, key: string, value: V): Record<string, V> {
  const out: Record<string, V> = { ...rec };
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
  return out;
}

/** `rec` without `key` (rec itself when the key is absent). */
export function withoutKey<V>(rec: Readonly<Record<string, V>>, key: string): Readonly<Record<string, V>> {
  if (!Object.hasOwn(rec, key)) return rec;
  const out: Record<string, V> = {};
  for (const k in rec) {
    if (k === key) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: rec[k], enumerable: true, writable: true, configurable: true });
    else out[k] = rec[k];
  }
  return out;
}

/**
 * State fingerprints for the visited set of exhaustive search and for stability checks.
 *
 * The world is serialised canonically (sorted keys) with two abstractions:
 * - resourceVersions and uids are renamed by order of first appearance, since clients only
 *   compare them for equality (M4) — two interleavings that wrote the same objects in a
 *   different order reach the same abstract state;
 * - the global RV and uid counters are left out for the same reason.
 * With `ignoreTime`, the clock, retry counters, delayed-item times and timer due times are
 * left out too: two worlds that differ only there are the same "stable" state.
 *
 * The string is hashed to 53 bits (cyrb53); like TLC's 64-bit fingerprints, a collision
 * could in principle hide a state, with probability ~n²/2^54 for n states.
 */
import type { QueueState } from './workqueue.ts';
import type { ControllerState, Inflight, World } from './world.ts';

const objectCache = new WeakMap<object, string>();

function canon(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
    case 'boolean':
      return String(value);
    case 'undefined':
      return 'u';
    case 'function':
      return 'f';
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 's';
  }
  if (value === null) return 'null';
  const obj = value as object;
  const cached = objectCache.get(obj);
  if (cached !== undefined) return cached;
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map(canon).join(',')}]`;
  } else if (obj instanceof Error) {
    const e = obj as Error & { code?: unknown; reason?: unknown };
    out = `E(${canon(e.name)},${canon(e.code)},${canon(e.reason)},${canon(e.message)})`;
  } else {
    const rec = obj as Record<string, unknown>;
    const keys = Object.keys(rec).sort();
    const parts: string[] = [];
    for (const k of keys) {
      const v = rec[k];
      if (v === undefined) continue;
      if ((k === 'resourceVersion' || k === 'uid') && typeof v === 'string') {
        parts.push(`${k}:\u0001${k === 'uid' ? 'U' : 'R'}${v}\u0002`);
      } else {
        parts.push(`${JSON.stringify(k)}:${canon(v)}`);
      }
    }
    out = `{${parts.join(',')}}`;
  }
  if (Object.isFrozen(obj)) objectCache.set(obj, out);
  return out;
}

function canonQueue(q: QueueState, ignoreTime: boolean): string {
  const base = `${canon(q.queue)}|${Object.keys(q.dirty).sort().join(',')}|${Object.keys(q.processing).sort().join(',')}`;
  if (ignoreTime) return `${base}|${q.delayed.map((d) => d.item).sort().join(',')}`;
  return `${base}|${q.delayed.map((d) => `${d.item}@${d.readyAt}`).join(',')}|${canon(q.failures)}|${q.bucketTokens}@${q.bucketAt}`;
}

function canonInflight(f: Inflight): string {
  const results: string[] = [];
  for (let r = f.results; r; r = r.tail) results.push(r.head.ok ? canon(r.head.value) : `!${canon(r.head.error)}`);
  return `${f.id}:${canon(f.pending)}:${results.join(';')}`;
}

function canonController(c: ControllerState, ignoreTime: boolean): string {
  const parts: string[] = [];
  for (const kind of Object.keys(c.informers).sort()) {
    const inf = c.informers[kind];
    const cache = Object.keys(inf.cache)
      .sort()
      .map((k) => canon(inf.cache[k]))
      .join(',');
    // Only the order of one object's events matters (W2); events of different objects are
    // delivered in any order, so interleaved writes to different objects reach one state.
    const pending = [...inf.pending]
      .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
      .map((p) => `${p.type}${p.tombstone ? 'T' : ''}${p.initial ? 'I' : ''}${canon(p.object)}`)
      .join(',');
    parts.push(`${kind}{${cache}}[${pending}]${inf.unsynced}`);
  }
  for (const q of Object.keys(c.queues).sort()) parts.push(`${q}:${canonQueue(c.queues[q], ignoreTime)}`);
  parts.push(`m:${canon(c.memory)}`);
  parts.push(`l:${canon(c.locks)}`);
  for (const id of Object.keys(c.inflight).sort()) parts.push(canonInflight(c.inflight[id]));
  parts.push(`s:${c.started}`);
  parts.push(`t:${ignoreTime ? Object.keys(c.timers).sort().join(',') : canon(c.timers)}`);
  return parts.join('\n');
}

/** The canonical text of a world (before RV/uid renaming). */
export function canonicalWorld(world: World, ignoreTime = false): string {
  const parts: string[] = [];
  if (!ignoreTime) parts.push(`clock:${world.clock}`);
  parts.push(`rng:${world.rng}`);
  const objs = world.api.objects;
  for (const k of Object.keys(objs).sort()) parts.push(canon(objs[k]));
  for (const name of Object.keys(world.controllers).sort()) parts.push(`#${name}\n${canonController(world.controllers[name], ignoreTime)}`);
  parts.push(canon(world.externals));
  parts.push(canon(world.users));
  parts.push(canon(world.faults));
  if (world.failure) parts.push(canon(world.failure));
  return rename(parts.join('\n'));
}

/** Rename RV and uid markers by order of first appearance. */
function rename(text: string): string {
  const rv = new Map<string, number>();
  const uid = new Map<string, number>();
  return text.replace(/\u0001([RU])([^\u0002]*)\u0002/g, (_m, t: string, v: string) => {
    const map = t === 'R' ? rv : uid;
    let n = map.get(v);
    if (n === undefined) map.set(v, (n = map.size + 1));
    return `${t}${n}`;
  });
}

/** cyrb53: a fast 53-bit string hash. */
export function hash53(str: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** 53-bit fingerprint of a world. */
export function fingerprint(world: World, ignoreTime = false): number {
  return hash53(canonicalWorld(world, ignoreTime));
}

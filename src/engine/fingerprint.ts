/**
 * State fingerprints for the visited set of exhaustive search and for stability checks.
 *
 * The world is hashed structurally (sorted keys) with these abstractions:
 * - resourceVersions and uids are renamed by order of first appearance, since clients only
 *   compare them for equality (M4): two interleavings that wrote the same objects in a
 *   different order reach the same abstract state;
 * - the global RV and uid counters are left out for the same reason;
 * - pending watch events are compared per object: only one object's events are ordered (W2),
 *   so interleaved writes to different objects reach one state.
 * Time is abstracted by mode:
 * - `exact`: everything, clock and retry counters included;
 * - `time-abstract` (exhaustive search): the clock, per-item failure counts, the token bucket
 *   and timer due times are left out, but the relative order of all pending timers is kept —
 *   with the clock advancing only when the system is idle, that order is what decides which
 *   retry or periodic task runs next; without it a retry loop would make states unbounded;
 * - `ignore-time` (stability): as time-abstract but without even the order: two worlds that
 *   differ only there are the same stable state.
 *
 * Every world value is immutable, so each object's hash (and the RV/uid values inside it, in
 * traversal order) is computed once and cached by identity; a world fingerprint then costs
 * about one hash mix per changed object. The result has 53 bits; like TLC's 64-bit
 * fingerprints, a collision could in principle hide a state, with probability ~n²/2^54.
 */
import type { QueueState } from './workqueue.ts';
import type { ControllerState, Inflight, InformerState, World } from './world.ts';

export type FingerprintMode = 'exact' | 'time-abstract' | 'ignore-time';

interface Canon {
  readonly a: number;
  readonly b: number;
  /** RV (`R…`) and uid (`U…`) values inside, in canonical traversal order. */
  readonly ids: readonly string[];
}

const NO_IDS: readonly string[] = [];
const cache = new WeakMap<object, Canon>();
const informerCache = new WeakMap<InformerState, unknown>();
const inflightCache = new WeakMap<Inflight, unknown>();
const controllerCache: Record<FingerprintMode, WeakMap<ControllerState, unknown>> = {
  exact: new WeakMap(),
  'time-abstract': new WeakMap(),
  'ignore-time': new WeakMap(),
};
const stringCache = new Map<string, Canon>();

function hashString(str: string): Canon {
  const hit = stringCache.get(str);
  if (hit) return hit;
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    a = Math.imul(a ^ ch, 2654435761);
    b = Math.imul(b ^ ch, 1597334677);
  }
  const c: Canon = { a: a >>> 0, b: b >>> 0, ids: NO_IDS };
  if (str.length <= 64 && stringCache.size < 100_000) stringCache.set(str, c);
  return c;
}

/** Incremental two-lane mixer. */
class Mixer {
  a: number;
  b: number;
  ids: string[] | undefined;
  constructor(tag: number) {
    this.a = 0x9e3779b9 ^ tag;
    this.b = 0x85ebca6b ^ tag;
  }
  mix(c: Canon): void {
    this.a = Math.imul((this.a ^ c.a) >>> 0, 2654435761);
    this.a = (this.a << 13) | (this.a >>> 19);
    this.b = Math.imul((this.b ^ c.b) >>> 0, 1597334677);
    this.b = (this.b << 17) | (this.b >>> 15);
    if (c.ids.length) {
      const ids = (this.ids ??= []);
      for (const id of c.ids) ids.push(id);
    }
  }
  id(tag: string, value: string): void {
    this.mix(hashString(tag));
    (this.ids ??= []).push(tag + value);
  }
  done(): Canon {
    return { a: this.a >>> 0, b: this.b >>> 0, ids: this.ids ?? NO_IDS };
  }
}

function canon(value: unknown): Canon {
  switch (typeof value) {
    case 'string':
      return hashString(`s${value}`);
    case 'number':
      return hashString(`n${value}`);
    case 'boolean':
      return hashString(value ? 't' : 'f');
    case 'undefined':
      return hashString('u');
    case 'function':
      return hashString('fn');
    case 'bigint':
      return hashString(`b${value}`);
    case 'symbol':
      return hashString('sym');
  }
  if (value === null) return hashString('null');
  const obj = value as object;
  const hit = cache.get(obj);
  if (hit) return hit;
  let out: Canon;
  if (Array.isArray(obj)) {
    const m = new Mixer(1);
    for (const v of obj) m.mix(canon(v));
    m.mix(hashString(`#${obj.length}`));
    out = m.done();
  } else if (obj instanceof Error) {
    const e = obj as Error & { code?: unknown; reason?: unknown };
    out = hashString(`E${e.name}|${String(e.code)}|${String(e.reason)}|${e.message}`);
  } else {
    const rec = obj as Record<string, unknown>;
    const m = new Mixer(2);
    for (const k of Object.keys(rec).sort()) {
      const v = rec[k];
      if (v === undefined) continue;
      m.mix(hashString(k));
      if ((k === 'resourceVersion' || k === 'uid') && typeof v === 'string') m.id(k === 'uid' ? 'U' : 'R', v);
      else m.mix(canon(v));
    }
    out = m.done();
  }
  // World values are immutable by construction, so identity is a safe cache key.
  cache.set(obj, out);
  return out;
}

function informerView(inf: InformerState): unknown {
  let view = informerCache.get(inf);
  if (!view) {
    // A stable sort by key keeps each object's own event order (W2).
    const pending = [...inf.pending].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    view = { cache: inf.cache, pending, unsynced: inf.unsynced };
    informerCache.set(inf, view);
  }
  return view;
}

const queueCache = new WeakMap<QueueState, unknown>();

function queueView(q: QueueState, mode: FingerprintMode): unknown {
  if (mode === 'exact') return q;
  let view = queueCache.get(q);
  if (!view) {
    view = { queue: q.queue, dirty: q.dirty, processing: q.processing, delayed: q.delayed.map((d) => d.item).sort() };
    queueCache.set(q, view);
  }
  return view;
}

function inflightView(f: Inflight): unknown {
  let view = inflightCache.get(f);
  if (!view) {
    const results: unknown[] = [];
    for (let r = f.results; r; r = r.tail) results.push(r.head.ok ? r.head.value : { thrown: r.head.error });
    view = { id: f.id, pending: f.pending, results };
    inflightCache.set(f, view);
  }
  return view;
}

function controllerView(c: ControllerState, mode: FingerprintMode): unknown {
  const cached = controllerCache[mode].get(c);
  if (cached) return cached;
  const view = buildControllerView(c, mode);
  controllerCache[mode].set(c, view);
  return view;
}

function buildControllerView(c: ControllerState, mode: FingerprintMode): unknown {
  const informers: Record<string, unknown> = {};
  for (const k of Object.keys(c.informers)) informers[k] = informerView(c.informers[k]);
  const queues: Record<string, unknown> = {};
  for (const q of Object.keys(c.queues)) queues[q] = queueView(c.queues[q], mode);
  const inflight: Record<string, unknown> = {};
  for (const id of Object.keys(c.inflight)) inflight[id] = inflightView(c.inflight[id]);
  return {
    informers,
    queues,
    memory: c.memory,
    locks: c.locks,
    inflight,
    started: c.started,
    timers: mode === 'exact' ? c.timers : Object.keys(c.timers).sort(),
  };
}

/** Pending timers (delayed queue items, periodic tasks) in firing order; ties share a rank. */
function timerOrder(world: World): string[] {
  const timers: Array<[number, string]> = [];
  for (const [name, c] of Object.entries(world.controllers)) {
    for (const [q, qs] of Object.entries(c.queues)) for (const d of qs.delayed) timers.push([d.readyAt, `${name}/${q}/${d.item}`]);
    for (const [t, due] of Object.entries(c.timers)) timers.push([due, `${name}/task/${t}`]);
  }
  timers.sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1));
  let rank = 0;
  return timers.map(([at, label], i) => `${i > 0 && at !== timers[i - 1][0] ? ++rank : rank}:${label}`);
}

/** Rename RV and uid values by first appearance and fold them into the hash. */
function finish(c: Canon): number {
  const m = new Mixer(3);
  m.mix({ a: c.a, b: c.b, ids: NO_IDS });
  const seen = new Map<string, number>();
  for (const id of c.ids) {
    let n = seen.get(id);
    if (n === undefined) seen.set(id, (n = seen.size));
    m.mix(hashString(`${id[0]}${n}`));
  }
  let a = m.a >>> 0;
  let b = m.b >>> 0;
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

/** 53-bit fingerprint of a world (`true` = `ignore-time`, for stability checks). */
export function fingerprint(world: World, modeOrIgnoreTime: FingerprintMode | boolean = 'exact'): number {
  const mode: FingerprintMode = modeOrIgnoreTime === true ? 'ignore-time' : modeOrIgnoreTime === false ? 'exact' : modeOrIgnoreTime;
  const controllers: Record<string, unknown> = {};
  for (const name of Object.keys(world.controllers)) controllers[name] = controllerView(world.controllers[name], mode);
  const view = {
    clock: mode === 'exact' ? world.clock : 0,
    timerOrder: mode === 'time-abstract' ? timerOrder(world) : undefined,
    rng: world.rng,
    objects: world.api.objects,
    controllers,
    externals: world.externals,
    users: world.users,
    faults: world.faults,
    failure: world.failure,
  };
  return finish(canon(view));
}

/** A canonical key for a world (hex fingerprint): equal for worlds equal up to RV/uid renaming. */
export function canonicalWorld(world: World, mode: FingerprintMode | boolean = 'exact'): string {
  return fingerprint(world, mode).toString(16);
}

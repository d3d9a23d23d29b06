/**
 * State fingerprints for the visited set of exhaustive search and for stability checks.
 *
 * The world is hashed structurally (sorted keys) with these abstractions:
 * - resourceVersions and uids are renamed by order of first appearance, since clients only
 *   compare them for equality (M4): two interleavings that wrote the same objects in a
 *   different order reach the same abstract state;
 * - the global RV and uid counters are left out for the same reason;
 * - pending watch events keep their order: one informer's DeltaFIFO pops keys in stream order
 *   (W2), so two interleavings that emitted events of one kind in another order differ until
 *   the events are delivered; interleaved writes to objects of different kinds reach one state.
 * Time is abstracted by mode:
 * - `exact`: everything, clock and retry counters included;
 * - `time-abstract` (exhaustive search): the clock, per-item failure counts, the token bucket
 *   and timer due times are left out, but the relative order of all pending timers is kept —
 *   with the clock advancing only when the system is idle, that order is what decides which
 *   retry or periodic task runs next; without it a retry loop would make states unbounded.
 *   It is not a bisimulation: a timer's distance from now is gone, so two merged worlds can
 *   differ in whether it fires before a timer set later (a 30 s AddAfter and a 5 ms backoff).
 *   `exactTime` searches without it; the soundness suite compares the two;
 * - `ignore-time` (stability): as time-abstract but without even the order: two worlds that
 *   differ only there are the same stable state.
 *
 * Every world value is immutable, so hashes are cached by identity; a world fingerprint then
 * costs about one hash mix per changed object. The engine's own structures (controllers,
 * informers, queues, in-flight handlers) are hashed field by field in a fixed order with no
 * intermediate view objects, and only values worth it are cached (a WeakMap insertion costs
 * more than re-hashing a small leaf). RV/uid values are collected as a tree of references
 * (never copied up the tree) and renamed once per fingerprint. The result has 53 bits; like
 * TLC's 64-bit fingerprints, a collision could in principle hide a state, with probability ~n²/2^54.
 */
import type { QueueState } from './workqueue.ts';
import type { ControllerState, Inflight, InformerState, PendingEvent, World } from './world.ts';

export type FingerprintMode = 'exact' | 'time-abstract' | 'ignore-time';

/**
 * RV (`R…`) and uid (`U…`) values inside a value, in canonical traversal order, as a tree;
 * each value interned as a small number (`2 * index + (uid ? 1 : 0)`).
 */
type IdTree = readonly (number | IdTree)[];

const internedIds = new Map<string, number>();

function internId(tag: 'R' | 'U', value: string): number {
  const key = tag + value;
  let n = internedIds.get(key);
  if (n === undefined) internedIds.set(key, (n = internedIds.size));
  return 2 * n + (tag === 'U' ? 1 : 0);
}

interface Canon {
  readonly a: number;
  readonly b: number;
  readonly ids: IdTree;
  /** Rough size of the hashed subtree (capped), to decide whether caching pays. */
  readonly n: number;
}

const NO_IDS: IdTree = [];
/** Values with fewer nodes than this are re-hashed instead of cached. */
const CACHE_MIN_NODES = 6;
const SIZE_CAP = 1 << 20;

const cache = new WeakMap<object, Canon>();
const informerCache = new WeakMap<InformerState, Canon>();
const inflightCache = new WeakMap<Inflight, Canon>();
const queueAbstractCache = new WeakMap<QueueState, Canon>();
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
  const c: Canon = { a: a >>> 0, b: b >>> 0, ids: NO_IDS, n: 1 };
  if (str.length <= 64 && stringCache.size < 100_000) stringCache.set(str, c);
  return c;
}

// Frequently used tags, hashed once.
const T_TRUE = hashString('t');
const T_FALSE = hashString('f');
const T_UNDEF = hashString('u');
const T_NULL = hashString('null');
const T_FN = hashString('fn');
const T_SYM = hashString('sym');
const T_OK = hashString('ok');
const T_THROWN = hashString('thrown');
const T_INITIAL = hashString('initial');
const T_TOMBSTONE = hashString('tombstone');
const T_JOINED = hashString('joined');
const T_NONE = hashString('-');
const T_TAG_R = hashString('R');
const T_TAG_U = hashString('U');

/** Incremental two-lane mixer. */
class Mixer {
  a: number;
  b: number;
  n = 1;
  ids: (number | IdTree)[] | undefined;
  constructor(tag: number) {
    this.a = 0x9e3779b9 ^ tag;
    this.b = 0x85ebca6b ^ tag;
  }
  mix(c: Canon): void {
    this.a = Math.imul((this.a ^ c.a) >>> 0, 2654435761);
    this.a = (this.a << 13) | (this.a >>> 19);
    this.b = Math.imul((this.b ^ c.b) >>> 0, 1597334677);
    this.b = (this.b << 17) | (this.b >>> 15);
    this.n += c.n;
    if (c.ids.length) (this.ids ??= []).push(c.ids);
  }
  mixNumber(x: number): void {
    this.a = Math.imul((this.a ^ x) >>> 0, 2654435761);
    this.a = (this.a << 13) | (this.a >>> 19);
    this.b = Math.imul((this.b ^ (x * 31 + 7)) >>> 0, 1597334677);
    this.b = (this.b << 17) | (this.b >>> 15);
  }
  id(tag: 'R' | 'U', value: string): void {
    this.mix(tag === 'U' ? T_TAG_U : T_TAG_R);
    (this.ids ??= []).push(internId(tag, value));
  }
  done(): Canon {
    return { a: this.a >>> 0, b: this.b >>> 0, ids: this.ids ?? NO_IDS, n: this.n > SIZE_CAP ? SIZE_CAP : this.n };
  }
}

// --- sorted keys ------------------------------------------------------------------------------

/** Sorted key orders of small records, by shape (the keys in insertion order). */
const shapes = new Map<string, Array<{ readonly keys: readonly string[]; readonly sorted: readonly string[] }>>();

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

function sortedKeys(rec: object): readonly string[] {
  const keys = Object.keys(rec);
  if (keys.length < 2 || isSorted(keys)) return keys;
  if (keys.length > 16) return keys.sort();
  // Records of one shape (same keys, same order) recur: look the sorted order up.
  const first = keys[0];
  let list = shapes.get(first);
  if (list) {
    outer: for (const s of list) {
      if (s.keys.length !== keys.length) continue;
      for (let i = 1; i < keys.length; i++) if (s.keys[i] !== keys[i]) continue outer;
      return s.sorted;
    }
  } else if (shapes.size < 10_000) {
    shapes.set(first, (list = []));
  }
  const sorted = [...keys].sort();
  if (list && list.length < 64) list.push({ keys, sorted });
  return sorted;
}

// --- generic values ---------------------------------------------------------------------------

const stringValues = new Map<string, Canon>();

/** A string value: as hashString(`s${value}`), without building the prefixed string on a hit. */
function canonString(value: string): Canon {
  let c = stringValues.get(value);
  if (c === undefined) {
    c = hashString(`s${value}`);
    if (value.length <= 64 && stringValues.size < 100_000) stringValues.set(value, c);
  }
  return c;
}

const smallInts: Canon[] = [];

function canonNumber(value: number): Canon {
  if (value >= 0 && value < 4096 && Number.isInteger(value)) return (smallInts[value] ??= hashString(`n${value}`));
  return hashString(`n${value}`);
}

/** `canon`, but without caching `value` itself (for values hashed once by a cached parent). */
function canonOnce(value: unknown): Canon {
  return canon(value, false);
}

function canon(value: unknown, cacheIt = true): Canon {
  switch (typeof value) {
    case 'string':
      return canonString(value);
    case 'number':
      return canonNumber(value);
    case 'boolean':
      return value ? T_TRUE : T_FALSE;
    case 'undefined':
      return T_UNDEF;
    case 'function':
      return T_FN;
    case 'bigint':
      return hashString(`b${value}`);
    case 'symbol':
      return T_SYM;
  }
  if (value === null) return T_NULL;
  const obj = value as object;
  const hit = cache.get(obj);
  if (hit) return hit;
  let out: Canon;
  if (Array.isArray(obj)) {
    const m = new Mixer(1);
    for (let i = 0; i < obj.length; i++) m.mix(canon(obj[i]));
    m.mixNumber(obj.length);
    out = m.done();
  } else if (obj instanceof Error) {
    const e = obj as Error & { code?: unknown; reason?: unknown };
    out = hashString(`E${e.name}|${String(e.code)}|${String(e.reason)}|${e.message}`);
  } else {
    const rec = obj as Record<string, unknown>;
    const m = new Mixer(2);
    const keys = sortedKeys(rec);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i];
      const v = rec[k];
      if (v === undefined) continue;
      m.mix(hashString(k));
      if ((k === 'resourceVersion' || k === 'uid') && typeof v === 'string') m.id(k === 'uid' ? 'U' : 'R', v);
      else m.mix(canon(v));
    }
    out = m.done();
  }
  // World values are immutable by construction, so identity is a safe cache key.
  if (cacheIt && out.n >= CACHE_MIN_NODES) cache.set(obj, out);
  return out;
}

// --- engine structures ------------------------------------------------------------------------

function informerCanon(inf: InformerState): Canon {
  let c = informerCache.get(inf);
  if (c) return c;
  const m = new Mixer(10);
  m.mix(canon(inf.cache));
  // The DeltaFIFO's order across keys decides what can be delivered next (W2): hash it as is.
  const pending = inf.pending;
  for (let i = 0; i < pending.length; i++) {
    const ev = pending[i];
    m.mix(hashString(ev.type));
    m.mix(hashString(ev.key));
    m.mix(canon(ev.object));
    m.mix(ev.initial ? T_INITIAL : T_NONE);
    m.mix(ev.tombstone ? T_TOMBSTONE : T_NONE);
    if (ev.joined) m.mix(T_JOINED);
  }
  m.mixNumber(pending.length);
  m.mixNumber(inf.unsynced);
  c = m.done();
  informerCache.set(inf, c);
  return c;
}

function queueCanon(q: QueueState, exact: boolean): Canon {
  if (exact) return canon(q);
  let c = queueAbstractCache.get(q);
  if (c) return c;
  const m = new Mixer(11);
  m.mix(canon(q.queue));
  m.mix(canon(q.dirty));
  m.mix(canon(q.processing));
  const delayed = q.delayed.map((d) => d.item).sort();
  for (const item of delayed) m.mix(hashString(item));
  m.mixNumber(delayed.length);
  c = m.done();
  queueAbstractCache.set(q, c);
  return c;
}

function inflightCanon(f: Inflight): Canon {
  let c = inflightCache.get(f);
  if (c) return c;
  const m = new Mixer(12);
  m.mix(hashString(f.id));
  // The effect object lives only in this record, whose hash is cached.
  m.mix(canonOnce(f.pending));
  let n = 0;
  for (let r = f.results; r; r = r.tail) {
    const h = r.head;
    if (h.ok) {
      m.mix(T_OK);
      m.mix(canon(h.value));
      // EngineOptions.keepFullResults: the unreduced search that ctx.keep is tested against.
      if (h.raw !== undefined) m.mix(canon(h.raw));
    } else {
      m.mix(T_THROWN);
      m.mix(canon(h.error));
    }
    n++;
  }
  m.mixNumber(n);
  c = m.done();
  inflightCache.set(f, c);
  return c;
}

/** Not cached: nearly every step makes a new controller state, so a cache would almost never hit. */
function controllerCanon(c: ControllerState, exact: boolean): Canon {
  const m = new Mixer(13);
  // Informer and queue names are fixed by the controller definition (same insertion order in every world).
  for (const k in c.informers) {
    m.mix(hashString(k));
    m.mix(informerCanon(c.informers[k]));
  }
  for (const k in c.queues) {
    m.mix(hashString(k));
    m.mix(queueCanon(c.queues[k], exact));
  }
  m.mix(canon(c.memory));
  m.mix(canon(c.locks));
  // In-flight handlers come and go in any order: sort by id.
  const ids = sortedKeys(c.inflight);
  for (const id of ids) m.mix(inflightCanon(c.inflight[id]));
  m.mixNumber(ids.length);
  m.mix(c.started ? T_TRUE : T_FALSE);
  if (exact) m.mix(canon(c.timers));
  else for (const t of sortedKeys(c.timers)) m.mix(hashString(t));
  return m.done();
}

interface Timer {
  readonly at: number;
  readonly label: Canon;
}

const T_TASK = hashString('task');

/** The label of a timer: as hashing `${controller}/${queue}/${item}` or `${controller}/task/${task}`, without building it. */
function timerLabel(a: string, b: Canon, c: string): Canon {
  const m = new Mixer(14);
  m.mix(hashString(a));
  m.mix(b);
  m.mix(hashString(c));
  return m.done();
}

function compareTimers(x: Timer, y: Timer): number {
  return x.at - y.at || x.label.a - y.label.a || x.label.b - y.label.b;
}

/** Mix in the pending timers (delayed queue items, periodic tasks) in firing order; ties share a rank. */
function mixTimerOrder(m: Mixer, world: World): void {
  const timers: Timer[] = [];
  for (const name in world.controllers) {
    const c = world.controllers[name];
    for (const q in c.queues) {
      const delayed = c.queues[q].delayed;
      for (let i = 0; i < delayed.length; i++) timers.push({ at: delayed[i].readyAt, label: timerLabel(name, hashString(q), delayed[i].item) });
    }
    for (const t in c.timers) timers.push({ at: c.timers[t], label: timerLabel(name, T_TASK, t) });
  }
  timers.sort(compareTimers);
  let rank = 0;
  for (let i = 0; i < timers.length; i++) {
    if (i > 0 && timers[i].at !== timers[i - 1].at) rank++;
    m.mixNumber(rank);
    m.mix(timers[i].label);
  }
  m.mixNumber(timers.length);
}

// --- renaming ---------------------------------------------------------------------------------

const renamed: Canon[] = [];
function renamedId(kind: string, n: number): Canon {
  const slot = kind === 'U' ? 2 * n + 1 : 2 * n;
  return (renamed[slot] ??= hashString(`${kind}${n}`));
}

// Scratch of finish(), reused (fingerprinting is synchronous and not re-entrant): the rename
// of interned id i is rank[i] when stamp[i] is the current call's generation.
let stamp = new Uint32Array(1024);
let rank = new Uint32Array(1024);
let generation = 0;
const stackTrees: IdTree[] = [];
const stackIndex: number[] = [];

/** Rename RV and uid values by first appearance and fold them into the hash. */
function finish(c: Canon): number {
  const m = new Mixer(3);
  m.mix({ a: c.a, b: c.b, ids: NO_IDS, n: 1 });
  if (internedIds.size > stamp.length) {
    let cap = stamp.length;
    while (cap < internedIds.size) cap *= 2;
    stamp = new Uint32Array(cap);
    rank = new Uint32Array(cap);
    generation = 0;
  }
  if (++generation === 0xffffffff) {
    stamp.fill(0);
    generation = 1;
  }
  const gen = generation;
  let next = 0;
  // Depth-first, left to right over the id tree.
  let depth = 0;
  let t: IdTree = c.ids;
  let i = 0;
  for (;;) {
    if (i < t.length) {
      const x = t[i++];
      if (typeof x === 'number') {
        const slot = x >>> 1;
        let n: number;
        if (stamp[slot] === gen) n = rank[slot];
        else {
          stamp[slot] = gen;
          rank[slot] = n = next++;
        }
        m.mix(renamedId(x & 1 ? 'U' : 'R', n));
      } else {
        stackTrees[depth] = t;
        stackIndex[depth++] = i;
        t = x;
        i = 0;
      }
    } else {
      if (depth === 0) break;
      t = stackTrees[--depth];
      i = stackIndex[depth];
    }
  }
  stackTrees.length = 0;
  let a = m.a >>> 0;
  let b = m.b >>> 0;
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

/** 53-bit fingerprint of a world (`true` = `ignore-time`, for stability checks). */
export function fingerprint(world: World, modeOrIgnoreTime: FingerprintMode | boolean = 'exact'): number {
  const mode: FingerprintMode = modeOrIgnoreTime === true ? 'ignore-time' : modeOrIgnoreTime === false ? 'exact' : modeOrIgnoreTime;
  const exact = mode === 'exact';
  const m = new Mixer(4);
  m.mix(exact ? canon(world.clock) : T_NONE);
  if (mode === 'time-abstract') mixTimerOrder(m, world);
  m.mix(canon(world.rng));
  m.mix(canon(world.api.objects));
  // Controller names are fixed by the system definition (same insertion order in every world).
  for (const name in world.controllers) {
    m.mix(hashString(name));
    m.mix(controllerCanon(world.controllers[name], exact));
  }
  m.mix(canon(world.externals));
  m.mix(canon(world.users));
  m.mix(canon(world.faults));
  m.mix(canon(world.failure));
  return finish(m.done());
}

/** A canonical key for a world (hex fingerprint): equal for worlds equal up to RV/uid renaming. */
export function canonicalWorld(world: World, mode: FingerprintMode | boolean = 'exact'): string {
  return fingerprint(world, mode).toString(16);
}

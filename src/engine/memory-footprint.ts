/**
 * Footprints of controller memory at field granularity, derived from what a select or update
 * function touches, not declared.
 *
 * A controller's memory is an immutable tree (IPAM by subnet, deletingPodObjMap by pod, ...).
 * Recording every access as one resource `mem/<controller>` makes every two memory steps
 * dependent, so a partial-order reduction orders an allocation in one subnet with a pod-map
 * entry of another pod. Here the function runs on a read-tracking view of the memory and the
 * update's result is compared with the old memory by reference, two levels deep:
 *
 * - `P/a` the value of top-level field `a` when it is not an object; `P/#keys` the set of
 *   top-level fields (every top-level access reads it; only adding or removing one writes it);
 * - `P/a/b` the whole value of entry `b` of field `a` (`ipam/s1`, `deletingPods/ns/p1`);
 * - `P/a/b/?` that entry's existence (an object entry fetched but neither inspected nor moved);
 * - `P/a/#keys` field `a`'s key set (enumerating it: `Object.keys`, spread, `for...in`).
 *
 * A field or entry copied to the same place of the new memory (`{ ...m, ipam: f(m.ipam) }`) is
 * not a read of its contents: the new value is the same object, so the update commutes with
 * writes to it. One that leaves its place (returned by a select, stored elsewhere) reads all of
 * it. The views throw once their function has returned, so a value kept and read later is a
 * loud error, not a silently missed read.
 */
import type { Footprint } from './footprint.ts';

type Path = readonly string[];

interface View {
  readonly raw: object;
  readonly path: Path;
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

class Tracker {
  readonly reads = new Set<string>();
  private readonly views = new WeakMap<object, View>();
  private readonly byRaw: Map<object, object>[] = [new Map(), new Map(), new Map()];
  private closed = false;

  constructor(private readonly prefix: string) {}

  res(...parts: string[]): string {
    return parts.length ? `${this.prefix}/${parts.join('/')}` : this.prefix;
  }

  close(): void {
    this.closed = true;
  }

  viewOf(v: unknown): View | undefined {
    return isObject(v) ? this.views.get(v) : undefined;
  }

  /** The tracked view of `raw` at `path` (one per object and depth, so identity comparisons hold). */
  view(raw: object, path: Path): object {
    const cache = this.byRaw[path.length];
    const known = cache.get(raw);
    if (known && samePath(this.views.get(known)!.path, path)) return known;
    const proxy = new Proxy(Array.isArray(raw) ? [] : {}, this.handler(raw, path));
    this.views.set(proxy, { raw, path });
    cache.set(raw, proxy);
    return proxy;
  }

  private guard(what: string): void {
    if (this.closed) throw new Error(`controller memory read after its select or update function returned (${what}); select plain values instead of keeping memory objects`);
  }

  /** Record reading (or missing) own property `k` of the object at `path`; returns what the reader gets. */
  private readOwn(raw: any, path: Path, k: string): unknown {
    const depth = path.length;
    if (depth >= 2) {
      this.reads.add(this.res(...path));
      return raw[k];
    }
    const own = Object.prototype.hasOwnProperty.call(raw, k);
    const v = own ? raw[k] : undefined;
    if (depth === 0) {
      this.reads.add(this.res('#keys'));
      if (isObject(v)) return this.view(v, [k]);
      this.reads.add(this.res(k));
      return v;
    }
    const a = path[0];
    if (isObject(v)) {
      this.reads.add(this.res(a, k, '?'));
      return this.view(v, [a, k]);
    }
    this.reads.add(this.res(a, k));
    return v;
  }

  private handler(raw: any, path: Path): ProxyHandler<object> {
    const t = this;
    const depth = path.length;
    const keySet = () => {
      if (depth === 0) t.reads.add(t.res('#keys'));
      else if (depth === 1) t.reads.add(t.res(path[0], '#keys'));
      else t.reads.add(t.res(...path));
    };
    const existence = (k: string) => {
      if (depth === 0) t.reads.add(t.res('#keys'));
      else if (depth === 1) t.reads.add(t.res(path[0], k, '?'));
      else t.reads.add(t.res(...path));
    };
    return {
      get(_target, k) {
        t.guard(`get ${String(k)}`);
        if (typeof k === 'symbol') return Reflect.get(raw, k);
        if (!Object.prototype.hasOwnProperty.call(raw, k) && k in raw) {
          // An inherited method (`map`, `hasOwnProperty`): it reads through the view when called.
          return Reflect.get(raw, k);
        }
        if (Array.isArray(raw) && k === 'length') {
          keySet();
          return raw.length;
        }
        return t.readOwn(raw, path, k);
      },
      has(_target, k) {
        t.guard(`has ${String(k)}`);
        if (typeof k === 'symbol') return k in raw;
        existence(k);
        return k in raw;
      },
      ownKeys() {
        t.guard('ownKeys');
        keySet();
        const keys = Reflect.ownKeys(raw);
        // The shadow target of an array view has its own non-configurable `length`.
        return Array.isArray(raw) ? keys : keys.filter((k) => k !== 'length');
      },
      getOwnPropertyDescriptor(target, k) {
        t.guard(`descriptor ${String(k)}`);
        if (Array.isArray(raw) && k === 'length') return Reflect.getOwnPropertyDescriptor(target, k);
        const d = Reflect.getOwnPropertyDescriptor(raw, k);
        if (typeof k === 'symbol') return d && { ...d, configurable: true };
        existence(k);
        if (!d) return undefined;
        return { value: t.readOwn(raw, path, k), writable: true, enumerable: d.enumerable, configurable: true };
      },
      getPrototypeOf() {
        return Object.getPrototypeOf(raw);
      },
      set() {
        throw new Error('controller memory is immutable: return a new value from updateMemory');
      },
      defineProperty() {
        throw new Error('controller memory is immutable: return a new value from updateMemory');
      },
      deleteProperty() {
        throw new Error('controller memory is immutable: return a new value from updateMemory');
      },
    };
  }

  /** Whole-value read of what a view stands for (it leaves its place). */
  readAll(path: Path): void {
    if (path.length === 0) this.reads.add(`${this.prefix}/*`);
    else if (path.length === 1) {
      this.reads.add(this.res(path[0]));
      this.reads.add(this.res(path[0], '*'));
    } else this.reads.add(this.res(...path));
  }

  /**
   * Replace views in `v` by their raw objects. A view found where `at` says it came from is a
   * copy in place (no read); anywhere else it is read whole. Walks `depth` levels, and not into
   * what is still the old memory's own object (`old`: the value at the same place before), which
   * holds no views.
   */
  unwrap(v: unknown, at: Path | undefined, depth: number, old?: unknown): unknown {
    const known = this.viewOf(v);
    if (known) {
      if (!at || !samePath(known.path, at)) this.readAll(known.path);
      return known.raw;
    }
    if (!isObject(v) || v === old || depth === 0 || (Object.getPrototypeOf(v) !== Object.prototype && !Array.isArray(v))) return v;
    let out: any;
    const src = v as any;
    const prev = isObject(old) ? (old as any) : undefined;
    for (const k of Object.keys(src)) {
      const child = src[k];
      const next = this.unwrap(child, at && at.length < 2 ? [...at, k] : undefined, depth - 1, prev?.[k]);
      if (next !== child) {
        out ??= Array.isArray(src) ? [...src] : { ...src };
        out[k] = next;
      }
    }
    return out ?? v;
  }
}

/** What a memory read or update touched, as footprint resources under `prefix` (`mem/<controller>`). */
export interface MemoryStep<T> {
  readonly value: T;
  readonly footprint: Footprint;
}

/** Run `select` on a tracked view of `memory`. Without a select the whole memory is read. */
export function trackedSelect<M, T>(prefix: string, memory: M, select: ((m: M) => T) | undefined): MemoryStep<T> {
  if (!select || !isObject(memory)) return { value: (select ? select(memory) : memory) as T, footprint: { reads: [`${prefix}/*`], writes: [] } };
  const t = new Tracker(prefix);
  const value = t.unwrap(select(t.view(memory, []) as M), undefined, 4) as T;
  t.close();
  return { value, footprint: { reads: [...t.reads].sort(), writes: [] } };
}

/** Run `update` on a tracked view of `memory`; the writes are the fields and entries that changed. */
export function trackedUpdate<M>(prefix: string, memory: M, update: (m: M) => M): MemoryStep<M> {
  if (!isObject(memory)) {
    const next = update(memory);
    return { value: next, footprint: { reads: [`${prefix}/*`], writes: next === memory ? [] : [`${prefix}/*`] } };
  }
  const t = new Tracker(prefix);
  const next = t.unwrap(update(t.view(memory, []) as M), [], 4, memory) as M;
  t.close();
  return { value: next, footprint: { reads: [...t.reads].sort(), writes: memoryWrites(prefix, memory, next) } };
}

/** The resources a change from `old` to `next` writes (see the module comment). */
export function memoryWrites(prefix: string, old: unknown, next: unknown): string[] {
  if (old === next) return [];
  if (!isObject(old) || !isObject(next)) return [`${prefix}/*`];
  const writes: string[] = [];
  const o = old as Record<string, unknown>;
  const n = next as Record<string, unknown>;
  for (const a of unionKeys(o, n)) {
    const ov = o[a];
    const nv = n[a];
    if (ov === nv) continue;
    const oHas = Object.prototype.hasOwnProperty.call(o, a);
    const nHas = Object.prototype.hasOwnProperty.call(n, a);
    if (oHas !== nHas) writes.push(`${prefix}/#keys`);
    if (oHas !== nHas || !isObject(ov) || !isObject(nv) || Array.isArray(ov) !== Array.isArray(nv)) {
      writes.push(`${prefix}/${a}`, `${prefix}/${a}/*`);
      continue;
    }
    const oa = ov as Record<string, unknown>;
    const na = nv as Record<string, unknown>;
    let keysChanged = Array.isArray(oa) && (oa as unknown as unknown[]).length !== (na as unknown as unknown[]).length;
    for (const b of unionKeys(oa, na)) {
      if (oa[b] === na[b]) continue;
      writes.push(`${prefix}/${a}/${b}`);
      if (Object.prototype.hasOwnProperty.call(oa, b) !== Object.prototype.hasOwnProperty.call(na, b)) {
        writes.push(`${prefix}/${a}/${b}/?`);
        keysChanged = true;
      }
    }
    if (keysChanged) writes.push(`${prefix}/${a}/#keys`);
  }
  return writes;
}

function samePath(a: Path, b: Path): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function unionKeys(a: object, b: object): string[] {
  const keys = new Set(Object.keys(a));
  for (const k of Object.keys(b)) keys.add(k);
  return [...keys];
}

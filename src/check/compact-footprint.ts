/**
 * Footprints as sorted integer sets, for the dependence checks of source-DPOR, which compares
 * every step with the path and with cached summaries (string footprints made those checks most
 * of its time).
 *
 * A resource `a/b/c` overlaps itself, its patterns `a/b/*`, `a/*` and `*`, and every resource a
 * pattern of it covers (src/engine/footprint.ts). With `up(Z)` the ids of every resource of `Z`
 * and of all its patterns, two sets overlap exactly when one's ids meet the other's `up`: a
 * pattern meets the resources under it through their `up`, two patterns through the shorter's
 * membership in the longer's `up`.
 */
import type { Footprint } from '../engine/footprint.ts';

export interface CompactFootprint {
  readonly r: Int32Array;
  readonly w: Int32Array;
  /** `up` of the reads and of the writes. */
  readonly ru: Int32Array;
  readonly wu: Int32Array;
}

const NONE: Int32Array = new Int32Array(0);
export const EMPTY_COMPACT: CompactFootprint = { r: NONE, w: NONE, ru: NONE, wu: NONE };

/** Whether two sorted sets share an element. */
function meets(a: Int32Array, b: Int32Array): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i];
    const y = b[j];
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

function mergeSorted(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Int32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const x = i < a.length ? a[i] : Infinity;
    const y = j < b.length ? b[j] : Infinity;
    const v = x <= y ? x : y;
    if (x === v) i++;
    if (y === v) j++;
    out[k++] = v;
  }
  return k === out.length ? out : out.slice(0, k);
}

function intersectSorted(a: Int32Array, b: Int32Array): Int32Array {
  if (a.length === 0 || b.length === 0) return NONE;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      out.push(a[i]);
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return out.length ? Int32Array.from(out) : NONE;
}

/** Two steps are dependent when one writes what the other reads or writes (as {@link dependent}). */
export function compactDependent(a: CompactFootprint, b: CompactFootprint): boolean {
  if (a.w.length === 0 && b.w.length === 0) return false;
  return meets(a.w, b.ru) || meets(a.w, b.wu) || meets(a.wu, b.r) || meets(a.wu, b.w) || meets(a.r, b.wu) || meets(a.ru, b.w);
}

/** Resource ids and their patterns, interned once per search. */
export class ResourceIds {
  private readonly ids = new Map<string, number>();
  private readonly ups: Int32Array[] = [];

  id(resource: string): number {
    let i = this.ids.get(resource);
    if (i === undefined) {
      i = this.ids.size;
      this.ids.set(resource, i);
      this.ups.push(NONE);
      const up = new Set<number>([i]);
      if (resource !== '*') {
        up.add(this.id('*'));
        // `a/b/c` and `a/b/*` both lie under `a/*`, ...: every strict prefix ending at a slash.
        const last = resource.endsWith('/*') ? resource.length - 2 : resource.length;
        for (let k = resource.indexOf('/'); k !== -1 && k < last; k = resource.indexOf('/', k + 1)) up.add(this.id(`${resource.slice(0, k)}/*`));
      }
      this.ups[i] = Int32Array.from([...up].sort((x, y) => x - y));
    }
    return i;
  }

  private set(resources: readonly string[]): Int32Array {
    if (resources.length === 0) return NONE;
    const s = new Set<number>();
    for (const r of resources) s.add(this.id(r));
    return Int32Array.from([...s].sort((x, y) => x - y));
  }

  private up(ids: Int32Array): Int32Array {
    let out: Int32Array = NONE;
    for (const i of ids) out = mergeSorted(out, this.ups[i]);
    return out;
  }

  compact(fp: Footprint): CompactFootprint {
    const r = this.set(fp.reads);
    const w = this.set(fp.writes);
    return { r, w, ru: this.up(r), wu: this.up(w) };
  }

  union(a: CompactFootprint, b: CompactFootprint): CompactFootprint {
    return { r: mergeSorted(a.r, b.r), w: mergeSorted(a.w, b.w), ru: mergeSorted(a.ru, b.ru), wu: mergeSorted(a.wu, b.wu) };
  }

  /** What two pasts share, resource by resource. */
  meet(a: CompactFootprint, b: CompactFootprint): CompactFootprint {
    const r = intersectSorted(a.r, b.r);
    const w = intersectSorted(a.w, b.w);
    return { r, w, ru: this.up(r), wu: this.up(w) };
  }
}

/** A key for interning a compact footprint. */
export function compactKey(f: CompactFootprint): string {
  return `${f.r.join(',')}|${f.w.join(',')}`;
}

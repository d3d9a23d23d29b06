/**
 * Read/write footprints of steps, for the execution log and partial-order reduction.
 *
 * A resource is a slash-separated path (`api/IP/p1.ns`, `queue/kube-ovn/addIPQueue`,
 * `cache/kube-ovn/Subnet/s1`); one ending in `/*` stands for every path under it, and
 * `*` for everything. The global resourceVersion counter is not a resource: clients compare
 * RVs only for equality (M4), so two writes to different objects commute up to RV naming,
 * and state fingerprints abstract RV values the same way.
 */

export interface Footprint {
  readonly reads: string[];
  readonly writes: string[];
}

export function emptyFootprint(): Footprint {
  return { reads: [], writes: [] };
}

function overlaps(a: string, b: string): boolean {
  if (a === b || a === '*' || b === '*') return true;
  if (a.endsWith('/*') && b.startsWith(a.slice(0, -1))) return true;
  if (b.endsWith('/*') && a.startsWith(b.slice(0, -1))) return true;
  return false;
}

function anyOverlap(xs: readonly string[], ys: readonly string[]): boolean {
  for (const x of xs) for (const y of ys) if (overlaps(x, y)) return true;
  return false;
}

/** Two steps are dependent when one writes what the other reads or writes. */
export function dependent(a: Footprint, b: Footprint): boolean {
  return anyOverlap(a.writes, b.writes) || anyOverlap(a.writes, b.reads) || anyOverlap(a.reads, b.writes);
}

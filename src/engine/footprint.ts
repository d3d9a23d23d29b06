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

/** `pattern` ends with `/*` and `path` starts with `pattern` minus the `*` (no substring allocated). */
function covers(pattern: string, path: string): boolean {
  const n = pattern.length - 1;
  if (n < 1 || pattern.charCodeAt(n) !== 42 /* * */ || pattern.charCodeAt(n - 1) !== 47 /* / */ || path.length < n) return false;
  for (let i = 0; i < n; i++) if (pattern.charCodeAt(i) !== path.charCodeAt(i)) return false;
  return true;
}

function overlaps(a: string, b: string): boolean {
  return a === b || a === '*' || b === '*' || covers(a, b) || covers(b, a);
}

function anyOverlap(xs: readonly string[], ys: readonly string[]): boolean {
  for (const x of xs) for (const y of ys) if (overlaps(x, y)) return true;
  return false;
}

/** Two steps are dependent when one writes what the other reads or writes. */
export function dependent(a: Footprint, b: Footprint): boolean {
  return anyOverlap(a.writes, b.writes) || anyOverlap(a.writes, b.reads) || anyOverlap(a.reads, b.writes);
}

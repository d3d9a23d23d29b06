/**
 * The simulation's only source of randomness: mulberry32 over a 32-bit state kept in the
 * world, so a world value fully determines every later random draw.
 */

/** Draw a uniform integer in [0, n) from `state`; returns the value and the next state. */
export function nextInt(state: number, n: number): readonly [value: number, next: number] {
  const next = (state + 0x6d2b79f5) | 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  return [Math.floor(u * n), next];
}

/** Turn any seed (e.g. a fast-check seed) into an RNG state. */
export function seedState(seed: number): number {
  return (seed ^ 0x9e3779b9) | 0;
}

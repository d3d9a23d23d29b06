/**
 * The checker's only contact with the wall clock and with entropy: run statistics
 * (durationMs, time limits) and a fresh seed when the user gives none (it is reported, so the
 * run can be repeated). Nothing here reaches simulated code: the world's time is its virtual
 * clock and its randomness the seeded RNG in the world.
 */

/** Milliseconds on a monotonic wall clock, for statistics and time limits only. */
export function wallClockMs(): number {
  return globalThis.performance.now();
}

/** A 32-bit seed for a run the user did not seed (fast-check does the same). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 0x100000000) | 0;
}

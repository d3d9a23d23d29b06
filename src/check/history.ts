/**
 * Property history along a path (a property's `history` reducer, ./property.ts), and why it
 * is sound with state fingerprinting.
 *
 * A property with `history: { initial, step }` sees, besides the current world, a value folded
 * over every world of the path so far: h₀ = step(initial, root), hᵢ₊₁ = step(hᵢ, worldᵢ₊₁).
 * Its verdict then depends on the path, not only on the world, so the checkers treat the pair
 * (world, histories) as the state:
 * - random search, replay and minimisation follow one path: the value is folded step by step;
 * - exhaustive search keys its visited set by the world's fingerprint combined with a hash of
 *   the histories (stable JSON), so two paths that reach one world with different histories
 *   are two states and both futures are explored — a history property is checked on every
 *   path a memoryless one would be, with nothing pruned on the strength of a world seen before
 *   under another history;
 * - partial-order reduction is turned off while a history property is checked: sleep sets
 *   skip the second order of two independent steps because both orders reach the same world,
 *   but the intermediate worlds differ and a reducer may see the difference.
 * The cost is states: a history that keeps growing (a step counter) makes every path distinct.
 * Keep it to what the property needs (a minimum, a set of names seen, a flag).
 *
 * Values must be plain data (JSON: objects, arrays, strings, numbers, booleans, null), never
 * mutated: they are hashed by content and shared between branches.
 */
import type { World } from '../engine/world.ts';
import type { Property } from './property.ts';
import { WorldView } from './view.ts';

/** One value per property of a context (undefined for those without history); undefined when no property has one. */
export type Histories = readonly unknown[] | undefined;

export function hasHistory(properties: readonly Property[]): boolean {
  return properties.some((p) => p.history !== undefined);
}

function fold(properties: readonly Property[], prev: Histories, world: World): Histories {
  const view = new WorldView(world);
  return properties.map((p, i) => (p.history ? p.history.step(prev ? prev[i] : p.history.initial, view) : undefined));
}

/** The histories at the root world (undefined when no property keeps one). */
export function rootHistories(properties: readonly Property[], root: World): Histories {
  return hasHistory(properties) ? fold(properties, undefined, root) : undefined;
}

/** The histories after a step to `world`. */
export function nextHistories(properties: readonly Property[], prev: Histories, world: World): Histories {
  return prev === undefined ? undefined : fold(properties, prev, world);
}

/** JSON with object keys sorted, so that equal values give equal text. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]])) : v,
  ) ?? 'undefined';
}

/** A 53-bit hash of a string (cyrb53). */
function hash53(str: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < str.length; i++) {
    const ch = str.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The visited-set key of (world fingerprint, histories): the fingerprint itself when there are none. */
export function stateKey(fp: number, histories: Histories): number {
  if (histories === undefined) return fp;
  return hash53(`${fp.toString(36)}|${stableJson(histories)}`, 0x6b72);
}

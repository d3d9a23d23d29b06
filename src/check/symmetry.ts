/**
 * Symmetry reduction: states that differ only by a permutation of interchangeable actors and
 * objects (two pods of one template, each created by its own user) are explored once.
 *
 * A scenario declares its symmetry as groups of tuples of names: within a group, any permutation
 * of the tuples renames every name of a tuple to the name at the same position of another, in
 * every string of the world (object keys and values: `Pod/vm/p1`, `p1.vm`, `user1`). The visited
 * set keys a state by the smallest fingerprint over all those renamings (a canonical
 * representative), as symmetry reduction in Murphi, SPIN and TLC does.
 *
 * Sound when every permutation is an automorphism: the model's behaviour and the properties
 * checked do not depend on the names themselves (no iteration in name order whose order matters,
 * no property naming one pod). The search checks what it can: the scenario and the root world
 * must be mapped onto themselves ({@link validateSymmetry}), and on sampled states the successors
 * of a renamed state must be the renamed successors ({@link SymmetryCheck}); a mismatch stops the
 * search with an error naming the state and the permutation.
 */
import { fingerprint, type FingerprintMode } from '../engine/fingerprint.ts';
import type { Action, Simulator } from '../engine/simulator.ts';
import type { Scenario } from '../engine/system.ts';
import type { World } from '../engine/world.ts';
import { isInflightRecord } from '../engine/controller.ts';
import { WatchedEvent } from '../engine/watch.ts';
import { UsageError } from './model.ts';

/**
 * Interchangeable names: each group is a list of tuples of equal length (e.g.
 * `[[['p1', 'user1'], ['p2', 'user2']]]`: pod p1 created by user1 is interchangeable with pod
 * p2 created by user2).
 *
 * @example
 * ```ts
 * const twoPods: Scenario = { ops: [createP1, createP2], symmetry: [[['p1', 'user1'], ['p2', 'user2']]] };
 * checkExhaustive(model, { scenario: twoPods, symmetry: true });
 * ```
 *
 * @category Checking
 */
export type Symmetry = NonNullable<Scenario['symmetry']>;

/** One renaming (not the identity): name -> name, and a matcher of whole names. */
export interface Renaming {
  readonly map: ReadonlyMap<string, string>;
  readonly pattern: RegExp;
  /** For messages: `p1→p2, user1→user2`. */
  readonly label: string;
}

/** A name is matched only as a whole token: not inside `p10` or `ap1` (letters, digits, `_`). */
function tokenPattern(names: readonly string[]): RegExp {
  const escaped = [...names].sort((a, b) => b.length - a.length).map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`(?<![A-Za-z0-9_])(?:${escaped.join('|')})(?![A-Za-z0-9_])`, 'g');
}

function permutationsOf(n: number): number[][] {
  if (n <= 1) return [[0]];
  const out: number[][] = [];
  for (const p of permutationsOf(n - 1)) for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  return out;
}

/** Most renamings a symmetry may expand to (6! — a canonical fingerprint costs one hash each). */
export const MAX_RENAMINGS = 720;

/** Every non-identity renaming of the symmetry (the product of the groups' permutations). */
export function renamings(sym: Symmetry): Renaming[] {
  const names = new Set<string>();
  for (const group of sym) {
    if (group.length < 2) throw new UsageError('symmetry: a group needs at least two interchangeable tuples');
    const width = group[0].length;
    for (const tuple of group) {
      if (tuple.length !== width || width === 0) throw new UsageError(`symmetry: tuples of one group must have the same, non-zero length (${JSON.stringify(group)})`);
      for (const n of tuple) {
        if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(n)) throw new UsageError(`symmetry: "${n}" is not a name`);
        if (names.has(n)) throw new UsageError(`symmetry: "${n}" appears twice`);
        names.add(n);
      }
    }
  }
  let combos: Array<Map<string, string>> = [new Map()];
  for (const group of sym) {
    const next: Array<Map<string, string>> = [];
    for (const perm of permutationsOf(group.length)) {
      for (const base of combos) {
        const m = new Map(base);
        perm.forEach((to, from) => group[from].forEach((name, j) => m.set(name, group[to][j])));
        next.push(m);
      }
    }
    combos = next;
    if (combos.length > MAX_RENAMINGS + 1) throw new UsageError(`symmetry: more than ${MAX_RENAMINGS} permutations`);
  }
  const out: Renaming[] = [];
  for (const m of combos) {
    const moved = [...m].filter(([a, b]) => a !== b);
    if (moved.length === 0) continue;
    const map = new Map(moved);
    out.push({ map, pattern: tokenPattern([...map.keys()]), label: moved.map(([a, b]) => `${a}→${b}`).join(', ') });
  }
  return out;
}

/** Applies one renaming to values, sharing unchanged subtrees and memoising by identity. */
export class Renamer {
  private readonly objects = new WeakMap<object, unknown>();
  private readonly strings = new Map<string, string>();
  constructor(readonly renaming: Renaming) {}

  string(s: string): string {
    let r = this.strings.get(s);
    if (r === undefined) {
      r = s.replace(this.renaming.pattern, (n) => this.renaming.map.get(n)!);
      if (this.strings.size < 200_000) this.strings.set(s, r);
    }
    return r;
  }

  /** A class instance (an ApiError in a handler's results): same prototype, every own property renamed. */
  private instance(v: object): object {
    const copy = Object.create(Object.getPrototypeOf(v)) as object;
    for (const k of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      if ('value' in d) d.value = this.value(d.value);
      Object.defineProperty(copy, typeof k === 'string' ? this.string(k) : k, d);
    }
    return copy;
  }

  value<T>(v: T): T {
    if (typeof v === 'string') return this.string(v) as T;
    if (typeof v !== 'object' || v === null) return v;
    const hit = this.objects.get(v as object);
    if (hit !== undefined) return hit as T;
    let out: unknown;
    if (Array.isArray(v)) {
      let changed = false;
      const arr = v.map((x) => {
        const y = this.value(x);
        if (y !== x) changed = true;
        return y;
      });
      // A LIST answer is sorted by object key (namespace/name, as etcd returns it; a model's
      // external lists by name): renamed, it is sorted again, so the image is the answer the
      // renamed state would get. Other arrays (queues, FIFOs) keep their order.
      if (changed && isKeySortedObjects(v)) arr.sort(byObjectKey);
      out = changed ? arr : v;
    } else if (!isPlain(v as object)) {
      out = this.instance(v as object);
    } else {
      let changed = false;
      const rec: Record<string, unknown> = {};
      for (const k of Object.keys(v as object)) {
        const x = (v as Record<string, unknown>)[k];
        const k2 = this.string(k);
        const y = this.value(x);
        if (k2 !== k || y !== x) changed = true;
        rec[k2] = y;
      }
      // Unchanged objects keep their identity (and any engine-private fields such as a live generator).
      out = changed ? rec : v;
    }
    this.objects.set(v as object, out);
    return out as T;
  }
}

/** The sort key of a listed item: an API object's namespace/name, or a record's `name` (an external's list). */
function listKey(x: unknown): string | undefined {
  const o = x as { kind?: unknown; name?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
  if (typeof o !== 'object' || o === null) return undefined;
  if (typeof o.kind === 'string' && typeof o.metadata?.name === 'string') return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return typeof o.name === 'string' ? o.name : undefined;
}

function byObjectKey(a: unknown, b: unknown): number {
  const ka = listKey(a)!;
  const kb = listKey(b)!;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** An array of listed items (API objects, or records with a `name`) in key order (two or more). */
function isKeySortedObjects(v: readonly unknown[]): boolean {
  if (v.length < 2 || !v.every((x) => listKey(x) !== undefined)) return false;
  for (let i = 1; i < v.length; i++) if (byObjectKey(v[i - 1], v[i]) > 0) return false;
  return true;
}

function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  // The engine's record classes are copied as plain records, which the engine accepts (an
  // in-flight handler then replays its results; an event gets its delivery id built again).
  return proto === Object.prototype || proto === null || isInflightRecord(v) || v instanceof WatchedEvent;
}

/** Fingerprints up to the symmetry: the smallest over the identity and every renaming. */
export class SymmetricFingerprint {
  readonly renamers: readonly Renamer[];
  constructor(sym: Symmetry, readonly mode: FingerprintMode) {
    this.renamers = renamings(sym).map((r) => new Renamer(r));
  }

  of(world: World): number {
    let best = fingerprint(world, this.mode);
    for (const r of this.renamers) {
      const fp = fingerprint(r.value(world), this.mode);
      if (fp < best) best = fp;
    }
    return best;
  }
}

function opsByActorJson(ops: Scenario['ops'], r?: Renamer): Map<string, string> {
  const by = new Map<string, unknown[]>();
  for (const op of ops) {
    const o = r ? r.value(op) : op;
    const actor = (o as { actor?: string }).actor ?? 'user';
    by.set(actor, [...(by.get(actor) ?? []), o]);
  }
  return new Map([...by].map(([a, list]) => [a, JSON.stringify(list)]));
}

/**
 * The scenario and its set-up world must be mapped onto themselves by every renaming: the ops of
 * each actor, renamed, are the ops of the renamed actor, and the renamed root is the root.
 */
export function validateSymmetry(fp: SymmetricFingerprint, scenario: Scenario, root: World): void {
  const own = opsByActorJson(scenario.ops);
  for (const r of fp.renamers) {
    const renamed = opsByActorJson(scenario.ops, r);
    for (const [actor, json] of renamed) {
      if (own.get(actor) !== json) {
        throw new UsageError(`symmetry ${r.renaming.label} does not map the scenario onto itself: the ops of ${actor} differ from the renamed ops`);
      }
    }
    if (fingerprint(r.value(root), fp.mode) !== fingerprint(root, fp.mode)) {
      throw new UsageError(`symmetry ${r.renaming.label} does not map the set-up world onto itself`);
    }
  }
}

/**
 * The dynamic check of the automorphism condition on sampled states: the canonical fingerprints
 * of the successors of `world` and of its renaming must be the same multiset.
 */
export class SymmetryCheck {
  checked = 0;
  constructor(
    private readonly fp: SymmetricFingerprint,
    private readonly sim: Simulator,
    private readonly scenario: Scenario,
    private readonly keep: (a: Action, actions: readonly Action[]) => boolean,
  ) {}

  private successors(world: World): number[] {
    const actions = this.sim.enabled(world, this.scenario);
    return actions
      .filter((a) => this.keep(a, actions))
      .map((a) => this.fp.of(this.sim.step(world, a, this.scenario).world))
      .sort((a, b) => a - b);
  }

  /** Throws a UsageError naming the renaming when `world` breaks it. */
  check(world: World, which: number, where: () => string): void {
    if (this.fp.renamers.length === 0) return;
    const r = this.fp.renamers[which % this.fp.renamers.length];
    this.checked++;
    const a = this.successors(world);
    const b = this.successors(r.value(world));
    if (a.length !== b.length || a.some((x, i) => x !== b[i])) {
      throw new UsageError(
        `symmetry ${r.renaming.label} is not a symmetry of this model: the renamed state has other successors than the state reached by ${where()} (the model's behaviour depends on these names)`,
      );
    }
  }
}

/**
 * Named properties, Stateright style: `always` (after every step), `atStable` (at every
 * stable world) and `sometimes` (a reachability goal, reported as reached or not so that a
 * passing check is shown not to be vacuous).
 */
import { WorldView } from './view.ts';
import type { World } from '../engine/world.ts';

/**
 * The kind of a {@link Property}: `'always' | 'atStable' | 'sometimes'`.
 *
 * @example
 * ```ts
 * const safety = (p: Property) => p.kind !== ('sometimes' satisfies PropertyKind);
 * ```
 *
 * @category Models and properties
 */
export type PropertyKind = 'always' | 'atStable' | 'sometimes';

/**
 * The check of a property, over a {@link WorldView}: `true` or `undefined` when it holds (for
 * `sometimes`: `true` when reached), `false` or a message explaining the violation. A property
 * with a {@link PropertyHistory} also gets the history value of the path so far (`H`).
 *
 * @example
 * ```ts
 * const noTerminating: PropertyCheck = (v) => v.list('Backup').every((b) => !b.metadata.deletionTimestamp) || 'a Backup is stuck terminating';
 * ```
 *
 * @category Models and properties
 */
export type PropertyCheck<H = undefined> = (view: WorldView, history: H) => boolean | string | undefined | void;

/**
 * State a property keeps along a path, for properties about history ("never fewer replicas
 * than the fewest ever asked for", "a name once released is never used again"): `initial`,
 * and `step`, which folds each world of the path into it — the root world first, then the world
 * after every step; the check sees the value including the current world.
 *
 * Sound with exhaustive search: the history value is part of the state the visited set is
 * keyed by (world fingerprint plus a hash of the value), so a world reached again with another
 * history is explored again, and partial-order reduction is off while such a property is
 * checked (independent steps in another order reach the same world through other intermediate
 * worlds, which the reducer may tell apart). See src/check/history.ts. Keep the value small
 * and bounded (a minimum, a set of names, a flag): every distinct value multiplies the states.
 * Values are plain JSON data, never mutated: return a new value from `step`.
 *
 * @example
 * ```ts
 * // The fewest replicas ever asked for, as the check's second argument.
 * const fewestAskedFor: PropertyHistory<number | null> = {
 *   initial: null,
 *   step: (min, v) => {
 *     const asked = v.get<Deployment>('Deployment', 'default', 'web')?.spec.replicas;
 *     return asked === undefined ? min : min === null ? asked : Math.min(min, asked);
 *   },
 * };
 * ```
 *
 * @category Models and properties
 */
export interface PropertyHistory<H> {
  readonly initial: H;
  readonly step: (prev: H, view: WorldView) => H;
}

/**
 * The third argument of {@link always}, {@link atStable} and {@link sometimes}: a description,
 * and optionally a {@link PropertyHistory} whose value the check receives.
 *
 * @example
 * ```ts
 * const opts: PropertyOptions<readonly string[]> = {
 *   description: 'a released lease is never acquired again',
 *   history: { initial: [], step: (released, v) => [...new Set([...released, ...releasedNow(v)])].sort() },
 * };
 * ```
 *
 * @category Models and properties
 */
export interface PropertyOptions<H> {
  readonly description?: string;
  readonly history?: PropertyHistory<H>;
  /**
   * What an `always` property's check reads, as footprint resources (`api/IP/*`,
   * `memory/kube-ovn`, `*`). Source-DPOR (`por: 'source-dpor'`) makes every step that writes
   * one of them dependent on every other such step, so each explored interleaving shows the
   * property the same sequence of values (the visibility condition). Undeclared: `*`, every
   * write is visible, and the reduction can reorder nothing for this property.
   */
  readonly reads?: readonly string[];
}

/**
 * A named property: `always` (checked after every step), `atStable` (at every stable world)
 * or `sometimes` (a reachability goal, reported so that a passing check is not vacuous).
 *
 * @example
 * ```ts
 * const properties: readonly Property[] = [noOrphanSnapshot, deletedWhileReconciling];
 * ```
 *
 * @category Models and properties
 */
export interface Property {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly description?: string;
  readonly check: PropertyCheck<any>;
  /** State kept along the path; the check gets its value (see {@link PropertyHistory}). */
  readonly history?: PropertyHistory<any>;
  /** Footprint resources the check reads (see {@link PropertyOptions.reads}). */
  readonly reads?: readonly string[];
}

function make<H>(kind: PropertyKind, name: string, check: PropertyCheck<H>, opts?: string | PropertyOptions<H>): Property {
  const o: PropertyOptions<H> = typeof opts === 'string' ? { description: opts } : (opts ?? {});
  return { name, kind, check, description: o.description, ...(o.history ? { history: o.history } : {}), ...(o.reads ? { reads: o.reads } : {}) };
}

/**
 * An invariant checked after every step (including intermediate states). The third argument
 * is a description, or {@link PropertyOptions} with a {@link PropertyHistory} for a property
 * about the path so far.
 *
 * @example
 * ```ts
 * export const atMostOneSnapshot = always('at-most-one-snapshot', (v) =>
 *   Object.keys(v.external<Snapshots>('snapshots')).length <= 1 || 'two snapshots at once',
 * );
 * ```
 *
 * @category Models and properties
 */
export function always<H = undefined>(name: string, check: PropertyCheck<H>, options?: string | PropertyOptions<H>): Property {
  return make('always', name, check, options);
}

/**
 * An invariant checked at stable worlds: nothing left to do but retries that make no
 * progress. The right kind for "eventually cleaned up" and "nothing stuck".
 *
 * @example
 * ```ts
 * export const noOrphanSnapshot = atStable('no-orphan-snapshot', (v) => {
 *   const orphans = Object.keys(v.external<Snapshots>('snapshots')).filter((id) => {
 *     const [namespace, name] = id.split('/');
 *     return !v.get('Backup', namespace, name);
 *   });
 *   return orphans.length === 0 || `snapshot ${orphans.join(', ')} outlives its Backup`;
 * });
 * ```
 *
 * @category Models and properties
 */
export function atStable<H = undefined>(name: string, check: PropertyCheck<H>, options?: string | PropertyOptions<H>): Property {
  return make('atStable', name, check, options);
}

/**
 * A goal some execution should reach (never a failure): reports show whether the search got
 * there, so a passing check is shown not to be vacuous.
 *
 * @example
 * ```ts
 * export const deletedWhileReconciling = sometimes('deleted-while-reconciling', (v) =>
 *   !v.get('Backup', 'default', 'db') && v.inflight('backup-controller').length > 0,
 * );
 * ```
 *
 * @category Models and properties
 */
export function sometimes<H = undefined>(name: string, check: PropertyCheck<H>, options?: string | PropertyOptions<H>): Property {
  return make('sometimes', name, check, options);
}

/** Evaluate a safety property (with its history value, if it keeps one): undefined when it holds, else the violation message. */
export function violation(p: Property, world: World, history?: unknown): string | undefined {
  const r = p.check(new WorldView(world), history);
  if (r === true || r === undefined) return undefined;
  if (r === false) return `${p.name} violated`;
  return r;
}

/** Whether a `sometimes` goal holds in this world. */
export function reached(p: Property, world: World, history?: unknown): boolean {
  return p.check(new WorldView(world), history) === true;
}

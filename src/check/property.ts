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
 * `sometimes`: `true` when reached), `false` or a message explaining the violation.
 *
 * @example
 * ```ts
 * const noTerminating: PropertyCheck = (v) => v.list('Backup').every((b) => !b.metadata.deletionTimestamp) || 'a Backup is stuck terminating';
 * ```
 *
 * @category Models and properties
 */
export type PropertyCheck = (view: WorldView) => boolean | string | undefined | void;

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
  readonly check: PropertyCheck;
}

/**
 * An invariant checked after every step (including intermediate states).
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
export function always(name: string, check: PropertyCheck, description?: string): Property {
  return { name, kind: 'always', check, description };
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
export function atStable(name: string, check: PropertyCheck, description?: string): Property {
  return { name, kind: 'atStable', check, description };
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
export function sometimes(name: string, check: PropertyCheck, description?: string): Property {
  return { name, kind: 'sometimes', check, description };
}

/** Evaluate a safety property: undefined when it holds, else the violation message. */
export function violation(p: Property, world: World): string | undefined {
  const r = p.check(new WorldView(world));
  if (r === true || r === undefined) return undefined;
  if (r === false) return `${p.name} violated`;
  return r;
}

/** Whether a `sometimes` goal holds in this world. */
export function reached(p: Property, world: World): boolean {
  return p.check(new WorldView(world)) === true;
}

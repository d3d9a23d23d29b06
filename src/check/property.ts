/**
 * Named properties, Stateright style: `always` (after every step), `atStable` (at every
 * stable world) and `sometimes` (a reachability goal, reported as reached or not so that a
 * passing check is shown not to be vacuous).
 */
import { WorldView } from './view.ts';
import type { World } from '../engine/world.ts';

export type PropertyKind = 'always' | 'atStable' | 'sometimes';

/** A check returns `true`/`undefined` when it holds (or, for `sometimes`, `true` when reached); a string explains a violation. */
export type PropertyCheck = (view: WorldView) => boolean | string | undefined | void;

export interface Property {
  readonly name: string;
  readonly kind: PropertyKind;
  readonly description?: string;
  readonly check: PropertyCheck;
}

/** An invariant checked after every step. */
export function always(name: string, check: PropertyCheck, description?: string): Property {
  return { name, kind: 'always', check, description };
}

/** An invariant checked at stable worlds (nothing left to do but retries that make no progress). */
export function atStable(name: string, check: PropertyCheck, description?: string): Property {
  return { name, kind: 'atStable', check, description };
}

/** A goal that some execution should reach; reported, never a failure. */
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

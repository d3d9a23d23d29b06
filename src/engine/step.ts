/**
 * What every step function shares: the {@link StepTxn} (the world being built by one step, its
 * footprint and notes), the {@link Engine} (what of the system definition a step may read) and
 * the input a handler generator is resumed with ({@link DriveInput}).
 */
import { ApiError } from '../api/errors.ts';
import type { MarkedEffect } from './effects.ts';
import { emptyFootprint, type Footprint } from './footprint.ts';
import type { ControllerDef, EngineOptions, ExternalSystemDef, SystemDef } from './system.ts';
import type { ControllerState, Failure, World } from './world.ts';

/** The system definition as the step functions read it (the Simulator, with its lookups). */
export interface Engine {
  readonly system: SystemDef;
  readonly options: EngineOptions;
  readonly controllerDefs: ReadonlyMap<string, ControllerDef<any>>;
  readonly externalDefs: ReadonlyMap<string, ExternalSystemDef<any>>;
  /** Local effects a handler may perform between two scheduling points. */
  readonly maxLocal: number;
  /** Scheduling points a handler may pass before it must finish. */
  readonly maxSteps: number;
}

/** What a handler generator is resumed with: a result, or an error thrown into it. */
export type DriveInput = { kind: 'next'; value: unknown; first?: boolean; raw?: unknown } | { kind: 'throw'; error: unknown; first?: undefined };

/**
 * What of a successful answer the handler receives, and so what its record keeps: nothing for
 * ctx.ignoreResult, `keep(answer)` for ctx.keep (with the whole answer beside it, fingerprinted
 * only, under EngineOptions.keepFullResults). Errors pass unchanged.
 */
export function received(e: MarkedEffect, input: DriveInput, keepFullResults: boolean | undefined): DriveInput {
  if (input.kind !== 'next') return input;
  if (e.discardResult) return { ...input, value: undefined };
  if (!e.keep) return input;
  const value = e.keep(input.value);
  return keepFullResults ? { kind: 'next', value, raw: input.value } : { kind: 'next', value };
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** A Promise handed to the engine is abandoned: swallow its rejection so it cannot crash the process. */
export function abandonIfPromise(value: unknown): boolean {
  if (!value || (typeof value !== 'object' && typeof value !== 'function') || typeof (value as { then?: unknown }).then !== 'function') return false;
  (value as PromiseLike<unknown>).then(undefined, () => {});
  return true;
}

export function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
  return String(e);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Mutable scratch for one step: the world being built plus the footprint and notes. The
 * world and its controllers record are copied once, on the first change, and then updated in
 * place: both copies are private to the step until it returns, so nobody can observe it.
 */
export class StepTxn {
  private readonly base: World;
  private draft: Mutable<World> | undefined;
  private controllers: Record<string, ControllerState> | undefined;
  readonly fp: Footprint = emptyFootprint();
  readonly notes: string[] = [];
  constructor(world: World) {
    this.base = world;
  }
  get world(): World {
    return this.draft ?? this.base;
  }
  /** Replace one field of the world being built. */
  set<K extends keyof World>(key: K, value: World[K]): void {
    (this.draft ??= { ...this.base })[key] = value;
  }
  read(r: string): void {
    this.fp.reads.push(r);
  }
  write(r: string): void {
    this.fp.writes.push(r);
  }
  controller(name: string): ControllerState {
    return (this.draft ?? this.base).controllers[name];
  }
  setController(name: string, state: ControllerState): void {
    const w = (this.draft ??= { ...this.base });
    if (this.controllers === undefined) w.controllers = this.controllers = { ...w.controllers };
    this.controllers[name] = state;
  }
  updateController(name: string, f: (c: ControllerState) => ControllerState): void {
    this.setController(name, f(this.controller(name)));
  }
  fail(failure: Failure): void {
    if (!this.world.failure) this.set('failure', failure);
  }
}

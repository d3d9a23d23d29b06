/**
 * A thin mutable facade over the pure API-server functions, for direct use in tests and
 * scripts: it holds the current state, a simulated clock and a seeded PRNG, and logs every
 * watch event.
 */
import { systemActions, type SystemAction } from './actors.ts';
import { badRequest } from './errors.ts';
import {
  createObject,
  deleteIgnoringFinalizers,
  deleteObject,
  emptyApiState,
  finalizeNamespace,
  findObject,
  getObject,
  listObjects,
  patchObject,
  registerKind,
  updateObject,
  updateStatus,
  type DeleteResult,
  type PatchOptions,
} from './server.ts';
import type { ApiEnv, ApiOptions, ApiResult, ApiState, DeleteOptions, KindDef, KubeObject, ListOptions, StoredObject, WatchEvent } from './types.ts';

/** mulberry32: a tiny seeded 32-bit PRNG. Returns a function giving floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The simulated clock: milliseconds since the simulation epoch (2025-01-01T00:00:00Z). */
export class SimClock {
  constructor(private ms = 0) {}
  get now(): number {
    return this.ms;
  }
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw badRequest(`the clock only moves forward (advance by ${ms})`);
    this.ms += ms;
    return this.ms;
  }
}

export interface ApiServerOptions {
  readonly kinds?: readonly KindDef[];
  readonly options?: ApiOptions;
  /** PRNG seed for generateName (M2). Default 1. */
  readonly seed?: number;
  /** Initial clock, ms since the epoch. Default 0. */
  readonly now?: number;
}

export class ApiServer {
  private current: ApiState;
  private readonly random: () => number;
  readonly clock: SimClock;
  /** Every watch event emitted so far, in order. */
  readonly events: WatchEvent[] = [];

  constructor(opts: ApiServerOptions = {}) {
    this.current = emptyApiState(opts.kinds ?? [], opts.options ?? {});
    this.random = mulberry32(opts.seed ?? 1);
    this.clock = new SimClock(opts.now ?? 0);
  }

  get state(): ApiState {
    return this.current;
  }

  /** The environment handed to the pure functions: current time and the seeded PRNG. */
  get env(): ApiEnv {
    return { now: this.clock.now, randomInt: (n: number) => Math.floor(this.random() * n) };
  }

  advance(ms: number): number {
    return this.clock.advance(ms);
  }

  /** Runs a pure call against the current state, keeps the new state and logs its events. */
  run<T>(call: (state: ApiState, env: ApiEnv) => ApiResult<T>): T {
    const r = call(this.current, this.env);
    this.current = r.state;
    this.events.push(...r.events);
    return r.result;
  }

  registerKind(def: KindDef): void {
    this.current = registerKind(this.current, def);
  }

  create<T extends KubeObject>(obj: T): StoredObject {
    return this.run((s, env) => createObject(s, env, obj));
  }
  get(kind: string, namespace: string | undefined, name: string): StoredObject {
    return getObject(this.current, kind, namespace, name);
  }
  find(kind: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return findObject(this.current, kind, namespace, name);
  }
  list(kind: string, opts?: ListOptions): StoredObject[] {
    return listObjects(this.current, kind, opts);
  }
  update(obj: KubeObject): StoredObject {
    return this.run((s, env) => updateObject(s, env, obj));
  }
  updateStatus(obj: KubeObject): StoredObject {
    return this.run((s, env) => updateStatus(s, env, obj));
  }
  patch(kind: string, namespace: string | undefined, name: string, patch: unknown, opts?: PatchOptions): StoredObject {
    return this.run((s, env) => patchObject(s, env, kind, namespace, name, patch, opts));
  }
  delete(kind: string, namespace: string | undefined, name: string, opts?: DeleteOptions): DeleteResult {
    return this.run((s, env) => deleteObject(s, env, kind, namespace, name, opts));
  }
  /** D10 (opt-in via options.deleteRacesFinalizerAdd): see {@link deleteIgnoringFinalizers}. */
  deleteIgnoringFinalizers(kind: string, namespace: string | undefined, name: string, opts?: DeleteOptions): DeleteResult {
    return this.run((s, env) => deleteIgnoringFinalizers(s, env, kind, namespace, name, opts));
  }
  finalizeNamespace(name: string, finalizers: readonly string[]): StoredObject {
    return this.run((s, env) => finalizeNamespace(s, env, name, finalizers));
  }

  /** The system actors' enabled actions (kubelet, garbage collector, namespace controller). */
  systemActions(): SystemAction[] {
    return systemActions(this.current);
  }
  /** Applies the enabled system action with this id (throws when it is not enabled). */
  step(id: string): unknown {
    const a = this.systemActions().find((x) => x.id === id);
    if (!a) throw new Error(`no enabled system action "${id}"; enabled: ${this.systemActions().map((x) => x.id).join('; ') || 'none'}`);
    return this.run((s, env) => a.apply(s, env));
  }
  /**
   * Runs the first enabled system action until none is left (or `maxSteps`); returns the ids
   * taken. A simple deterministic schedule for tests, not an exploration.
   */
  settle(maxSteps = 1000): string[] {
    const taken: string[] = [];
    for (let i = 0; i < maxSteps; i++) {
      const a = this.systemActions()[0];
      if (!a) return taken;
      this.run((s, env) => a.apply(s, env));
      taken.push(a.id);
    }
    throw new Error(`system actors did not settle within ${maxSteps} steps: ${taken.slice(-5).join('; ')}`);
  }
}

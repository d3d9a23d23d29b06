/**
 * The deterministic simulator: from a world, which actions are enabled, and what one
 * action does. Both are pure functions of (system, world); the Simulator instance only
 * caches lookups built from the system definition and the generators of in-flight handlers
 * (rebuilt by replay whenever a world is stepped from a different branch).
 */
import { ApiError, internalError, notFound, unknownKind } from '../api/errors.ts';
import { resourceOf } from '../api/kinds.ts';
import { objectKey, keyOf } from '../api/keys.ts';
import { garbageCollectorActions, kubeletActions, namespaceControllerActions, type SystemAction } from '../api/actors.ts';
import {
  createObject,
  deleteObject,
  emptyApiState,
  getObject,
  listObjects,
  patchObject,
  updateObject,
  updateStatus,
} from '../api/server.ts';
import type { ApiEnv, ApiResult, ApiState, KubeObject, ListOptions, StoredObject, WatchEvent } from '../api/types.ts';
import { describeEffect, formatTime } from './describe.ts';
import { type Effect, type ReconcileResult, ReconcileError, isEffect, isSchedulingPoint, reconcileContext } from './effects.ts';
import { emptyFootprint, type Footprint } from './footprint.ts';
import { appendEvent, applyDelta, deltaLabel, popDeltas, popSizes, relist, resync, startInformer } from './informer.ts';
import { withKey, withoutKey } from './records.ts';
import { matchesSelector } from './selector.ts';
import { nextInt, seedState } from './rng.ts';
import type {
  AdmissionRequest,
  ControllerDef,
  EngineOptions,
  ExternalSystemDef,
  HandlerContext,
  QueueDef,
  Scenario,
  SystemDef,
  UserOp,
} from './system.ts';
import { ExternalError } from './system.ts';
import * as wq from './workqueue.ts';
import type { ControllerState, EffectResult, Failure, Inflight, InformerState, PendingEvent, ResultList, World } from './world.ts';

export type Action =
  | { readonly kind: 'user'; readonly id: string; readonly actor: string; readonly op: UserOp }
  /** Pop the head key of an informer's DeltaFIFO with its first `count` pending deltas (W2). */
  | { readonly kind: 'deliver'; readonly id: string; readonly actor: string; readonly controller: string; readonly informer: string; readonly count: number }
  | { readonly kind: 'begin'; readonly id: string; readonly actor: string; readonly controller: string; readonly queue: string }
  | { readonly kind: 'beginTask'; readonly id: string; readonly actor: string; readonly controller: string; readonly task: string }
  | { readonly kind: 'resume'; readonly id: string; readonly actor: string; readonly controller: string; readonly inflight: string; readonly fail: boolean }
  | { readonly kind: 'clock'; readonly id: string; readonly actor: 'clock'; readonly to: number }
  | { readonly kind: 'system'; readonly id: string; readonly actor: string; readonly action: SystemAction }
  | { readonly kind: 'restart'; readonly id: string; readonly actor: 'fault'; readonly controller: string }
  | { readonly kind: 'disconnect'; readonly id: string; readonly actor: 'fault'; readonly controller: string; readonly informer: string }
  | { readonly kind: 'resync'; readonly id: string; readonly actor: 'fault'; readonly controller: string; readonly informer: string };

export type ActionKind = Action['kind'];

/** One line of the execution log. */
export interface LogEntry {
  readonly step: number;
  readonly id: string;
  readonly actor: string;
  /** What happened: API results, handler log lines, outcomes. */
  readonly notes: readonly string[];
  readonly reads: readonly string[];
  readonly writes: readonly string[];
}

export interface StepResult {
  readonly world: World;
  readonly entry: LogEntry;
}

const TASK_START = 'start';
const DEFAULT_MAX_LOCAL = 10_000;
const DEFAULT_MAX_STEPS = 1_000;

type Gen = Generator<Effect, ReconcileResult, unknown>;

function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** A Promise handed to the engine is abandoned: swallow its rejection so it cannot crash the process. */
function abandonIfPromise(value: unknown): boolean {
  if (!value || (typeof value !== 'object' && typeof value !== 'function') || typeof (value as { then?: unknown }).then !== 'function') return false;
  (value as PromiseLike<unknown>).then(undefined, () => {});
  return true;
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`;
  return String(e);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Mutable scratch for one step: the world being built plus the footprint and notes. The
 * world and its controllers record are copied once, on the first change, and then updated in
 * place: both copies are private to the step until it returns, so nobody can observe it.
 */
class StepTxn {
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

/**
 * An in-flight record as the simulator creates it: the plain {@link Inflight} fields (same
 * order as an object literal, `queue` or `task`), plus, invisible to Object.keys, spread,
 * JSON and equality, the live generator (used once, by the first branch that resumes it;
 * other branches replay the results) and the memoised resume action id.
 */
class InflightRecord implements Inflight {
  readonly id: string;
  readonly controller: string;
  declare readonly queue?: string;
  declare readonly task?: string;
  readonly key: string;
  readonly handler: string;
  readonly results: ResultList | undefined;
  readonly steps: number;
  readonly pending: Effect;
  #gen: Gen | undefined;
  #resumeId: string | undefined;
  #lockKey: string | undefined;

  constructor(base: Omit<Inflight, 'pending'>, controller: string, results: ResultList | undefined, steps: number, pending: Effect, gen: Gen) {
    this.id = base.id;
    this.controller = controller;
    if (base.queue !== undefined) (this as { queue?: string }).queue = base.queue;
    else (this as { task?: string }).task = base.task;
    this.key = base.key;
    this.handler = base.handler;
    this.results = results;
    this.steps = steps;
    this.pending = pending;
    this.#gen = gen;
  }

  takeGenerator(): Gen | undefined {
    const gen = this.#gen;
    this.#gen = undefined;
    return gen;
  }

  /** `mutex/key` of a pending lock. */
  lockKey(): string {
    const p = this.pending as Extract<Effect, { op: 'lock' }>;
    return (this.#lockKey ??= `${p.mutex}/${p.key}`);
  }

  resumeId(): string {
    return (this.#resumeId ??= `${this.controller}/${this.queue ?? this.task}: ${this.handler}(${this.key}) ${describeEffect(this.pending)}`);
  }
}

/**
 * A watch event as fanOut queues it (the common case): plain {@link PendingEvent} fields, plus
 * its delivery action id, built once and kept out of sight of Object.keys, JSON and equality.
 */
class WatchedEvent implements PendingEvent {
  #deliverId: string | undefined;
  constructor(
    readonly type: PendingEvent['type'],
    readonly key: string,
    readonly object: StoredObject,
  ) {}
  deliverId(ctrl: string): string {
    return (this.#deliverId ??= `deliver ${this.key} ${this.type} -> ${ctrl}`);
  }
}

function deliverId(ev: PendingEvent, ctrl: string): string {
  if (ev instanceof WatchedEvent) return ev.deliverId(ctrl);
  return `deliver ${ev.key} ${deltaLabel(ev)} -> ${ctrl}`;
}

/** A pop of more than one delta: `deliver IP/a ADDED+MODIFIED -> ctrl`. */
function deliverManyId(pending: readonly PendingEvent[], count: number, ctrl: string): string {
  const key = pending[0].key;
  const labels: string[] = [];
  for (const ev of pending) {
    if (ev.key !== key) continue;
    labels.push(deltaLabel(ev));
    if (labels.length === count) break;
  }
  return `deliver ${key} ${labels.join('+')} -> ${ctrl}`;
}

const clockIds = new Map<number, string>();

function clockId(to: number): string {
  let id = clockIds.get(to);
  if (id === undefined) {
    id = `clock: advance to ${formatTime(to)}`;
    if (clockIds.size < 10_000) clockIds.set(to, id);
  }
  return id;
}

/** The environment of one API call: the world's clock and its seeded RNG (advanced on use). */
class StepApiEnv implements ApiEnv {
  usedRng = false;
  constructor(
    readonly now: number,
    public rng: number,
  ) {}
  randomInt(n: number): number {
    this.usedRng = true;
    const [v, next] = nextInt(this.rng, n);
    this.rng = next;
    return v;
  }
}

class QueueEntry {
  readonly workers: number;
  private readonly ids = new Map<string, string>();
  private readonly prefix: string;
  constructor(
    ctrl: string,
    readonly name: string,
    def: QueueDef<any>,
  ) {
    this.workers = def.workers;
    this.prefix = `${ctrl}/${name}: ${handlerName(def)}(`;
  }
  beginId(item: string): string {
    let id = this.ids.get(item);
    if (id === undefined) {
      id = `${this.prefix}${item}) begin`;
      if (this.ids.size < 10_000) this.ids.set(item, id);
    }
    return id;
  }
}

interface HandlerHost {
  informerOf(txn: StepTxn, ctrl: string, kind: string): InformerState;
  performApi(txn: StepTxn, e: Effect, ctrl: string): unknown;
  performLocal(txn: StepTxn, ctrl: string, e: Effect): DriveInput;
  enqueue(txn: StepTxn, ctrl: string, queue: string, key: string, delayMs: number): void;
}

/** A lister over an informer cache for synchronous event handlers. */
class EventHandlerLister {
  constructor(
    private readonly ctx: EventHandlerContext,
    private readonly kind: string,
  ) {}
  get(namespace: string | undefined, name: string): any {
    const { host, txn, ctrl } = this.ctx;
    const key = objectKey(this.kind, namespace, name);
    txn.read(`cache/${ctrl}/${key}`);
    return host.informerOf(txn, ctrl, this.kind).cache[key];
  }
  list(options?: ListOptions): any[] {
    const { host, txn, ctrl } = this.ctx;
    txn.read(`cache/${ctrl}/${this.kind}/*`);
    return listCache(host.informerOf(txn, ctrl, this.kind), options);
  }
}

/** What an informer event handler may do, inside the delivery step. */
class EventHandlerContext implements HandlerContext<any> {
  constructor(
    readonly host: HandlerHost,
    readonly txn: StepTxn,
    readonly ctrl: string,
  ) {}
  lister(kind: string): any {
    return new EventHandlerLister(this, kind);
  }
  get(kind: string, namespace: string | undefined, name: string): any {
    const key = objectKey(kind, namespace, name);
    this.txn.read(`api/${key}`);
    return this.txn.world.api.objects[key];
  }
  memory(): any {
    this.txn.read(`mem/${this.ctrl}`);
    return this.txn.controller(this.ctrl).memory;
  }
  updateMemory(update: (memory: any) => any): void {
    this.txn.read(`mem/${this.ctrl}`);
    this.txn.write(`mem/${this.ctrl}`);
    this.txn.updateController(this.ctrl, (c) => ({ ...c, memory: update(c.memory) }));
  }
  run<T>(body: Generator<Effect, T, unknown>): T {
    const { host, txn, ctrl } = this;
    let input: DriveInput = { kind: 'next', value: undefined };
    for (;;) {
      const it: IteratorResult<Effect, T> = input.kind === 'next' ? body.next(input.value) : body.throw(input.error);
      if (it.done) return it.value;
      const e: Effect = it.value;
      if (e.op === 'get' || e.op === 'list') {
        try {
          input = { kind: 'next', value: host.performApi(txn, e, ctrl) };
        } catch (err) {
          if (!isApiError(err)) throw err;
          input = { kind: 'throw', error: err };
        }
      } else if (isSchedulingPoint(e) || e.op === 'memoryUpdate' || e.op === 'unlock') {
        throw new Error(`${describeEffect(e)} is not allowed inside an event handler (only reads, enqueues and logs)`);
      } else {
        input = host.performLocal(txn, ctrl, e);
      }
    }
  }
  enqueue(queue: string, key: string): void {
    this.host.enqueue(this.txn, this.ctrl, queue, key, 0);
  }
  enqueueAfter(queue: string, key: string, delayMs: number): void {
    this.host.enqueue(this.txn, this.ctrl, queue, key, delayMs);
  }
  log(message: string): void {
    this.txn.notes.push(message);
  }
}

export class Simulator {
  readonly system: SystemDef;
  readonly options: EngineOptions;
  private readonly controllerDefs: ReadonlyMap<string, ControllerDef<any>>;
  private readonly externalDefs: ReadonlyMap<string, ExternalSystemDef<any>>;
  private readonly queueLists = new Map<ControllerDef<any>, readonly QueueEntry[]>();
  private readonly systemActionCache = new WeakMap<ApiState, readonly Action[]>();
  private readonly userOpCache = new WeakMap<readonly UserOp[], ReadonlyArray<readonly [actor: string, ops: readonly UserOp[], ids: readonly string[]]>>();
  private readonly maxLocal: number;
  private readonly maxSteps: number;

  /** What event handler contexts call back into (built once: no closures per delivery). */
  private readonly host: HandlerHost = {
    informerOf: (txn, ctrl, kind) => this.informerOf(txn, ctrl, kind),
    performApi: (txn, e, ctrl) => this.performApi(txn, e, ctrl),
    performLocal: (txn, ctrl, e) => this.performLocal(txn, ctrl, e),
    enqueue: (txn, ctrl, queue, key, delayMs) => this.enqueue(txn, ctrl, queue, key, delayMs, false),
  };

  constructor(system: SystemDef, options: EngineOptions = {}) {
    this.system = system;
    this.options = options;
    this.controllerDefs = new Map(system.controllers.map((c) => [c.name, c]));
    this.externalDefs = new Map((system.externals ?? []).map((e) => [e.name, e]));
    this.maxLocal = options.maxLocalEffects ?? DEFAULT_MAX_LOCAL;
    this.maxSteps = options.maxReconcileSteps ?? DEFAULT_MAX_STEPS;
  }

  /** The world before any user operation: empty API server, controllers starting up. */
  initialWorld(): World {
    const faults = this.options.faults ?? {};
    let world: World = {
      clock: 0,
      rng: seedState(this.options.seed ?? 0),
      api: emptyApiState(this.system.kinds, this.system.apiOptions),
      controllers: {},
      externals: Object.fromEntries((this.system.externals ?? []).map((e) => [e.name, e.initial])),
      users: {},
      faults: {
        restarts: faults.restarts ?? 0,
        watchDisconnects: faults.watchDisconnects ?? 0,
        resyncs: faults.resyncs ?? 0,
        apiErrors: faults.apiErrors ?? 0,
      },
      steps: 0,
    };
    for (const c of this.system.controllers) {
      world = { ...world, controllers: { ...world.controllers, [c.name]: this.freshController(c, world.api, 0) } };
    }
    return world;
  }

  /** A controller process just started: empty queues and memory, caches about to receive the initial list. */
  private freshController(def: ControllerDef<any>, api: ApiState, restarts: number): ControllerState {
    const informers: Record<string, InformerState> = {};
    for (const kind of Object.keys(def.watches)) informers[kind] = startInformer(listObjects(api, kind));
    const queues: Record<string, wq.QueueState> = {};
    for (const [name, q] of Object.entries(def.queues)) queues[name] = wq.emptyQueue(q.rateLimiter);
    // Without start-up code the controller is started at once; periodic tasks are due after their initial delay.
    const timers: Record<string, number> = {};
    if (!def.start) for (const [name, p] of Object.entries(def.periodic ?? {})) timers[name] = p.initialDelayMs ?? 0;
    return { informers, queues, memory: def.initialMemory, locks: {}, inflight: {}, started: !def.start, timers, restarts };
  }

  // ---------------------------------------------------------------------------------------
  // Enabled actions

  /** Every action enabled in `world`, in a fixed order (deliveries, handlers, system actors, users, faults, clock). */
  enabled(world: World, scenario: Scenario): Action[] {
    if (world.failure) return [];
    const out: Action[] = [];
    for (const def of this.system.controllers) this.controllerActions(world, def, out);
    for (const a of this.systemActionsOf(world.api)) out.push(a);
    this.userActions(world, scenario, out, out.length === 0);
    this.faultActions(world, out);
    const next = this.nextTimer(world);
    if (next !== undefined) out.push({ kind: 'clock', id: clockId(next), actor: 'clock', to: next });
    return out;
  }

  /** System actor steps as actions; a pure function of the API state, so cached per state. */
  private systemActionsOf(api: ApiState): readonly Action[] {
    let actions = this.systemActionCache.get(api);
    if (!actions) {
      actions = this.systemActions(api).map((a): Action => ({ kind: 'system', id: a.id, actor: a.actor, action: a }));
      this.systemActionCache.set(api, actions);
    }
    return actions;
  }

  private systemActions(api: ApiState): SystemAction[] {
    const actors = this.system.systemActors ?? ['garbage-collector', 'namespace-controller', 'kubelet'];
    const out: SystemAction[] = [];
    if (actors.includes('kubelet')) out.push(...kubeletActions(api));
    if (actors.includes('garbage-collector')) out.push(...garbageCollectorActions(api));
    if (actors.includes('namespace-controller')) out.push(...namespaceControllerActions(api));
    return out;
  }

  private controllerActions(world: World, def: ControllerDef<any>, out: Action[]): void {
    const c = world.controllers[def.name];
    const ctrl = def.name;
    // Informer deliveries: each informer's DeltaFIFO pops its head key (W2).
    let synced = true;
    for (const kind in c.informers) {
      const inf = c.informers[kind];
      if (inf.unsynced !== 0) synced = false;
      if (inf.pending.length === 0) continue;
      for (const count of popSizes(inf)) {
        const id = count === 1 ? deliverId(inf.pending[0], ctrl) : deliverManyId(inf.pending, count, ctrl);
        out.push({ kind: 'deliver', id, actor: ctrl, controller: ctrl, informer: kind, count });
      }
    }
    // In-flight handlers paused at a scheduling point.
    const inflightIds = Object.keys(c.inflight);
    if (inflightIds.length > 1) inflightIds.sort();
    for (const id of inflightIds) {
      const f = c.inflight[id];
      const p = f.pending;
      if (p.op === 'lock' && c.locks[f instanceof InflightRecord ? f.lockKey() : `${p.mutex}/${p.key}`] !== undefined) continue;
      if (p.op === 'sleep' && world.clock < p.until!) continue;
      const base = this.resumeId(f);
      out.push({ kind: 'resume', id: base, actor: ctrl, controller: ctrl, inflight: id, fail: false });
      if (world.faults.apiErrors > 0 && p.op !== 'lock' && p.op !== 'external' && p.op !== 'sleep') {
        out.push({ kind: 'resume', id: `${base} !fail`, actor: 'fault', controller: ctrl, inflight: id, fail: true });
      }
    }
    // Start-up runs once every cache has synced; workers and periodic tasks only after it.
    // WaitForCacheSync comes before both.
    if (!synced) return;
    if (!c.started) {
      if (def.start && !c.inflight[`${ctrl}/task/${TASK_START}`]) {
        out.push({ kind: 'beginTask', id: `${ctrl}/${TASK_START}: ${def.start.name || TASK_START} begin`, actor: ctrl, controller: ctrl, task: TASK_START });
      }
      return;
    }
    for (const entry of this.queuesOf(def)) {
      const q = c.queues[entry.name];
      if (q.queue.length === 0) continue;
      if (countKeys(q.processing, entry.workers) >= entry.workers) continue;
      out.push({ kind: 'begin', id: entry.beginId(q.queue[0]), actor: ctrl, controller: ctrl, queue: entry.name });
    }
    for (const task in c.timers) {
      if (c.timers[task] <= world.clock) {
        const p = def.periodic![task];
        out.push({ kind: 'beginTask', id: `${ctrl}/${task}: ${p.run.name || task} begin`, actor: ctrl, controller: ctrl, task });
      }
    }
  }

  private userActions(world: World, scenario: Scenario, out: Action[], idle: boolean): void {
    let byActor = this.userOpCache.get(scenario.ops);
    if (!byActor) {
      byActor = [...opsByActor(scenario.ops)].map(([actor, ops]) => [actor, ops, ops.map((op) => `${actor}: ${describeUserOp(op)}`)] as const);
      this.userOpCache.set(scenario.ops, byActor);
    }
    for (const [actor, ops, ids] of byActor) {
      const next = world.users[actor] ?? 0;
      if (next >= ops.length) continue;
      const op = ops[next];
      if (op.afterGone?.some((k) => k in world.api.objects)) continue;
      if (op.whenIdle && !idle) continue;
      out.push({ kind: 'user', id: ids[next], actor, op });
    }
  }

  /** A controller's queues in definition order, with their begin ids memoised per item. */
  private queuesOf(def: ControllerDef<any>): readonly QueueEntry[] {
    let list = this.queueLists.get(def);
    if (!list) {
      list = Object.entries(def.queues).map(([name, q]) => new QueueEntry(def.name, name, q));
      this.queueLists.set(def, list);
    }
    return list;
  }

  /** The id of resuming an in-flight handler (without the fault suffix). */
  private resumeId(f: Inflight): string {
    if (f instanceof InflightRecord) return f.resumeId();
    return `${f.controller}/${f.queue ?? f.task}: ${f.handler}(${f.key}) ${describeEffect(f.pending)}`;
  }

  private faultActions(world: World, out: Action[]): void {
    const f = world.faults;
    for (const def of this.system.controllers) {
      if (f.restarts > 0) out.push({ kind: 'restart', id: `fault: restart ${def.name}`, actor: 'fault', controller: def.name });
      for (const kind of Object.keys(def.watches)) {
        if (f.watchDisconnects > 0) {
          out.push({ kind: 'disconnect', id: `fault: watch disconnect ${def.name}/${kind}`, actor: 'fault', controller: def.name, informer: kind });
        }
        if (f.resyncs > 0) {
          out.push({ kind: 'resync', id: `fault: resync ${def.name}/${kind}`, actor: 'fault', controller: def.name, informer: kind });
        }
      }
    }
  }

  /** Earliest future time at which something becomes due (delayed queue items, periodic tasks). */
  nextTimer(world: World): number | undefined {
    let next: number | undefined;
    for (const def of this.system.controllers) {
      const c = world.controllers[def.name];
      if (!c.started) continue;
      for (const name in c.queues) {
        const at = wq.nextReadyAt(c.queues[name]);
        if (at !== undefined && at > world.clock && (next === undefined || at < next)) next = at;
      }
      for (const task in c.timers) {
        const due = c.timers[task];
        if (due > world.clock && (next === undefined || due < next)) next = due;
      }
      for (const id in c.inflight) {
        const p = c.inflight[id].pending;
        if (p.op === 'sleep' && p.until! > world.clock && (next === undefined || p.until! < next)) next = p.until!;
      }
    }
    return next;
  }

  // ---------------------------------------------------------------------------------------
  // Steps

  /** Execute one enabled action. */
  step(world: World, action: Action, scenario: Scenario): StepResult {
    const txn = new StepTxn(world);
    switch (action.kind) {
      case 'user':
        this.runUser(txn, action);
        break;
      case 'deliver':
        this.runDeliver(txn, action.controller, action.informer, action.count, action.id);
        break;
      case 'begin':
        this.runBegin(txn, action.controller, action.queue, action.id);
        break;
      case 'beginTask':
        this.runBeginTask(txn, action.controller, action.task, action.id);
        break;
      case 'resume':
        this.runResume(txn, action.controller, action.inflight, action.fail, action.id);
        break;
      case 'clock':
        this.runClock(txn, action.to);
        break;
      case 'system':
        this.runSystem(txn, action.action);
        break;
      case 'restart':
        this.runRestart(txn, action.controller);
        break;
      case 'disconnect':
        this.runDisconnect(txn, action.controller, action.informer);
        break;
      case 'resync':
        this.runResync(txn, action.controller, action.informer);
        break;
    }
    const stepNo = world.steps + 1;
    txn.set('steps', stepNo);
    return {
      world: txn.world,
      entry: { step: stepNo, id: action.id, actor: action.actor, notes: txn.notes, reads: txn.fp.reads, writes: txn.fp.writes },
    };
  }

  /** Find the enabled action with this id and execute it; undefined when it is not enabled. */
  stepById(world: World, id: string, scenario: Scenario): StepResult | undefined {
    const action = this.enabled(world, scenario).find((a) => a.id === id);
    return action && this.step(world, action, scenario);
  }

  // --- API plumbing -----------------------------------------------------------------------

  /** Run a pure API-server call against the world; fan its watch events out to informers. */
  private api<T>(txn: StepTxn, call: (state: ApiState, env: ApiEnv) => ApiResult<T>): T {
    const env = new StepApiEnv(txn.world.clock, txn.world.rng);
    const out = call(txn.world.api, env);
    const rng = env.rng;
    if (env.usedRng) {
      txn.read('rng');
      txn.write('rng');
    }
    if (out.state !== txn.world.api) txn.set('api', out.state);
    if (rng !== txn.world.rng) txn.set('rng', rng);
    for (const ev of out.events) txn.write(`api/${keyOf(ev.object)}`);
    if (out.events.length) this.fanOut(txn, out.events);
    return out.result;
  }

  private fanOut(txn: StepTxn, events: readonly WatchEvent[]): void {
    for (const def of this.system.controllers) {
      let c = txn.controller(def.name);
      let changed = false;
      for (const ev of events) {
        const inf = c.informers[ev.object.kind];
        if (!inf) continue;
        const key = keyOf(ev.object);
        txn.write(`pending/${def.name}/${key}`);
        // Two appends to one DeltaFIFO do not commute (W2: the stream order decides which key
        // is popped first); an append and a pop of the head do.
        txn.write(`fifo/${def.name}/${ev.object.kind}`);
        c = { ...c, informers: { ...c.informers, [ev.object.kind]: appendEvent(inf, new WatchedEvent(ev.type, key, ev.object)) } };
        changed = true;
      }
      if (changed) txn.setController(def.name, c);
    }
  }

  /** Perform one API effect; returns the result or throws the ApiError. Records footprint and a note. */
  private performApi(txn: StepTxn, e: Effect, actor: string): unknown {
    if (this.system.admission?.length && e.op !== 'get' && e.op !== 'list') this.admit(txn, e, actor);
    switch (e.op) {
      case 'get':
        txn.read(`api/${objectKey(e.kind, e.namespace, e.name)}`);
        return getObject(txn.world.api, e.kind, e.namespace, e.name);
      case 'list':
        txn.read(`api/${e.kind}/*`);
        return listObjects(txn.world.api, e.kind, e.options);
      case 'create':
        txn.read('clock');
        txn.write(`api/${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, e.object.metadata?.name ?? '')}`);
        if (e.object.metadata?.namespace) txn.read(`api/Namespace/${e.object.metadata.namespace}`);
        return this.api(txn, (s, env) => createObject(s, env, e.object));
      case 'update':
        txn.write(`api/${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, e.object.metadata?.name ?? '')}`);
        return this.api(txn, (s, env) => updateObject(s, env, e.object));
      case 'updateStatus':
        txn.write(`api/${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, e.object.metadata?.name ?? '')}`);
        return this.api(txn, (s, env) => updateStatus(s, env, e.object));
      case 'patch':
        txn.write(`api/${objectKey(e.kind, e.namespace, e.name)}`);
        return this.api(txn, (s, env) => patchObject(s, env, e.kind, e.namespace, e.name, e.patch, { subresource: e.subresource }));
      case 'delete':
        txn.read('clock');
        txn.write(`api/${objectKey(e.kind, e.namespace, e.name)}`);
        return this.api(txn, (s, env) => deleteObject(s, env, e.kind, e.namespace, e.name, e.options));
      default:
        throw new Error(`not an API effect: ${e.op}`);
    }
  }

  /** Run validating admission webhooks; a denial throws 403 like the real server. */
  private admit(txn: StepTxn, e: Effect, actor: string): void {
    let request: AdmissionRequest;
    const stored = (kind: string, ns: string | undefined, name: string) => txn.world.api.objects[objectKey(kind, ns, name)];
    switch (e.op) {
      case 'create':
      case 'update':
      case 'updateStatus': {
        const m = e.object.metadata ?? {};
        const name = m.name ?? '';
        const kind = e.object.kind ?? '';
        request = { verb: e.op, kind, namespace: m.namespace, name, object: e.object, oldObject: stored(kind, m.namespace, name), actor, ...(e.op === 'updateStatus' ? { subresource: 'status' as const } : {}) };
        break;
      }
      case 'patch': {
        // A webhook validates the object the patch would store: apply it to a scratch copy of the
        // state (pure); if it fails, the real call fails the same way after admission.
        let object: KubeObject | undefined;
        try {
          object = patchObject(txn.world.api, new StepApiEnv(txn.world.clock, txn.world.rng), e.kind, e.namespace, e.name, e.patch, { subresource: e.subresource }).result as KubeObject;
        } catch {
          object = undefined;
        }
        request = { verb: e.op, kind: e.kind, namespace: e.namespace, name: e.name, object, oldObject: stored(e.kind, e.namespace, e.name), actor, ...(e.subresource ? { subresource: 'status' as const } : {}) };
        break;
      }
      case 'delete':
        request = { verb: e.op, kind: e.kind, namespace: e.namespace, name: e.name, oldObject: stored(e.kind, e.namespace, e.name), actor };
        break;
      default:
        return;
    }
    if (request.oldObject) txn.read(`api/${keyOf(request.oldObject)}`);
    const list = (kind: string) => {
      txn.read(`api/${kind}/*`);
      return listObjects(txn.world.api, kind);
    };
    for (const hook of this.system.admission ?? []) {
      const denied = hook({ ...request, list });
      if (denied !== undefined) {
        throw new ApiError({ code: 403, reason: 'Forbidden', message: `admission webhook denied the request: ${denied}`, kind: request.kind, objectName: request.name });
      }
    }
  }

  // --- user operations ----------------------------------------------------------------------

  private runUser(txn: StepTxn, action: Extract<Action, { kind: 'user' }>): void {
    const op = action.op;
    txn.write(`user/${action.actor}`);
    for (const k of op.afterGone ?? []) txn.read(`api/${k}`);
    // Enabled only when nothing else is: depends on every other actor.
    if (op.whenIdle) txn.read('*');
    txn.set('users', { ...txn.world.users, [action.actor]: (txn.world.users[action.actor] ?? 0) + 1 });
    try {
      const result = this.performApi(txn, userOpEffect(op), action.actor);
      txn.notes.push(describeApiResult(result));
    } catch (e) {
      if (!isApiError(e)) throw e;
      txn.notes.push(`error: ${e.message}`);
    }
  }

  // --- informers ------------------------------------------------------------------------------

  /** Pop the head key with `count` deltas; each is applied to the cache, then handed to the handlers (W2). */
  private runDeliver(txn: StepTxn, ctrl: string, kind: string, count: number, actionId: string): void {
    const def = this.controllerDefs.get(ctrl)!;
    const c = txn.controller(ctrl);
    const inf = c.informers[kind];
    const popped = popDeltas(inf, count);
    const key = popped.deltas[0].key;
    // What the pop depends on: this key's deltas, and the events of other keys that precede the
    // last delta popped (they decide that this key is the head and that the prefix may be taken).
    // Later appends commute with the pop.
    txn.read(`pending/${ctrl}/${key}`);
    if (count > 1) {
      const last = popped.deltas[count - 1];
      for (const ev of inf.pending) {
        if (ev === last) break;
        if (ev.key !== key) txn.read(`pending/${ctrl}/${ev.key}`);
      }
    }
    txn.write(`pending/${ctrl}/${key}`);
    txn.write(`cache/${ctrl}/${key}`);
    // Every popped delta reaches the indexer before the handlers run: for a pop of several deltas
    // the listener lags behind the cache, so a handler can see a cache newer than its notification.
    let cache = popped.informer.cache;
    const olds: (StoredObject | undefined)[] = [];
    for (const ev of popped.deltas) {
      const applied = applyDelta(cache, ev);
      olds.push(applied.old);
      cache = applied.cache;
    }
    txn.setController(ctrl, { ...c, informers: { ...c.informers, [kind]: { ...popped.informer, cache } } });
    const handlers = def.watches[kind];
    for (let i = 0; i < popped.deltas.length; i++) {
      const ev = popped.deltas[i];
      const old = olds[i];
      const ctx = this.handlerContext(txn, ctrl);
      let ret: unknown;
      try {
        if (ev.type === 'DELETED') ret = handlers.delete?.(ctx, ev.object, { tombstone: !!ev.tombstone });
        else if (ev.type === 'RESYNC') ret = handlers.update?.(ctx, ev.object, ev.object);
        else if (old) ret = handlers.update?.(ctx, old, ev.object);
        else ret = handlers.add?.(ctx, ev.object);
      } catch (e) {
        txn.fail({ kind: 'handler-threw', message: `${ctrl} event handler for ${kind} threw ${errorText(e)}`, actionId });
        return;
      }
      if (abandonIfPromise(ret)) {
        txn.fail({ kind: 'bad-effect', message: `${ctrl} event handler for ${kind} returned a Promise; event handlers must be synchronous (no async/await)`, actionId });
        return;
      }
    }
  }

  private handlerContext(txn: StepTxn, ctrl: string): HandlerContext<any> {
    return new EventHandlerContext(this.host, txn, ctrl);
  }


  private informerOf(txn: StepTxn, ctrl: string, kind: string): InformerState {
    const inf = txn.controller(ctrl).informers[kind];
    if (!inf) throw new Error(`controller ${ctrl} has no informer for kind ${kind} (add it to watches)`);
    return inf;
  }

  private enqueue(txn: StepTxn, ctrl: string, queue: string, key: string, delayMs: number, rateLimited: boolean): void {
    const c = txn.controller(ctrl);
    const q = c.queues[queue];
    if (!q) throw new Error(`controller ${ctrl} has no queue ${queue}`);
    txn.write(`queue/${ctrl}/${queue}`);
    const limiter = this.controllerDefs.get(ctrl)!.queues[queue].rateLimiter ?? wq.defaultRateLimiter;
    const next = rateLimited
      ? wq.addRateLimited(q, key, txn.world.clock, limiter)
      : wq.addAfter(q, key, delayMs, txn.world.clock);
    if (next !== q) txn.setController(ctrl, { ...c, queues: { ...c.queues, [queue]: next } });
  }

  // --- reconcile handlers ---------------------------------------------------------------------

  private runBegin(txn: StepTxn, ctrl: string, queue: string, actionId: string): void {
    const def = this.controllerDefs.get(ctrl)!;
    const qdef = def.queues[queue];
    const c = txn.controller(ctrl);
    const got = wq.get(c.queues[queue])!;
    const [key, q] = got;
    txn.write(`queue/${ctrl}/${queue}`);
    txn.setController(ctrl, { ...c, queues: { ...c.queues, [queue]: q } });
    const id = `${ctrl}/${queue}/${key}`;
    txn.write(`inflight/${id}`);
    const gen = this.startGenerator(() => qdef.reconcile(reconcileContext, key), txn, actionId);
    if (!gen) return this.finishReconcile(txn, ctrl, queue, key, { kind: 'error' });
    const base: Omit<Inflight, 'pending'> = { id, controller: ctrl, queue, key, handler: handlerName(qdef), results: undefined, steps: 0 };
    this.drive(txn, base, gen, { kind: 'next', value: undefined, first: true }, actionId);
  }

  private runBeginTask(txn: StepTxn, ctrl: string, task: string, actionId: string): void {
    const def = this.controllerDefs.get(ctrl)!;
    const body = task === TASK_START ? def.start! : def.periodic![task].run;
    const id = `${ctrl}/task/${task}`;
    txn.write(`inflight/${id}`);
    txn.write(`timer/${ctrl}/${task}`);
    if (task !== TASK_START) {
      txn.updateController(ctrl, (c) => {
        return { ...c, timers: withoutKey(c.timers, task) };
      });
    }
    const gen = this.startGenerator(() => body(reconcileContext) as Gen, txn, actionId);
    if (!gen) return this.finishTask(txn, ctrl, task);
    const base: Omit<Inflight, 'pending'> = { id, controller: ctrl, task, key: '', handler: body.name || task, results: undefined, steps: 0 };
    this.drive(txn, base, gen, { kind: 'next', value: undefined, first: true }, actionId);
  }

  private startGenerator(make: () => Gen, txn: StepTxn, actionId: string): Gen | undefined {
    let gen: unknown;
    try {
      gen = make();
    } catch (e) {
      txn.fail({ kind: 'handler-threw', message: `handler threw before its first effect: ${errorText(e)}`, actionId });
      return undefined;
    }
    abandonIfPromise(gen);
    if (typeof gen !== 'object' || gen === null || typeof (gen as Gen).next !== 'function' || Symbol.asyncIterator in gen) {
      txn.fail({
        kind: 'bad-effect',
        message: 'a handler must be a generator function (function*) that yields ctx effects; async functions and plain functions cannot be scheduled',
        actionId,
      });
      return undefined;
    }
    return gen as Gen;
  }

  private runResume(txn: StepTxn, ctrl: string, inflightId: string, fail: boolean, actionId: string): void {
    const f = txn.controller(ctrl).inflight[inflightId];
    txn.write(`inflight/${inflightId}`);
    const gen = (f instanceof InflightRecord ? f.takeGenerator() : undefined) ?? this.replay(f);
    const e = f.pending;
    let input: DriveInput;
    if (fail) {
      txn.set('faults', { ...txn.world.faults, apiErrors: txn.world.faults.apiErrors - 1 });
      txn.write('faults');
      const err = internalError(`injected fault on ${describeEffect(e)}`);
      txn.notes.push(`injected fault: ${err.message}`);
      input = { kind: 'throw', error: err };
    } else {
      input = this.performScheduling(txn, ctrl, inflightId, e);
    }
    this.drive(txn, f, gen, input, actionId);
  }

  /** Rebuild a handler's generator by feeding it its recorded results (a different branch consumed the live one). */
  private replay(f: Inflight): Gen {
    const def = this.controllerDefs.get(f.controller)!;
    const gen: Gen = f.queue
      ? def.queues[f.queue].reconcile(reconcileContext, f.key)
      : ((f.task === TASK_START ? def.start! : def.periodic![f.task!].run)(reconcileContext) as Gen);
    const results: EffectResult[] = [];
    for (let r = f.results; r; r = r.tail) results.push(r.head);
    results.reverse();
    let next = gen.next();
    for (const r of results) {
      if (next.done) throw new Error(`replay of ${f.id} ended early: the handler is not deterministic`);
      next = r.ok ? gen.next(r.value) : gen.throw(r.error);
    }
    return gen;
  }

  private performScheduling(txn: StepTxn, ctrl: string, inflightId: string, e: Effect): DriveInput {
    if (e.op === 'lock') {
      const lk = `${e.mutex}/${e.key}`;
      txn.read(`lock/${ctrl}/${lk}`);
      txn.write(`lock/${ctrl}/${lk}`);
      txn.updateController(ctrl, (c) => ({ ...c, locks: withKey(c.locks, lk, inflightId) }));
      return { kind: 'next', value: undefined };
    }
    if (e.op === 'sleep') {
      txn.read('clock');
      return { kind: 'next', value: undefined };
    }
    if (e.op === 'external') {
      const def = this.externalDefs.get(e.system);
      if (!def) return { kind: 'throw', error: new Error(`unknown external system ${e.system}`) };
      const call = def.calls[e.call];
      if (!call) return { kind: 'throw', error: new Error(`external system ${e.system} has no call ${e.call}`) };
      const fpKey = def.footprint ? def.footprint(e.call, e.args) : '*';
      txn.read(`ext/${e.system}/${fpKey}`);
      txn.write(`ext/${e.system}/${fpKey}`);
      try {
        const out = call(txn.world.externals[e.system], e.args);
        if (out.state !== txn.world.externals[e.system]) {
          txn.set('externals', { ...txn.world.externals, [e.system]: out.state });
        }
        txn.notes.push(`${describeEffect(e)} -> ok`);
        return { kind: 'next', value: out.result };
      } catch (err) {
        txn.notes.push(`${describeEffect(e)} -> error: ${errorText(err)}`);
        return { kind: 'throw', error: err };
      }
    }
    try {
      const value = this.performApi(txn, e, ctrl);
      txn.notes.push(`${describeEffect(e)} -> ${describeApiResult(value)}`);
      return { kind: 'next', value };
    } catch (err) {
      if (!isApiError(err)) return { kind: 'throw', error: err };
      txn.notes.push(`${describeEffect(e)} -> ${err.code} ${err.reason}: ${err.message}`);
      return { kind: 'throw', error: err };
    }
  }

  /** Perform a local effect; returns its result (or a thrown error). */
  private performLocal(txn: StepTxn, ctrl: string, e: Effect): DriveInput {
    switch (e.op) {
      case 'unlock': {
        const lk = `${e.mutex}/${e.key}`;
        txn.write(`lock/${ctrl}/${lk}`);
        txn.updateController(ctrl, (c) => {
          return { ...c, locks: withoutKey(c.locks, lk) };
        });
        return { kind: 'next', value: undefined };
      }
      case 'listerGet': {
        const key = objectKey(e.kind, e.namespace, e.name);
        txn.read(`cache/${ctrl}/${key}`);
        const inf = this.informerOf(txn, ctrl, e.kind);
        const obj = inf.cache[key];
        if (!obj) {
          const def = txn.world.api.kinds[e.kind];
          return { kind: 'throw', error: def ? notFound({ resource: resourceOf(def), kind: e.kind }, e.name) : unknownKind(e.kind) };
        }
        return { kind: 'next', value: obj };
      }
      case 'listerList':
        txn.read(`cache/${ctrl}/${e.kind}/*`);
        return { kind: 'next', value: listCache(this.informerOf(txn, ctrl, e.kind), e.options) };
      case 'memoryGet':
        txn.read(`mem/${ctrl}`);
        return { kind: 'next', value: txn.controller(ctrl).memory };
      case 'memoryUpdate': {
        txn.read(`mem/${ctrl}`);
        txn.write(`mem/${ctrl}`);
        const memory = e.update(txn.controller(ctrl).memory);
        txn.updateController(ctrl, (c) => ({ ...c, memory }));
        return { kind: 'next', value: memory };
      }
      case 'externalRead':
        txn.read(`ext/${e.system}/*`);
        return { kind: 'next', value: txn.world.externals[e.system] };
      case 'enqueue':
        this.enqueue(txn, ctrl, e.queue, e.key, e.afterMs ?? 0, !!e.rateLimited);
        return { kind: 'next', value: undefined };
      case 'forget': {
        txn.write(`queue/${ctrl}/${e.queue}`);
        txn.updateController(ctrl, (c) => ({ ...c, queues: { ...c.queues, [e.queue]: wq.forget(c.queues[e.queue], e.key) } }));
        return { kind: 'next', value: undefined };
      }
      case 'now':
        txn.read('clock');
        return { kind: 'next', value: txn.world.clock };
      case 'log':
        txn.notes.push(e.message);
        return { kind: 'next', value: undefined };
      default:
        throw new Error(`not a local effect: ${e.op}`);
    }
  }

  /**
   * Resume a generator with `input`, perform local effects until it pauses at a scheduling
   * point (stored as the new in-flight record) or finishes (queue bookkeeping).
   */
  private drive(txn: StepTxn, base: Omit<Inflight, 'pending'>, gen: Gen, input: DriveInput, actionId: string): void {
    const ctrl = base.controller;
    let results: ResultList | undefined = base.results;
    // The very first next() of a generator carries no result; every later input is recorded for replay.
    if (!input.first) results = withResult(results, input);
    let local = 0;
    let current = input;
    for (;;) {
      let it: IteratorResult<Effect, ReconcileResult>;
      try {
        it = current.kind === 'next' ? gen.next(current.value) : gen.throw(current.error);
      } catch (err) {
        if (isApiError(err) || err instanceof ReconcileError || err instanceof ExternalError) {
          txn.notes.push(`${base.handler}(${base.key}) returned error: ${err.message}`);
          this.finish(txn, base, { kind: 'error' });
        } else {
          txn.fail({ kind: 'handler-threw', message: `${base.handler}(${base.key}) threw ${errorText(err)}`, actionId });
        }
        return;
      }
      if (it.done) {
        this.finish(txn, base, outcomeOf(it.value));
        return;
      }
      let e = it.value;
      if (!isEffect(e)) {
        const what = abandonIfPromise(e) ? 'a Promise' : JSON.stringify(e) ?? String(e);
        txn.fail({
          kind: 'bad-effect',
          message: `${base.handler}(${base.key}) yielded ${what}; handlers may only yield* ctx effects (no await, no I/O outside the engine)`,
          actionId,
        });
        return;
      }
      if (isSchedulingPoint(e)) {
        if (base.steps + 1 > this.maxSteps) {
          txn.fail({ kind: 'budget-exceeded', message: `${base.handler}(${base.key}) passed ${this.maxSteps} scheduling points without finishing`, actionId });
          return;
        }
        if (e.op === 'sleep') {
          txn.read('clock');
          e = { op: 'sleep', ms: e.ms, until: txn.world.clock + e.ms };
        }
        const f = new InflightRecord(base, ctrl, results, base.steps + 1, e, gen);
        txn.updateController(ctrl, (c) => ({ ...c, inflight: withKey(c.inflight, f.id, f) }));
        return;
      }
      if (++local > this.maxLocal) {
        txn.fail({ kind: 'budget-exceeded', message: `${base.handler}(${base.key}) performed ${this.maxLocal} effects without reaching a scheduling point`, actionId });
        return;
      }
      try {
        current = this.performLocal(txn, ctrl, e);
      } catch (err) {
        txn.fail({ kind: 'bad-effect', message: `${base.handler}(${base.key}): ${errorText(err)}`, actionId });
        return;
      }
      results = withResult(results, current);
    }
  }

  private finish(txn: StepTxn, base: Omit<Inflight, 'pending'>, outcome: wq.ReconcileOutcome): void {
    txn.updateController(base.controller, (c) => {
      if (!(base.id in c.inflight)) return c;
      return { ...c, inflight: withoutKey(c.inflight, base.id) };
    });
    if (base.queue) this.finishReconcile(txn, base.controller, base.queue, base.key, outcome);
    else this.finishTask(txn, base.controller, base.task!);
  }

  private finishReconcile(txn: StepTxn, ctrl: string, queue: string, key: string, outcome: wq.ReconcileOutcome): void {
    const limiter = this.controllerDefs.get(ctrl)!.queues[queue].rateLimiter ?? wq.defaultRateLimiter;
    txn.write(`queue/${ctrl}/${queue}`);
    if (outcome.kind !== 'success') txn.notes.push(`requeue ${key} (${outcome.kind})`);
    txn.updateController(ctrl, (c) => ({
      ...c,
      queues: { ...c.queues, [queue]: wq.finishItem(c.queues[queue], key, outcome, txn.world.clock, limiter) },
    }));
  }

  private finishTask(txn: StepTxn, ctrl: string, task: string): void {
    const def = this.controllerDefs.get(ctrl)!;
    txn.write(`timer/${ctrl}/${task}`);
    txn.updateController(ctrl, (c) => {
      if (task === TASK_START) {
        const timers: Record<string, number> = {};
        for (const [name, p] of Object.entries(def.periodic ?? {})) timers[name] = txn.world.clock + (p.initialDelayMs ?? 0);
        return { ...c, started: true, timers };
      }
      return { ...c, timers: withKey(c.timers, task, txn.world.clock + def.periodic![task].everyMs) };
    });
  }

  // --- time, system actors, faults ------------------------------------------------------------

  private runClock(txn: StepTxn, to: number): void {
    txn.read('clock');
    txn.write('clock');
    // Which time comes next depends on every delayed item and timer.
    txn.read('queue/*');
    txn.read('timer/*');
    // ... and on every sleeping handler (ctx.sleep).
    txn.read('inflight/*');
    txn.set('clock', to);
    for (const def of this.system.controllers) {
      const c = txn.controller(def.name);
      let queues = c.queues;
      for (const [name, q] of Object.entries(c.queues)) {
        const p = wq.promoteReady(q, to);
        if (p !== q) {
          txn.write(`queue/${def.name}/${name}`);
          queues = { ...queues, [name]: p };
        }
      }
      for (const task of Object.keys(c.timers)) txn.read(`timer/${def.name}/${task}`);
      if (queues !== c.queues) txn.setController(def.name, { ...c, queues });
    }
  }

  private runSystem(txn: StepTxn, action: SystemAction): void {
    // System actors decide from the whole API state.
    txn.read('api/*');
    try {
      const result = this.api(txn, (s, env) => action.apply(s, env));
      txn.notes.push(describeApiResult(result));
    } catch (e) {
      if (!isApiError(e)) throw e;
      txn.notes.push(`error: ${e.message}`);
    }
  }

  private runRestart(txn: StepTxn, ctrl: string): void {
    txn.write('*');
    const def = this.controllerDefs.get(ctrl)!;
    const old = txn.controller(ctrl);
    txn.set('faults', { ...txn.world.faults, restarts: txn.world.faults.restarts - 1 });
    txn.setController(ctrl, this.freshController(def, txn.world.api, old.restarts + 1));
    txn.notes.push(`${ctrl} crashed: memory, caches, queues and ${Object.keys(old.inflight).length} in-flight handlers lost; restarting`);
  }

  /** W3: the watch broke; pending events are lost and a relist turns the difference into events (tombstones for deletes). */
  private runDisconnect(txn: StepTxn, ctrl: string, kind: string): void {
    txn.write(`pending/${ctrl}/${kind}/*`);
    txn.read(`cache/${ctrl}/${kind}/*`);
    txn.read(`api/${kind}/*`);
    txn.set('faults', { ...txn.world.faults, watchDisconnects: txn.world.faults.watchDisconnects - 1 });
    const c = txn.controller(ctrl);
    const { informer, dropped } = relist(c.informers[kind], listObjects(txn.world.api, kind));
    txn.setController(ctrl, { ...c, informers: { ...c.informers, [kind]: informer } });
    txn.notes.push(`watch of ${kind} lost ${dropped} events; relist yields ${informer.pending.length}`);
  }

  /** W4: resync re-delivers every cached object as update(old, new) with equal RVs, without the server. */
  private runResync(txn: StepTxn, ctrl: string, kind: string): void {
    txn.write(`pending/${ctrl}/${kind}/*`);
    txn.read(`cache/${ctrl}/${kind}/*`);
    txn.set('faults', { ...txn.world.faults, resyncs: txn.world.faults.resyncs - 1 });
    const c = txn.controller(ctrl);
    txn.setController(ctrl, { ...c, informers: { ...c.informers, [kind]: resync(c.informers[kind]) } });
  }
}

type DriveInput = { kind: 'next'; value: unknown; first?: boolean } | { kind: 'throw'; error: unknown; first?: undefined };

function withResult(results: ResultList | undefined, input: DriveInput): ResultList {
  const head: EffectResult = input.kind === 'next' ? { ok: true, value: input.value } : { ok: false, error: input.error };
  return { head, tail: results, length: (results?.length ?? 0) + 1 };
}

/** Own keys of a record, counting no further than `limit`. */
function countKeys(rec: object, limit: number): number {
  let n = 0;
  for (const _k in rec) if (++n >= limit) break;
  return n;
}

function handlerName(q: QueueDef<any>): string {
  return q.handlerName ?? (q.reconcile.name || 'reconcile');
}

function outcomeOf(r: ReconcileResult): wq.ReconcileOutcome {
  if (r && r.requeueAfterMs !== undefined && r.requeueAfterMs > 0) return { kind: 'requeueAfter', delayMs: r.requeueAfterMs };
  if (r && r.requeue) return { kind: 'requeue' };
  return { kind: 'success' };
}

function listCache(inf: InformerState, options: ListOptions | undefined): StoredObject[] {
  const out: StoredObject[] = [];
  for (const key of Object.keys(inf.cache).sort()) {
    const obj = inf.cache[key];
    if (options?.namespace && obj.metadata.namespace !== options.namespace) continue;
    if (options?.labelSelector && !matchesSelector(obj.metadata.labels ?? {}, options.labelSelector)) continue;
    out.push(obj);
  }
  return out;
}

export function opsByActor(ops: readonly UserOp[]): Map<string, UserOp[]> {
  const m = new Map<string, UserOp[]>();
  for (const op of ops) {
    const actor = op.actor ?? 'user';
    let list = m.get(actor);
    if (!list) m.set(actor, (list = []));
    list.push(op);
  }
  return m;
}

export function describeUserOp(op: UserOp): string {
  switch (op.verb) {
    case 'create':
      return `create ${objectKey(op.object.kind ?? '', op.object.metadata?.namespace, op.object.metadata?.name ?? `${op.object.metadata?.generateName ?? ''}<generated>`)}`;
    case 'delete':
      return `delete ${objectKey(op.kind, op.namespace, op.name)}`;
    case 'patch':
      return `patch ${objectKey(op.kind, op.namespace, op.name)} ${JSON.stringify(op.patch)}`;
  }
}

function userOpEffect(op: UserOp): Effect {
  switch (op.verb) {
    case 'create':
      return { op: 'create', object: op.object };
    case 'delete':
      return { op: 'delete', kind: op.kind, namespace: op.namespace, name: op.name, options: op.options };
    case 'patch':
      return { op: 'patch', kind: op.kind, namespace: op.namespace, name: op.name, patch: op.patch };
  }
}

function describeApiResult(result: unknown): string {
  if (Array.isArray(result)) return `${result.length} items`;
  if (result && typeof result === 'object') {
    const r = result as { deleted?: boolean; object?: StoredObject; metadata?: StoredObject['metadata'] };
    if (r.object && typeof r.deleted === 'boolean') {
      return r.deleted ? `deleted (rv ${r.object.metadata.resourceVersion})` : `terminating (rv ${r.object.metadata.resourceVersion})`;
    }
    if (r.metadata?.resourceVersion) return `ok (rv ${r.metadata.resourceVersion})`;
  }
  return 'ok';
}

export type { KubeObject };

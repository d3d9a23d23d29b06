/**
 * A controller's workers (controller-runtime's Controller, client-go's processNextWorkItem
 * loop) and its in-flight handlers.
 *
 * - Workers: a `begin` action takes a queue's head key while fewer than `workers` keys of that
 *   queue are processing (Q2, Q3), once every informer has synced; start-up code runs once
 *   before any worker; periodic tasks begin when their timer is due. The reconcile outcome goes
 *   back to the workqueue (Q6: error -> rate-limited requeue, RequeueAfter -> Forget + AddAfter,
 *   success -> Forget) and a task's timer is re-armed.
 * - In-flight handlers: a handler generator runs until its next scheduling point and is stored
 *   in the world as an {@link Inflight} record of the effect results it has received; a `resume`
 *   action performs its pending effect (./perform.ts) and drives it on. The live generator is
 *   used by the first branch that resumes it; any other branch rebuilds it by replaying the
 *   recorded results, which is why handlers must be deterministic in their results. Budgets
 *   (local effects per step, scheduling points per handler) and misuse (a thrown error, an
 *   async function, a yielded Promise) end the execution with a failure.
 */
import { describeEffect } from './describe.ts';
import { type Effect, type ReconcileResult, ReconcileError, isEffect, isSchedulingPoint, reconcileContext } from './effects.ts';
import type { Action } from './actions.ts';
import { injectApiError } from './faults.ts';
import { performLocal, performScheduling, touchQueue } from './perform.ts';
import { withKey, withoutKey } from './records.ts';
import { abandonIfPromise, type DriveInput, received, type Engine, errorText, isApiError, type StepTxn } from './step.ts';
import { type ControllerDef, ExternalError, type QueueDef } from './system.ts';
import * as wq from './workqueue.ts';
import type { ControllerState, EffectResult, Inflight, ResultList, World } from './world.ts';

export const TASK_START = 'start';

type Gen = Generator<Effect, ReconcileResult, unknown>;

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

/** The engine's own in-flight records (a plain {@link Inflight} copy is accepted too: it replays). */
export function isInflightRecord(f: unknown): boolean {
  return f instanceof InflightRecord;
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

const queueLists = new WeakMap<ControllerDef<any>, readonly QueueEntry[]>();

/** A controller's queues in definition order, with their begin ids memoised per item. */
function queuesOf(def: ControllerDef<any>): readonly QueueEntry[] {
  let list = queueLists.get(def);
  if (!list) {
    list = Object.entries(def.queues).map(([name, q]) => new QueueEntry(def.name, name, q));
    queueLists.set(def, list);
  }
  return list;
}

/** The id of resuming an in-flight handler (without the fault suffix). */
function resumeId(f: Inflight): string {
  if (f instanceof InflightRecord) return f.resumeId();
  return `${f.controller}/${f.queue ?? f.task}: ${f.handler}(${f.key}) ${describeEffect(f.pending)}`;
}

/**
 * A controller's handler actions: resuming each in-flight handler not blocked on a held lock or a
 * sleep (and, while the API-error budget lasts, resuming it with an injected error); then, once
 * every cache has synced (`synced`), start-up code, or workers taking queue heads and due periodic tasks.
 */
export function workerActions(world: World, def: ControllerDef<any>, c: ControllerState, synced: boolean, out: Action[]): void {
  const ctrl = def.name;
  // In-flight handlers paused at a scheduling point.
  const inflightIds = Object.keys(c.inflight);
  if (inflightIds.length > 1) inflightIds.sort();
  for (const id of inflightIds) {
    const f = c.inflight[id];
    const p = f.pending;
    if (p.op === 'lock' && c.locks[f instanceof InflightRecord ? f.lockKey() : `${p.mutex}/${p.key}`] !== undefined) continue;
    if (p.op === 'sleep' && world.clock < p.until!) continue;
    const base = resumeId(f);
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
  for (const entry of queuesOf(def)) {
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

/** A worker takes the queue's head key (Q2) and runs the reconciler up to its first scheduling point. */
export function runBegin(eng: Engine, txn: StepTxn, ctrl: string, queue: string, actionId: string): void {
  const def = eng.controllerDefs.get(ctrl)!;
  const qdef = def.queues[queue];
  const c = txn.controller(ctrl);
  const got = wq.get(c.queues[queue])!;
  const [key, q] = got;
  // Taking the head reads the order and the worker count (what made this begin enabled).
  txn.read(`queue/${ctrl}/${queue}/@order`);
  txn.read(`queue/${ctrl}/${queue}/@busy`);
  touchQueue(txn, ctrl, queue, key, c.queues[queue], q);
  txn.setController(ctrl, { ...c, queues: { ...c.queues, [queue]: q } });
  const id = `${ctrl}/${queue}/${key}`;
  txn.write(`inflight/${id}`);
  const gen = startGenerator(() => qdef.reconcile(reconcileContext, key), txn, actionId);
  if (!gen) return finishReconcile(eng, txn, ctrl, queue, key, { kind: 'error' });
  const base: Omit<Inflight, 'pending'> = { id, controller: ctrl, queue, key, handler: handlerName(qdef), results: undefined, steps: 0 };
  drive(eng, txn, base, gen, { kind: 'next', value: undefined, first: true }, actionId);
}

/** Start-up code or a due periodic task begins. */
export function runBeginTask(eng: Engine, txn: StepTxn, ctrl: string, task: string, actionId: string): void {
  const def = eng.controllerDefs.get(ctrl)!;
  const body = task === TASK_START ? def.start! : def.periodic![task].run;
  const id = `${ctrl}/task/${task}`;
  txn.write(`inflight/${id}`);
  txn.write(`timer/${ctrl}/${task}`);
  if (task !== TASK_START) {
    txn.updateController(ctrl, (c) => {
      return { ...c, timers: withoutKey(c.timers, task) };
    });
  }
  const gen = startGenerator(() => body(reconcileContext) as Gen, txn, actionId);
  if (!gen) return finishTask(eng, txn, ctrl, task);
  const base: Omit<Inflight, 'pending'> = { id, controller: ctrl, task, key: '', handler: body.name || task, results: undefined, steps: 0 };
  drive(eng, txn, base, gen, { kind: 'next', value: undefined, first: true }, actionId);
}

function startGenerator(make: () => Gen, txn: StepTxn, actionId: string): Gen | undefined {
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

/** Perform an in-flight handler's pending effect (or throw an injected API error into it) and drive it on. */
export function runResume(eng: Engine, txn: StepTxn, ctrl: string, inflightId: string, fail: boolean, actionId: string): void {
  const f = txn.controller(ctrl).inflight[inflightId];
  txn.write(`inflight/${inflightId}`);
  const gen = (f instanceof InflightRecord ? f.takeGenerator() : undefined) ?? replay(eng, f);
  const e = f.pending;
  let input: DriveInput = fail ? injectApiError(txn, e) : performScheduling(eng, txn, ctrl, inflightId, e);
  try {
    input = received(e, input, eng.options.keepFullResults);
  } catch (err) {
    txn.fail({ kind: 'bad-effect', message: `${f.handler}(${f.key}): ctx.keep threw ${errorText(err)}`, actionId });
    return;
  }
  drive(eng, txn, f, gen, input, actionId);
}

/** Rebuild a handler's generator by feeding it its recorded results (a different branch consumed the live one). */
function replay(eng: Engine, f: Inflight): Gen {
  const def = eng.controllerDefs.get(f.controller)!;
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

/**
 * Resume a generator with `input`, perform local effects until it pauses at a scheduling
 * point (stored as the new in-flight record) or finishes (queue bookkeeping).
 */
function drive(eng: Engine, txn: StepTxn, base: Omit<Inflight, 'pending'>, gen: Gen, input: DriveInput, actionId: string): void {
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
        finish(eng, txn, base, { kind: 'error' });
      } else {
        txn.fail({ kind: 'handler-threw', message: `${base.handler}(${base.key}) threw ${errorText(err)}`, actionId });
      }
      return;
    }
    if (it.done) {
      finish(eng, txn, base, outcomeOf(it.value));
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
      if (base.steps + 1 > eng.maxSteps) {
        txn.fail({ kind: 'budget-exceeded', message: `${base.handler}(${base.key}) passed ${eng.maxSteps} scheduling points without finishing`, actionId });
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
    if (++local > eng.maxLocal) {
      txn.fail({ kind: 'budget-exceeded', message: `${base.handler}(${base.key}) performed ${eng.maxLocal} effects without reaching a scheduling point`, actionId });
      return;
    }
    try {
      current = received(e, performLocal(eng, txn, ctrl, e), eng.options.keepFullResults);
    } catch (err) {
      txn.fail({ kind: 'bad-effect', message: `${base.handler}(${base.key}): ${errorText(err)}`, actionId });
      return;
    }
    results = withResult(results, current);
  }
}

function finish(eng: Engine, txn: StepTxn, base: Omit<Inflight, 'pending'>, outcome: wq.ReconcileOutcome): void {
  txn.updateController(base.controller, (c) => {
    if (!(base.id in c.inflight)) return c;
    return { ...c, inflight: withoutKey(c.inflight, base.id) };
  });
  if (base.queue) finishReconcile(eng, txn, base.controller, base.queue, base.key, outcome);
  else finishTask(eng, txn, base.controller, base.task!);
}

/** Q6: the reconcile outcome goes back to the workqueue (Done, with requeue or Forget). */
function finishReconcile(eng: Engine, txn: StepTxn, ctrl: string, queue: string, key: string, outcome: wq.ReconcileOutcome): void {
  const limiter = eng.controllerDefs.get(ctrl)!.queues[queue].rateLimiter ?? wq.defaultRateLimiter;
  if (outcome.kind !== 'success') txn.notes.push(`requeue ${key} (${outcome.kind})`);
  const before = txn.controller(ctrl).queues[queue];
  const after = wq.finishItem(before, key, outcome, txn.world.clock, limiter);
  touchQueue(txn, ctrl, queue, key, before, after);
  if (Object.keys(before.processing).length >= eng.controllerDefs.get(ctrl)!.queues[queue].workers) txn.write(`queue/${ctrl}/${queue}/@busy`);
  txn.updateController(ctrl, (c) => ({ ...c, queues: { ...c.queues, [queue]: after } }));
}

/** Start-up done: the controller is started and its periodic tasks armed; a periodic task done: re-armed. */
function finishTask(eng: Engine, txn: StepTxn, ctrl: string, task: string): void {
  const def = eng.controllerDefs.get(ctrl)!;
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

function withResult(results: ResultList | undefined, input: DriveInput): ResultList {
  const head: EffectResult =
    input.kind === 'throw' ? { ok: false, error: input.error } : input.raw !== undefined ? { ok: true, value: input.value, raw: input.raw } : { ok: true, value: input.value };
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

/**
 * The deterministic simulator: from a world, which actions are enabled, and what one
 * action does. Both are pure functions of (system, world); the Simulator instance only
 * caches lookups built from the system definition and the generators of in-flight handlers
 * (rebuilt by replay whenever a world is stepped from a different branch).
 *
 * The concepts live in files named after their client-go / controller-runtime counterparts;
 * this file only gathers the enabled actions in a fixed order and dispatches a step:
 * - ./shared-informer.ts: informer deliveries, event handlers, relist (W3) and resync (W4);
 *   ./informer.ts the DeltaFIFO and cache (W2), ./watch.ts the watch stream, ./lister.ts listers (W5);
 * - ./controller.ts: workers on workqueues (Q2, Q3, Q6), start-up and periodic tasks, in-flight
 *   handlers (resume, replay); ./perform.ts what each effect does; ./workqueue.ts the queue (Q1–Q5);
 * - ./client.ts: API requests and admission webhooks; ./system-actors.ts the cluster's own actors;
 * - ./users.ts: scenario users; ./faults.ts: faults; ./clock.ts: the virtual clock;
 *   ./manager.ts: a controller process starting; ./step.ts: one step's scratch and footprint.
 */
import { emptyApiState } from '../api/server.ts';
import type { KubeObject } from '../api/types.ts';
import type { Action, StepResult } from './actions.ts';
import { clockAction, nextTimer, runClock } from './clock.ts';
import { runBegin, runBeginTask, runResume, workerActions } from './controller.ts';
import { faultActions, runDisconnect, runRestart, runResync } from './faults.ts';
import { freshController } from './manager.ts';
import { seedState } from './rng.ts';
import { deliverActions, runDeliver } from './shared-informer.ts';
import { type Engine, StepTxn } from './step.ts';
import { SystemActors, runSystem } from './system-actors.ts';
import type { ControllerDef, EngineOptions, ExternalSystemDef, Scenario, SystemDef } from './system.ts';
import { userActions, runUser } from './users.ts';
import type { World } from './world.ts';

export type { Action, ActionKind, LogEntry, StepResult } from './actions.ts';
export { describeUserOp, opsByActor } from './users.ts';

const DEFAULT_MAX_LOCAL = 10_000;
const DEFAULT_MAX_STEPS = 1_000;

export class Simulator implements Engine {
  readonly system: SystemDef;
  readonly options: EngineOptions;
  readonly controllerDefs: ReadonlyMap<string, ControllerDef<any>>;
  readonly externalDefs: ReadonlyMap<string, ExternalSystemDef<any>>;
  readonly maxLocal: number;
  readonly maxSteps: number;
  private readonly systemActors: SystemActors;

  constructor(system: SystemDef, options: EngineOptions = {}) {
    this.system = system;
    this.options = options;
    this.controllerDefs = new Map(system.controllers.map((c) => [c.name, c]));
    this.externalDefs = new Map((system.externals ?? []).map((e) => [e.name, e]));
    this.maxLocal = options.maxLocalEffects ?? DEFAULT_MAX_LOCAL;
    this.maxSteps = options.maxReconcileSteps ?? DEFAULT_MAX_STEPS;
    this.systemActors = new SystemActors(system);
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
      world = { ...world, controllers: { ...world.controllers, [c.name]: freshController(c, world.api, 0) } };
    }
    return world;
  }

  /** Every action enabled in `world`, in a fixed order (deliveries, handlers, system actors, users, faults, clock). */
  enabled(world: World, scenario: Scenario): Action[] {
    if (world.failure) return [];
    const out: Action[] = [];
    for (const def of this.system.controllers) {
      const c = world.controllers[def.name];
      const synced = deliverActions(c, def.name, out);
      workerActions(world, def, c, synced, out);
    }
    for (const a of this.systemActors.actionsOf(world.api)) out.push(a);
    userActions(world, scenario, out, out.length === 0);
    faultActions(this, world, out);
    const clock = clockAction(this, world);
    if (clock) out.push(clock);
    return out;
  }

  /** Earliest future time at which something becomes due (delayed queue items, periodic tasks). */
  nextTimer(world: World): number | undefined {
    return nextTimer(this, world);
  }

  /** Execute one enabled action. */
  step(world: World, action: Action, scenario: Scenario): StepResult {
    const txn = new StepTxn(world);
    switch (action.kind) {
      case 'user':
        runUser(this, txn, action);
        break;
      case 'deliver':
        runDeliver(this, txn, action.controller, action.informer, action.count, action.id);
        break;
      case 'begin':
        runBegin(this, txn, action.controller, action.queue, action.id);
        break;
      case 'beginTask':
        runBeginTask(this, txn, action.controller, action.task, action.id);
        break;
      case 'resume':
        runResume(this, txn, action.controller, action.inflight, action.fail, action.id);
        break;
      case 'clock':
        runClock(this, txn, action.to);
        break;
      case 'system':
        runSystem(this, txn, action.action);
        break;
      case 'restart':
        runRestart(this, txn, action.controller);
        break;
      case 'disconnect':
        runDisconnect(txn, action.controller, action.informer);
        break;
      case 'resync':
        runResync(txn, action.controller, action.informer);
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
}

export type { KubeObject };

/**
 * Faults, each offered as an action with actor `fault` while its budget ({@link FaultBudget})
 * lasts, never taken by the default policy: a controller crash and restart (memory, caches,
 * queues and in-flight handlers lost; see ./manager.ts for what a fresh process has), a broken
 * watch followed by a relist (W3), an informer resync (W4), and an API call failing with a 500
 * (the `!fail` variant of resuming a handler at an API call, offered in ./controller.ts).
 */
import { internalError } from '../api/errors.ts';
import type { Action } from './actions.ts';
import { describeEffect } from './describe.ts';
import type { Effect } from './effects.ts';
import { freshController } from './manager.ts';
import { relistInformer, resyncInformer } from './shared-informer.ts';
import type { DriveInput, Engine, StepTxn } from './step.ts';
import type { World } from './world.ts';

export function faultActions(eng: Engine, world: World, out: Action[]): void {
  const f = world.faults;
  for (const def of eng.system.controllers) {
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

export function runRestart(eng: Engine, txn: StepTxn, ctrl: string): void {
  txn.write('*');
  const def = eng.controllerDefs.get(ctrl)!;
  const old = txn.controller(ctrl);
  txn.set('faults', { ...txn.world.faults, restarts: txn.world.faults.restarts - 1 });
  txn.setController(ctrl, freshController(def, txn.world.api, old.restarts + 1));
  txn.notes.push(`${ctrl} crashed: memory, caches, queues and ${Object.keys(old.inflight).length} in-flight handlers lost; restarting`);
}

/** W3: the watch broke; pending events are lost and the informer relists. */
export function runDisconnect(txn: StepTxn, ctrl: string, kind: string): void {
  txn.set('faults', { ...txn.world.faults, watchDisconnects: txn.world.faults.watchDisconnects - 1 });
  relistInformer(txn, ctrl, kind);
}

/** W4: the informer resyncs. */
export function runResync(txn: StepTxn, ctrl: string, kind: string): void {
  txn.set('faults', { ...txn.world.faults, resyncs: txn.world.faults.resyncs - 1 });
  resyncInformer(txn, ctrl, kind);
}

/** The pending API call `e` of a handler fails with a 500 instead of reaching the server. */
export function injectApiError(txn: StepTxn, e: Effect): DriveInput {
  txn.set('faults', { ...txn.world.faults, apiErrors: txn.world.faults.apiErrors - 1 });
  txn.write('faults');
  const err = internalError(`injected fault on ${describeEffect(e)}`);
  txn.notes.push(`injected fault: ${err.message}`);
  return { kind: 'throw', error: err };
}

/**
 * The cluster's own actors as actions: the garbage collector (G*), the namespace controller
 * (N1) and the kubelet (pods' graceful deletion, D9), as chosen by `SystemDef.systemActors`.
 * Their decisions are pure functions of the API state (src/api/actors.ts).
 */
import { garbageCollectorActions, kubeletActions, namespaceControllerActions, type SystemAction } from '../api/actors.ts';
import type { ApiState } from '../api/types.ts';
import type { Action } from './actions.ts';
import { api, describeApiResult } from './client.ts';
import { type Engine, isApiError, type StepTxn } from './step.ts';
import type { SystemDef } from './system.ts';

/** System actor steps as actions; a pure function of the API state, so cached per state. */
export class SystemActors {
  private readonly cache = new WeakMap<ApiState, readonly Action[]>();
  constructor(private readonly system: SystemDef) {}

  actionsOf(api: ApiState): readonly Action[] {
    let actions = this.cache.get(api);
    if (!actions) {
      actions = this.systemActions(api).map((a): Action => ({ kind: 'system', id: a.id, actor: a.actor, action: a }));
      this.cache.set(api, actions);
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
}

export function runSystem(eng: Engine, txn: StepTxn, action: SystemAction): void {
  // System actors decide from the whole API state.
  txn.read('api/*');
  try {
    const result = api(eng, txn, (s, env) => action.apply(s, env));
    txn.notes.push(describeApiResult(result));
  } catch (e) {
    if (!isApiError(e)) throw e;
    txn.notes.push(`error: ${e.message}`);
  }
}

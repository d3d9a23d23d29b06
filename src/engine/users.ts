/**
 * Scenario users: each actor of a scenario (`user`, `admin`, ...) performs its operations in
 * order, one action per operation, possibly waiting until some objects are gone (`afterGone`)
 * or until nothing else can happen (`whenIdle`). An operation is an API request like
 * kubectl's (./client.ts); its error, if any, is only noted.
 */
import { objectKey } from '../api/keys.ts';
import type { Action } from './actions.ts';
import { describeApiResult, performApi } from './client.ts';
import type { Effect } from './effects.ts';
import { type Engine, isApiError, type StepTxn } from './step.ts';
import type { Scenario, UserOp } from './system.ts';
import type { World } from './world.ts';

type ByActor = ReadonlyArray<readonly [actor: string, ops: readonly UserOp[], ids: readonly string[]]>;

/** Per scenario: its actors, their operations and action ids (pure functions of the operations). */
const userOpCache = new WeakMap<readonly UserOp[], ByActor>();

/** Each actor's next operation, if it is enabled; `idle`: no other action is enabled. */
export function userActions(world: World, scenario: Scenario, out: Action[], idle: boolean): void {
  let byActor = userOpCache.get(scenario.ops);
  if (!byActor) {
    byActor = [...opsByActor(scenario.ops)].map(([actor, ops]) => [actor, ops, ops.map((op) => `${actor}: ${describeUserOp(op)}`)] as const);
    userOpCache.set(scenario.ops, byActor);
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

export function runUser(eng: Engine, txn: StepTxn, action: Extract<Action, { kind: 'user' }>): void {
  const op = action.op;
  txn.write(`user/${action.actor}`);
  for (const k of op.afterGone ?? []) txn.read(`api/${k}`);
  // Enabled only when nothing else is: depends on every other actor.
  if (op.whenIdle) txn.read('*');
  txn.set('users', { ...txn.world.users, [action.actor]: (txn.world.users[action.actor] ?? 0) + 1 });
  try {
    const result = performApi(eng, txn, userOpEffect(op), action.actor);
    txn.notes.push(describeApiResult(result));
  } catch (e) {
    if (!isApiError(e)) throw e;
    txn.notes.push(`error: ${e.message}`);
  }
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

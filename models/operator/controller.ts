/**
 * The operator's controller, controller-runtime style: one queue keyed `namespace/name`, fed
 * by every add, update and delete event, one worker. The reconcile programs the cloud rule
 * and a finalizer; on deletion it deletes the cloud rule, then removes the finalizer.
 *
 * The finalizer's place is the variant, in the shape of Kube-OVN's iptables FIP handler
 * (pkg/controller/vpc_nat_gw_nat.go):
 * - `after`: create the cloud rule, write status, then add the finalizer — handleAddIptablesFip
 *   of v1.13.8 (createFipInPod, patchFipStatus, patchFipLabel, then
 *   handleAddIptablesFipFinalizer): an object deleted before the finalizer lands goes at once
 *   and its cloud rule leaks (kubeovn/kube-ovn#5115).
 * - `first`: add the finalizer first and stop when that write fails (controller-runtime's
 *   `if err := r.Update(ctx, obj); err != nil { return ctrl.Result{}, err }`), the order
 *   kubeovn/kube-ovn#5142 introduced.
 * - `first-ignore-notfound`: the finalizer first, but the finalizer step re-reads the lister
 *   and treats NotFound as success — handleAddIptablesFipFinalizer of v1.13.9 and master, which
 *   returns nil on a NotFound lister get or patch, after which handleAddIptablesFip goes on to
 *   createFipInPod. With a stale cache the object can already be gone.
 */
import { type Effect, type ReconcileContext, defineController, isNotFound } from '../../src/index.ts';
import { CLOUD, FINALIZER, type FirewallRule, ruleId } from './objects.ts';

export type FinalizerPlacement = 'after' | 'first' | 'first-ignore-notfound';

export interface OperatorConfig {
  readonly finalizer: FinalizerPlacement;
}

export const CONTROLLER = 'firewall-operator';
export const QUEUE = 'firewallrules';

type Ctx = ReconcileContext<null>;

function* cachedRule(ctx: Ctx, ns: string, name: string): Generator<Effect, FirewallRule | undefined, unknown> {
  try {
    return yield* ctx.lister<FirewallRule>('FirewallRule').get(ns, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Merge patch of metadata.finalizers (GenerateMergePatchPayload): the whole list, no resourceVersion. */
function* patchFinalizers(ctx: Ctx, rule: FirewallRule, finalizers: readonly string[]): Generator<Effect, void, unknown> {
  yield* ctx.client.patch('FirewallRule', rule.metadata.namespace, rule.metadata.name, { metadata: { finalizers: [...finalizers] } });
}

/**
 * Add the finalizer. `first` (controller-runtime): from the object in hand; an error (NotFound
 * included) ends the reconcile. `after` and `first-ignore-notfound`: the shape of
 * handleAddIptablesFipFinalizer (v1.13.8/v1.13.9 ~760): re-read the lister, skip a terminating
 * or already finalized object, and return success on NotFound.
 */
function* addFinalizer(ctx: Ctx, cfg: OperatorConfig, rule: FirewallRule): Generator<Effect, void, unknown> {
  if (cfg.finalizer === 'first') {
    const fins = rule.metadata.finalizers ?? [];
    if (!fins.includes(FINALIZER)) yield* patchFinalizers(ctx, rule, [...fins, FINALIZER]);
    return;
  }
  const cached = yield* cachedRule(ctx, rule.metadata.namespace!, rule.metadata.name);
  if (!cached) return;
  if (cached.metadata.deletionTimestamp || (cached.metadata.finalizers ?? []).length !== 0) return;
  try {
    yield* patchFinalizers(ctx, cached, [FINALIZER]);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
}

/**
 * Reconcile `namespace/name`: the shape of handleAddIptablesFip (add path) and of
 * handleUpdateIptablesFip's deletion branch (deleteFipInPod, then handleDelIptablesFipFinalizer).
 */
export function reconcileFirewallRule(cfg: OperatorConfig) {
  return function* reconcileFirewallRule(ctx: Ctx, key: string): Generator<Effect, void, unknown> {
    const [ns, name] = key.split('/');
    const rule = yield* cachedRule(ctx, ns, name);
    if (!rule) return; // deleted: nothing left to do (for a rule without finalizer, nothing CAN be done)
    const id = ruleId(ns, name);
    const finalizers = rule.metadata.finalizers ?? [];
    if (rule.metadata.deletionTimestamp) {
      if (!finalizers.includes(FINALIZER)) return;
      yield* ctx.external(CLOUD, 'deleteRule', { id });
      try {
        yield* patchFinalizers(ctx, rule, finalizers.filter((f) => f !== FINALIZER));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (rule.status?.ready && finalizers.includes(FINALIZER)) return; // already programmed
    if (cfg.finalizer !== 'after') yield* addFinalizer(ctx, cfg, rule);
    yield* ctx.external(CLOUD, 'createRule', { id, port: rule.spec!.port, source: rule.spec!.source });
    yield* ctx.client.patch('FirewallRule', ns, name, { status: { ready: true, ruleId: id } }, 'status');
    if (cfg.finalizer === 'after') yield* addFinalizer(ctx, cfg, rule);
  };
}

export function operatorController(cfg: OperatorConfig) {
  const enqueue = (ctx: { enqueue(queue: string, key: string): void }, obj: FirewallRule) => ctx.enqueue(QUEUE, `${obj.metadata.namespace}/${obj.metadata.name}`);
  return defineController<null>({
    name: CONTROLLER,
    initialMemory: null,
    watches: {
      FirewallRule: {
        add: (ctx, obj) => enqueue(ctx, obj as FirewallRule),
        update: (ctx, _old, obj) => enqueue(ctx, obj as FirewallRule),
        delete: (ctx, obj) => enqueue(ctx, obj as FirewallRule),
      },
    },
    queues: { [QUEUE]: { workers: 1, reconcile: reconcileFirewallRule(cfg) } },
  });
}

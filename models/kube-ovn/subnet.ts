/** Subnet handlers of kube-ovn-controller (pkg/controller/subnet.go). */
import { jsonEqual, ReconcileError, type Effect, type EventHandlers } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import { type Ctx, type KubeOvnMemory, Q, SUBNET_KEY_MUTEX, listerGet, nothing } from './context.ts';
import { addOrUpdateSubnet, deleteSubnet, usingRange } from './ipam.ts';
import { OVN_NB } from './ovn.ts';
import { FINALIZER_NEW, FINALIZER_V112, type IP, type Subnet, type SubnetCondition, type SubnetStatus } from './objects.ts';

export function subnetHandlers(cfg: KubeOvnConfig): EventHandlers<KubeOvnMemory> {
  return {
    // mirrors pkg/controller/subnet.go enqueueAddSubnet
    add(ctx, obj) {
      ctx.enqueue(Q.addOrUpdateSubnet, obj.metadata.name!);
    },
    // mirrors pkg/controller/subnet.go enqueueUpdateSubnet (v1.12.28 ~58; master ~81 readyToRemoveFinalizer):
    // a level check of the NEW cached object on every update event.
    update(ctx, oldObj, newObj) {
      const [oldSubnet, subnet] = [oldObj as Subnet, newObj as Subnet];
      const usingIPs = subnet.status?.v4usingIPs ?? 0;
      if (subnet.metadata.deletionTimestamp && usingIPs === 0) {
        ctx.enqueue(Q.addOrUpdateSubnet, subnet.metadata.name);
        return;
      }
      if (!jsonEqual(oldSubnet.spec, subnet.spec)) ctx.enqueue(Q.addOrUpdateSubnet, subnet.metadata.name);
    },
    // mirrors pkg/controller/subnet.go enqueueDeleteSubnet (the informer DELETE: the object is gone)
    delete(ctx, obj) {
      ctx.enqueue(Q.deleteSubnet, obj.metadata.name!);
    },
  };
}

/**
 * How many IP CRs a subnet counts: by the `<subnet>=""` label (v1.12) or by spec.subnet (master
 * #6814). The handler keeps only the number (ctx.keep): calcSubnetStatusIP uses
 * `len(podUsedIPs)` (v1.12.28 subnet.go ~2137; the excludeIps loop is not modelled), and fix 2's
 * finalizer decision only compares the count with 0.
 */
function* countedIPs(ctx: Ctx, cfg: KubeOvnConfig, name: string, live: boolean): Generator<Effect, number, unknown> {
  if (cfg.countBySpec) {
    const counts = (all: readonly IP[]) => all.filter((ip) => ip.spec?.subnet === name || (ip.spec?.attachSubnets ?? []).includes(name)).length;
    return yield* ctx.keep(live ? ctx.client.list<IP>('IP') : ctx.lister<IP>('IP').list(), counts);
  }
  const sel = { labelSelector: `${name}=` };
  return yield* ctx.keep(live ? ctx.client.list<IP>('IP', sel) : ctx.lister<IP>('IP').list(sel), (ips) => ips.length);
}

/**
 * mirrors pkg/apis/kubeovn/v1/condition.go setConditionValue (v1.12.28 ~22; master subnet.go ~230):
 * an unchanged (status, reason, message) leaves the condition byte-identical; otherwise status,
 * reason and message change, with LastUpdateTime (and on a status change LastTransitionTime).
 * Abstraction: the two times are left out. They change only together with the reason or status,
 * so they never decide whether a status patch is a real write (M5) and no handler reads them;
 * keeping them would only make otherwise equal states differ by the clock.
 */
export function setCondition(conditions: readonly SubnetCondition[] | undefined, type: string, reason: string): SubnetCondition[] {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === type);
  if (i < 0) {
    list.push({ type, status: 'True', reason, message: '' });
    return list;
  }
  const c = list[i];
  if (c.status === 'True' && c.reason === reason && (c.message ?? '') === '') return list;
  list[i] = { ...c, status: 'True', reason, message: '' };
  return list;
}

/** Reasons for which patchSubnetStatus also sets Ready (pkg/controller/subnet.go ~526, v1.12.28). */
const READY_REASONS = new Set(['SetPrivateLogicalSwitchSuccess', 'ResetLogicalSwitchAclSuccess', 'ReconcileCentralizedGatewaySuccess', 'SetNonOvnSubnetSuccess']);

/**
 * mirrors pkg/controller/subnet.go patchSubnetStatus (v1.12.28 ~526; master subnet_status.go ~50):
 * sets the Validated (and for some reasons Ready) condition on the copy in hand and merge-patches
 * its WHOLE status to /status without a resourceVersion; the response is discarded, so the handler
 * goes on with its (possibly stale) copy. v1.12.28 only logs an error; master returns it.
 */
function* patchSubnetStatus(ctx: Ctx, cfg: KubeOvnConfig, subnet: Subnet, reason: string): Generator<Effect, Subnet, unknown> {
  let conditions = setCondition(subnet.status?.conditions, 'Validated', reason);
  if (READY_REASONS.has(reason)) conditions = setCondition(conditions, 'Ready', reason);
  const status: SubnetStatus = { ...subnet.status, conditions };
  const updated = { ...subnet, status } as Subnet;
  try {
    yield* ctx.ignoreResult(ctx.client.patch<Subnet>('Subnet', undefined, subnet.metadata.name, { status }, 'status'));
  } catch (e) {
    yield* ctx.log(`failed to patch status for subnet ${subnet.metadata.name}: ${(e as Error).message}`);
    if (cfg.subnetStatusPatchErrorAborts) throw e;
  }
  return updated;
}

/**
 * mirrors pkg/controller/subnet.go calcSubnetStatusIP (v1.12.28 ~2126; master subnet_status.go ~176):
 * usingIPs = IP CRs in the IP cache that the subnet counts (terminating ones too), compared with
 * the copy passed in (for handleUpdateSubnetStatus the CACHED object) and patched only when
 * different: v1.12.28 patches the whole status of the copy, master only the IP fields. Returns the
 * copy with the new counts (v1.12.28 mutates subnet.Status in place), or with #3469 / master the
 * object the patch returned.
 * Simplification: excludeIps inside the CIDR and VIPs/EIPs are not counted.
 */
function* calcSubnetStatusIP(ctx: Ctx, cfg: KubeOvnConfig, subnet: Subnet): Generator<Effect, Subnet, unknown> {
  const name = subnet.metadata.name;
  const using = yield* countedIPs(ctx, cfg, name, false);
  const { pool, range } = yield* ctx.memory((m) => ({ pool: m.ipam[name]?.pool.length ?? 0, range: usingRange(m.ipam, name) }));
  const ipFields = { v4usingIPs: using, v4availableIPs: Math.max(0, pool - using), v4usingIPRange: range };
  const status: SubnetStatus = { ...subnet.status, ...ipFields };
  const updated = { ...subnet, status } as Subnet;
  if (cfg.statusWriteEvenIfCachedEqual || !jsonEqual(status, subnet.status ?? {})) {
    const stored = yield* ctx.client.patch<Subnet>('Subnet', undefined, name, { status: cfg.calcPatchesOnlyIPFields ? ipFields : status }, 'status');
    // #3469 / master: `subnet, err = c.calcSubnetStatusIP(subnet)` goes on with the server's object.
    if (cfg.statusBeforeFinalizer) return stored;
  }
  return updated;
}

/**
 * mirrors pkg/controller/subnet.go handleSubnetFinalizer (v1.12.28 ~497; master ~316): add the
 * finalizer to a live subnet, remove it from a terminating one whose count is 0. v1.12.28: full
 * Update from the cached copy (its resourceVersion: a Conflict is an error, retried), then a 1 s
 * sleep after adding; master: a merge patch of metadata.finalizers (no resourceVersion), removing
 * both finalizer names. The count is the one on the copy in hand (v1.12.28: the cached status;
 * #3469 / master: the recount), or with proposed fix 2 a live LIST. Returns true when the
 * finalizer was removed (the handler then returns).
 */
function* handleSubnetFinalizer(ctx: Ctx, cfg: KubeOvnConfig, subnet: Subnet): Generator<Effect, boolean, unknown> {
  const finalizers = subnet.metadata.finalizers ?? [];
  const write = (next: readonly string[]): Generator<Effect, unknown, unknown> =>
    cfg.subnetFinalizerByPatch
      ? ctx.client.patch('Subnet', undefined, subnet.metadata.name, { metadata: { finalizers: next.length ? next : null } })
      : ctx.client.update({ ...subnet, metadata: { ...subnet.metadata, finalizers: [...next] } });
  if (!subnet.metadata.deletionTimestamp) {
    if (!finalizers.includes(cfg.finalizer)) {
      yield* write(cfg.subnetFinalizerByPatch ? [...finalizers.filter((f) => f !== FINALIZER_V112), cfg.finalizer] : [...finalizers, cfg.finalizer]);
      // "wait local cache ready"
      if (cfg.sleepAfterSubnetFinalizerAdd) yield* ctx.sleep(1000);
    }
    return false;
  }
  const usingIPs = cfg.fix2SubnetLock ? yield* countedIPs(ctx, cfg, subnet.metadata.name, true) : (subnet.status?.v4usingIPs ?? 0);
  if (usingIPs !== 0) return false;
  const ours = cfg.finalizer === FINALIZER_NEW ? [FINALIZER_V112, FINALIZER_NEW] : [cfg.finalizer];
  yield* write(finalizers.filter((f) => !ours.includes(f)));
  return true;
}

/**
 * mirrors pkg/controller/subnet.go handleAddOrUpdateSubnet (v1.12.28 ~704; master ~532), under
 * subnetKeyMutex, on one copy of the cached subnet:
 * - v1.12.28: handleSubnetFinalizer on the CACHED status (a removal returns at once, ~728) ->
 *   patchSubnetStatus ValidateLogicalSwitchSuccess (~738) -> IPAM -> calcSubnetStatusIP ->
 *   logical switch -> patchSubnetStatus ResetLogicalSwitchAclSuccess (~877). The two reasons
 *   alternate, so every full run makes two real status writes, each a MODIFIED event that
 *   enqueueUpdateSubnet re-checks.
 * - #3469 / master (statusBeforeFinalizer): validate patch -> IPAM -> recount -> finalizer decision
 *   on the recounted copy -> logical switch -> ResetLogicalSwitchAclSuccess.
 * - proposed fix 2: the finalizer decision counts IP CRs with a live LIST.
 * Simplifications: formatSubnet, vpc/vlan/u2o/ACL/DHCP/LB reconciliation are not modelled
 * (scenario subnets are created already formatted, in the default VPC, not private).
 */
export function handleAddOrUpdateSubnet(cfg: KubeOvnConfig) {
  return function* handleAddOrUpdateSubnet(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
    yield* ctx.withLock(SUBNET_KEY_MUTEX, name, function* () {
      let subnet = yield* listerGet<Subnet>(ctx, 'Subnet', undefined, name);
      if (!subnet) return;
      const spec = subnet.spec!;
      const addToIpam = () => ctx.updateMemory((m) => ({ ...m, ipam: addOrUpdateSubnet(m.ipam, name, spec.cidrBlock, spec.excludeIps) }), nothing);
      if (cfg.statusBeforeFinalizer) {
        subnet = yield* patchSubnetStatus(ctx, cfg, subnet, 'ValidateLogicalSwitchSuccess');
        yield* addToIpam();
        subnet = yield* calcSubnetStatusIP(ctx, cfg, subnet);
        if (yield* handleSubnetFinalizer(ctx, cfg, subnet)) return;
      } else {
        if (yield* handleSubnetFinalizer(ctx, cfg, subnet)) return;
        subnet = yield* patchSubnetStatus(ctx, cfg, subnet, 'ValidateLogicalSwitchSuccess');
        yield* addToIpam();
        subnet = yield* calcSubnetStatusIP(ctx, cfg, subnet);
      }
      yield* ctx.external(OVN_NB, 'createLogicalSwitch', { name });
      yield* patchSubnetStatus(ctx, cfg, subnet, 'ResetLogicalSwitchAclSuccess');
    });
  };
}

/**
 * mirrors pkg/controller/subnet.go handleDeleteSubnet -> handleDeleteLogicalSwitch (v1.12.28 ~994, ~943):
 * ipam.DeleteSubnet first, then the logical switch and its ports. Pod IP CRs are not touched.
 */
export function* handleDeleteSubnet(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
  yield* ctx.withLock(SUBNET_KEY_MUTEX, name, function* () {
    yield* ctx.updateMemory((m) => ({ ...m, ipam: deleteSubnet(m.ipam, name) }), nothing);
    yield* ctx.external(OVN_NB, 'deleteLogicalSwitch', { name });
  });
}

/** mirrors pkg/controller/subnet.go handleUpdateSubnetStatus (v1.12.28 ~902): recount from the cached copy, then checkSubnetUsingIPs. */
export function handleUpdateSubnetStatus(cfg: KubeOvnConfig) {
  return function* handleUpdateSubnetStatus(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
    yield* ctx.withLock(SUBNET_KEY_MUTEX, name, function* () {
      const subnet = yield* listerGet<Subnet>(ctx, 'Subnet', undefined, name);
      if (!subnet) return;
      const counted = yield* calcSubnetStatusIP(ctx, cfg, subnet);
      // checkSubnetUsingIPs (~934): IPs counted while IPAM holds no range is an error (retried).
      const using = counted.status?.v4usingIPs ?? 0;
      if (using !== 0 && counted.status?.v4usingIPRange === '') {
        throw new ReconcileError(`number of subnet ${name} usingIPs ${using} but usingIPRange is empty`);
      }
    });
  };
}

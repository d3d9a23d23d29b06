/** Subnet handlers of kube-ovn-controller (pkg/controller/subnet.go). */
import { jsonEqual } from '../../src/api/json.ts';
import type { Effect } from '../../src/engine/effects.ts';
import { ReconcileError } from '../../src/engine/effects.ts';
import type { EventHandlers } from '../../src/engine/system.ts';
import type { KubeOvnConfig } from './config.ts';
import { type Ctx, type KubeOvnMemory, Q, SUBNET_KEY_MUTEX, listerGet } from './context.ts';
import { addOrUpdateSubnet, deleteSubnet, usingRange } from './ipam.ts';
import { OVN_NB } from './ovn.ts';
import { FINALIZER_NEW, FINALIZER_V112, type IP, type Subnet, type SubnetStatus } from './objects.ts';

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

/** IP CRs a subnet counts: by the `<subnet>=""` label (v1.12) or by spec.subnet (master #6814). */
function* countedIPs(ctx: Ctx, cfg: KubeOvnConfig, name: string, live: boolean): Generator<Effect, IP[], unknown> {
  if (cfg.countBySpec) {
    const all = live ? yield* ctx.client.list<IP>('IP') : yield* ctx.lister<IP>('IP').list();
    return all.filter((ip) => ip.spec?.subnet === name || (ip.spec?.attachSubnets ?? []).includes(name));
  }
  const sel = { labelSelector: `${name}=` };
  return live ? yield* ctx.client.list<IP>('IP', sel) : yield* ctx.lister<IP>('IP').list(sel);
}

/**
 * mirrors pkg/controller/subnet.go calcSubnetStatusIP (v1.12.28 ~2126): usingIPs = IP CRs in
 * the IP cache that the subnet counts (terminating ones too); patched only when different
 * from the CACHED status; then checkSubnetUsingIPs fails when IPs are counted but IPAM holds none.
 * Simplification: excludeIps inside the CIDR and VIPs/EIPs are not counted.
 */
function* calcSubnetStatusIP(ctx: Ctx, cfg: KubeOvnConfig, subnet: Subnet): Generator<Effect, number, unknown> {
  const name = subnet.metadata.name;
  const using = (yield* countedIPs(ctx, cfg, name, false)).length;
  const memory = yield* ctx.memory();
  const pool = memory.ipam[name]?.pool.length ?? 0;
  const status: SubnetStatus = {
    ...subnet.status,
    v4usingIPs: using,
    v4availableIPs: Math.max(0, pool - using),
    v4usingIPRange: usingRange(memory.ipam, name),
  };
  if (cfg.statusWriteEvenIfCachedEqual || !jsonEqual(status, subnet.status ?? {})) {
    yield* ctx.client.patch('Subnet', undefined, name, { status }, 'status');
  }
  if (using !== 0 && status.v4usingIPRange === '') {
    throw new ReconcileError(`number of subnet ${name} usingIPs ${using} but usingIPRange is empty`);
  }
  return using;
}

/**
 * mirrors pkg/controller/subnet.go handleAddOrUpdateSubnet (v1.12.28 ~704) with
 * handleSubnetFinalizer (~497): under subnetKeyMutex; the finalizer decision uses the CACHED
 * status (v1.12) — with #3469 (statusBeforeFinalizer) a fresh recount, with proposed fix 2 a live
 * LIST; then the whole cached status is written back with the validation condition
 * (patchSubnetStatus), IPAM is updated, status recounted and the logical switch created.
 * Simplifications: formatSubnet, vpc/vlan/u2o/ACL/DHCP/LB reconciliation are not modelled
 * (scenario subnets are created already formatted).
 */
export function handleAddOrUpdateSubnet(cfg: KubeOvnConfig) {
  return function* handleAddOrUpdateSubnet(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
    yield* ctx.withLock(SUBNET_KEY_MUTEX, name, function* () {
      let subnet = yield* listerGet<Subnet>(ctx, 'Subnet', undefined, name);
      if (!subnet) return;
      const spec = subnet.spec!;
      // ValidateSubnet passes for scenario subnets; patchSubnetStatus then writes the WHOLE status of
      // the copy in hand (a stale cached count overwrites a fresher one on the server).
      function* patchValidated(current: Subnet): Generator<Effect, Subnet, unknown> {
        const status: SubnetStatus = { ...current.status, conditions: [{ type: 'Validated', status: 'True', reason: 'ValidateLogicalSwitchSuccess' }] };
        try {
          return yield* ctx.client.patch<Subnet>('Subnet', undefined, name, { status }, 'status');
        } catch (e) {
          yield* ctx.log(`failed to patch status of subnet ${name}: ${(e as Error).message}`);
          return current;
        }
      }
      let fresh: number | undefined;
      if (cfg.statusBeforeFinalizer) {
        // #3469 order: validate, IPAM, recount, then the finalizer decision on the fresh count.
        subnet = yield* patchValidated(subnet);
        yield* ctx.updateMemory((m) => ({ ...m, ipam: addOrUpdateSubnet(m.ipam, name, spec.cidrBlock, spec.excludeIps) }));
        fresh = yield* calcSubnetStatusIP(ctx, cfg, subnet);
      }
      // handleSubnetFinalizer
      const finalizers = subnet.metadata.finalizers ?? [];
      if (!subnet.metadata.deletionTimestamp) {
        if (!finalizers.includes(cfg.finalizer)) {
          subnet = yield* ctx.client.update<Subnet>({ ...subnet, metadata: { ...subnet.metadata, finalizers: [...finalizers, cfg.finalizer] } });
        }
      } else {
        const usingIPs = cfg.fix2SubnetLock ? (yield* countedIPs(ctx, cfg, name, true)).length : (fresh ?? subnet.status?.v4usingIPs ?? 0);
        if (usingIPs === 0) {
          const ours = cfg.finalizer === FINALIZER_NEW ? [FINALIZER_V112, FINALIZER_NEW] : [cfg.finalizer];
          yield* ctx.client.update({ ...subnet, metadata: { ...subnet.metadata, finalizers: finalizers.filter((f) => !ours.includes(f)) } });
          return;
        }
      }
      if (!cfg.statusBeforeFinalizer) {
        subnet = yield* patchValidated(subnet);
        yield* ctx.updateMemory((m) => ({ ...m, ipam: addOrUpdateSubnet(m.ipam, name, spec.cidrBlock, spec.excludeIps) }));
        yield* calcSubnetStatusIP(ctx, cfg, subnet);
      }
      yield* ctx.external(OVN_NB, 'createLogicalSwitch', { name });
    });
  };
}

/**
 * mirrors pkg/controller/subnet.go handleDeleteSubnet -> handleDeleteLogicalSwitch (v1.12.28 ~994, ~943):
 * ipam.DeleteSubnet first, then the logical switch and its ports. Pod IP CRs are not touched.
 */
export function* handleDeleteSubnet(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
  yield* ctx.withLock(SUBNET_KEY_MUTEX, name, function* () {
    yield* ctx.updateMemory((m) => ({ ...m, ipam: deleteSubnet(m.ipam, name) }));
    yield* ctx.external(OVN_NB, 'deleteLogicalSwitch', { name });
  });
}

/** mirrors pkg/controller/subnet.go handleUpdateSubnetStatus (v1.12.28 ~902). */
export function handleUpdateSubnetStatus(cfg: KubeOvnConfig) {
  return function* handleUpdateSubnetStatus(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
    yield* ctx.withLock(SUBNET_KEY_MUTEX, name, function* () {
      const subnet = yield* listerGet<Subnet>(ctx, 'Subnet', undefined, name);
      if (!subnet) return;
      yield* calcSubnetStatusIP(ctx, cfg, subnet);
    });
  };
}

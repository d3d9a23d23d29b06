/**
 * kube-ovn-controller's VPC and subnet handlers, as far as VPC deletion, the VPC and subnet
 * finalizers and VPC status are concerned (pkg/controller/vpc.go and subnet.go of v1.13.3,
 * v1.13.4 and v1.13.12; line numbers are approximate). Written against kuberace's public API only.
 *
 * - v1.13.3: no VPC finalizer: a VPC is deleted at once, before its subnets
 *   (kubeovn/kube-ovn#5068).
 * - v1.13.4 (backport of #5071, commit 3e7b7849c): formatVpc adds the finalizer and removes it
 *   once `status.subnets` is empty; handleUpdateVpcStatus requeues a VPC without subnets after 5 s.
 * - v1.13.12 (#5228, fixing #5220): handleAddOrUpdateVpc recomputes `status.subnets` from the
 *   subnet lister instead of writing back the subnets of its cached copy.
 *
 * Simplifications: one custom VPC (no default VPC, no external VPCs, no VPC NAT gateways);
 * static/policy routes, peering, load balancers, BFD, u2o, ACLs, DHCP, IPAM and subnet status
 * counting are not modelled (no pods: usingIPs stays 0); the subnet's validation status patch
 * and the 1 s sleep after adding its finalizer are left out; the delete queues carry the name
 * and the deleted object is kept in memory (Go queues the object).
 */
import {
  type Effect,
  type EventHandlers,
  type ReconcileContext,
  ReconcileError,
  type StoredObject,
  defineController,
  isNotFound,
} from '../../src/index.ts';
import { FINALIZER, type Subnet, type Vpc, type VpcStatus } from './objects.ts';
import { OVN_NB } from './ovn.ts';

export interface VpcConfig {
  /** The upstream version the variant follows. */
  readonly version: string;
  /** #5071: the VPC finalizer (formatVpc) and the 5 s requeue of a VPC without subnets. */
  readonly vpcFinalizer: boolean;
  /** #5228: handleAddOrUpdateVpc recomputes status.subnets from the subnet lister. */
  readonly recomputeStatusSubnets: boolean;
  /** `--worker-num` (default 3): workers of the delete-subnet queue. */
  readonly workerNum: number;
}

export interface VpcMemory {
  /** delVpcQueue carries the deleted Vpc object in Go; the model queues the name. */
  readonly deletedVpcs: Readonly<Record<string, Vpc>>;
  /** deleteSubnetQueue carries the deleted Subnet object in Go; likewise. */
  readonly deletedSubnets: Readonly<Record<string, Subnet>>;
}

export const CONTROLLER = 'kube-ovn-controller';

/** Queue names as in pkg/controller/controller.go. */
export const Q = {
  addOrUpdateVpc: 'addOrUpdateVpcQueue',
  delVpc: 'delVpcQueue',
  updateVpcStatus: 'updateVpcStatusQueue',
  addOrUpdateSubnet: 'addOrUpdateSubnetQueue',
  deleteSubnet: 'deleteSubnetQueue',
} as const;

const VPC_KEY_MUTEX = 'vpcKeyMutex';
const SUBNET_KEY_MUTEX = 'subnetKeyMutex';

type Ctx = ReconcileContext<VpcMemory>;

/** Structural equality of JSON values (reflect.DeepEqual on specs). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const terminating = (o: StoredObject) => o.metadata.deletionTimestamp !== undefined;

/** A lister Get that returns undefined on NotFound (`if k8serrors.IsNotFound(err) { return nil }`). */
function* listerGet<T extends StoredObject>(ctx: Ctx, kind: string, name: string): Generator<Effect, T | undefined, unknown> {
  try {
    return yield* ctx.lister<T>(kind).get(undefined, name);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** isOvnSubnet (subnet.go): provider `ovn` or empty. */
const isOvnSubnet = (s: Subnet) => !s.spec?.provider || s.spec.provider === 'ovn';

/**
 * mirrors pkg/controller/vpc.go getVpcSubnets (v1.13.4 ~953): the subnets in the SUBNET LISTER
 * whose spec.vpc is this VPC, not terminating, OVN subnets; and the default one.
 */
function* getVpcSubnets(ctx: Ctx, vpcName: string): Generator<Effect, { subnets: string[]; defaultSubnet: string }, unknown> {
  const subnets: string[] = [];
  let defaultSubnet = '';
  for (const s of yield* ctx.lister<Subnet>('Subnet').list()) {
    if (s.spec?.vpc !== vpcName || terminating(s) || !isOvnSubnet(s)) continue;
    subnets.push(s.metadata.name);
    if (s.spec.default) defaultSubnet = s.metadata.name;
  }
  return { subnets, defaultSubnet };
}

/** Vpc.Status.Bytes(): the whole status (no omitempty), as `{"status": ...}` for a merge patch on /status. */
function statusPatch(s: VpcStatus): { status: Required<VpcStatus> } {
  return {
    status: {
      standby: s.standby ?? false,
      default: s.default ?? false,
      defaultLogicalSwitch: s.defaultLogicalSwitch ?? '',
      router: s.router ?? '',
      subnets: s.subnets && s.subnets.length ? [...s.subnets] : s.subnets ? [] : null,
    },
  };
}

export function vpcHandlers(): EventHandlers<VpcMemory> {
  return {
    // mirrors pkg/controller/vpc.go enqueueAddVpc (v1.13.4 ~28): every non-external VPC.
    add(ctx, obj) {
      ctx.enqueue(Q.addOrUpdateVpc, obj.metadata.name);
    },
    // mirrors pkg/controller/vpc.go enqueueUpdateVpc (v1.13.4 ~46): a terminating VPC on every
    // update, otherwise spec, annotation or label changes (status-only updates are ignored).
    update(ctx, oldObj, newObj) {
      if (
        terminating(newObj) ||
        !same(oldObj.spec, newObj.spec) ||
        !same(oldObj.metadata.annotations, newObj.metadata.annotations) ||
        !same(oldObj.metadata.labels, newObj.metadata.labels)
      ) {
        ctx.enqueue(Q.addOrUpdateVpc, newObj.metadata.name);
      }
    },
    // mirrors pkg/controller/vpc.go enqueueDelVpc (v1.13.4 ~81): the deleted object goes to delVpcQueue.
    delete(ctx, obj) {
      const name = obj.metadata.name;
      ctx.updateMemory((m) => ({ ...m, deletedVpcs: { ...m.deletedVpcs, [name]: obj as Vpc } }));
      ctx.enqueue(Q.delVpc, name);
    },
  };
}

export function subnetHandlers(): EventHandlers<VpcMemory> {
  return {
    // mirrors pkg/controller/subnet.go enqueueAddSubnet (v1.13.4 ~35).
    add(ctx, obj) {
      ctx.enqueue(Q.addOrUpdateSubnet, obj.metadata.name);
    },
    // mirrors pkg/controller/subnet.go enqueueUpdateSubnet (v1.13.4 ~55): a terminating subnet
    // without IPs in use goes to addOrUpdateSubnetQueue (finalizer removal); a VPC change
    // refreshes the old VPC's status; spec changes are reconciled.
    update(ctx, oldObj, newObj) {
      const [oldSubnet, newSubnet] = [oldObj as Subnet, newObj as Subnet];
      if (terminating(newSubnet) && (newSubnet.status?.v4usingIPs ?? 0) === 0) {
        ctx.enqueue(Q.addOrUpdateSubnet, newSubnet.metadata.name);
        return;
      }
      if (oldSubnet.spec?.vpc !== newSubnet.spec?.vpc) ctx.enqueue(Q.updateVpcStatus, oldSubnet.spec?.vpc ?? '');
      if (!same(oldSubnet.spec, newSubnet.spec)) ctx.enqueue(Q.addOrUpdateSubnet, newSubnet.metadata.name);
    },
    // mirrors pkg/controller/subnet.go enqueueDeleteSubnet (v1.13.4 ~49).
    delete(ctx, obj) {
      const name = obj.metadata.name;
      ctx.updateMemory((m) => ({ ...m, deletedSubnets: { ...m.deletedSubnets, [name]: obj as Subnet } }));
      ctx.enqueue(Q.deleteSubnet, name);
    },
  };
}

/**
 * mirrors pkg/controller/vpc.go handleAddOrUpdateVpc (v1.13.3/v1.13.4 ~247, v1.13.12 ~247 with
 * #5228 at ~501) and formatVpc (v1.13.4 ~850): under vpcKeyMutex; formatVpc updates the
 * CACHED copy (finalizer added, or removed when the cached status.subnets is empty); then the
 * logical router; then the whole status of the copy in hand is written back (v1.13.3/4: its
 * subnets as cached, #5220; v1.13.12: recomputed from the subnet lister); then the VPC's subnets
 * are requeued.
 */
export function handleAddOrUpdateVpc(cfg: VpcConfig) {
  return function* handleAddOrUpdateVpc(ctx: Ctx, key: string): Generator<Effect, void, unknown> {
    yield* ctx.withLock(VPC_KEY_MUTEX, key, function* () {
      const cached = yield* listerGet<Vpc>(ctx, 'Vpc', key);
      if (!cached) return;
      let vpc = cached;
      // formatVpc: routes are not modelled; from #5071 the finalizer.
      if (cfg.vpcFinalizer) {
        let finalizers = vpc.metadata.finalizers ?? [];
        let changed = false;
        if (!terminating(vpc) && !finalizers.includes(FINALIZER)) {
          finalizers = [...finalizers, FINALIZER];
          changed = true;
        }
        if (terminating(vpc) && (vpc.status?.subnets ?? []).length === 0) {
          finalizers = finalizers.filter((f) => f !== FINALIZER);
          changed = true;
        }
        if (changed) vpc = yield* ctx.client.update<Vpc>({ ...vpc, metadata: { ...vpc.metadata, finalizers } });
      }
      // createVpcRouter
      yield* ctx.external(OVN_NB, 'createLogicalRouter', { name: key });
      let status: VpcStatus = { ...vpc.status };
      if (cfg.recomputeStatusSubnets) {
        const { subnets, defaultSubnet } = yield* getVpcSubnets(ctx, key);
        status = { ...status, subnets, defaultLogicalSwitch: defaultSubnet };
      }
      status = { ...status, router: key, standby: true };
      yield* ctx.client.patch<Vpc>('Vpc', undefined, key, statusPatch(status), 'status');
      for (const s of yield* ctx.lister<Subnet>('Subnet').list()) {
        if (s.spec?.vpc === key) yield* ctx.enqueue(Q.addOrUpdateSubnet, s.metadata.name);
      }
    });
  };
}

/**
 * mirrors pkg/controller/vpc.go handleDelVpc (v1.13.4 ~89): under vpcKeyMutex; fails while a
 * subnet listed in the deleted object's status.subnets is still in the subnet lister ("please
 * delete subnet first", requeued with backoff); then deletes the logical router named in
 * status.router. Load balancers and external subnets are not modelled.
 */
export function* handleDelVpc(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
  yield* ctx.withLock(VPC_KEY_MUTEX, name, function* () {
    const vpc = (yield* ctx.memory()).deletedVpcs[name];
    if (!vpc) return;
    for (const subnet of vpc.status?.subnets ?? []) {
      if (!(yield* listerGet<Subnet>(ctx, 'Subnet', subnet))) continue;
      throw new ReconcileError(`failed to delete vpc ${name}, please delete subnet ${subnet} first`);
    }
    // deleteVpcRouter(vpc.Status.Router): an empty name deletes nothing.
    const router = vpc.status?.router ?? '';
    if (router) yield* ctx.external(OVN_NB, 'deleteLogicalRouter', { name: router });
  });
}

/**
 * mirrors pkg/controller/vpc.go handleUpdateVpcStatus (v1.13.3 ~135; v1.13.4 adds the 5 s
 * requeue of #5071): under vpcKeyMutex; the CACHED VPC's whole status with subnets and default
 * subnet recomputed from the subnet lister is written back.
 */
export function handleUpdateVpcStatus(cfg: VpcConfig) {
  return function* handleUpdateVpcStatus(ctx: Ctx, key: string): Generator<Effect, void, unknown> {
    yield* ctx.withLock(VPC_KEY_MUTEX, key, function* () {
      const cached = yield* listerGet<Vpc>(ctx, 'Vpc', key);
      if (!cached) return;
      const { subnets, defaultSubnet } = yield* getVpcSubnets(ctx, key);
      const vpc = yield* ctx.client.patch<Vpc>('Vpc', undefined, key, statusPatch({ ...cached.status, defaultLogicalSwitch: defaultSubnet, subnets }), 'status');
      if (cfg.vpcFinalizer && (vpc.status?.subnets ?? []).length === 0) {
        yield* ctx.log(`vpc ${key} has no subnets, add to queue`);
        yield* ctx.enqueueAfter(Q.addOrUpdateVpc, key, 5_000);
      }
    });
  };
}

/**
 * mirrors pkg/controller/subnet.go handleAddOrUpdateSubnet (v1.13.4 ~613) with
 * handleSubnetFinalizer (~380) and validateVpcBySubnet (~456): under subnetKeyMutex; the
 * finalizer is added (merge patch) or, for a terminating subnet without IPs, removed — then the
 * handler ends; otherwise the subnet's VPC must be in the VPC lister and standby, the logical
 * switch is created on its router and the VPC's status is queued for an update.
 */
export function* handleAddOrUpdateSubnet(ctx: Ctx, key: string): Generator<Effect, void, unknown> {
  yield* ctx.withLock(SUBNET_KEY_MUTEX, key, function* () {
    let subnet = yield* listerGet<Subnet>(ctx, 'Subnet', key);
    if (!subnet) return;
    // handleSubnetFinalizer
    const finalizers = subnet.metadata.finalizers ?? [];
    if (!terminating(subnet) && !finalizers.includes(FINALIZER)) {
      subnet = yield* ctx.client.patch<Subnet>('Subnet', undefined, key, { metadata: { finalizers: [...finalizers, FINALIZER] } });
    } else if (terminating(subnet) && (subnet.status?.v4usingIPs ?? 0) === 0) {
      yield* ctx.client.patch('Subnet', undefined, key, { metadata: { finalizers: finalizers.filter((f) => f !== FINALIZER) } });
      return;
    }
    if (!isOvnSubnet(subnet)) return;
    // validateVpcBySubnet: the lister's NotFound is returned as the error.
    const vpcName = subnet.spec!.vpc;
    const vpc = yield* ctx.lister<Vpc>('Vpc').get(undefined, vpcName);
    if (!vpc.status?.standby) throw new ReconcileError(`the vpc '${vpcName}' not standby yet`);
    yield* ctx.external(OVN_NB, 'createLogicalSwitch', { name: key, router: vpc.status.router ?? '' });
    yield* ctx.enqueue(Q.updateVpcStatus, vpcName);
  });
}

/**
 * mirrors pkg/controller/subnet.go handleDeleteSubnet (v1.13.4 ~931): under subnetKeyMutex;
 * queues the VPC's status update first, then deletes the logical switch (routes and u2o are
 * not modelled).
 */
export function* handleDeleteSubnet(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
  yield* ctx.withLock(SUBNET_KEY_MUTEX, name, function* () {
    const subnet = (yield* ctx.memory()).deletedSubnets[name];
    if (!subnet) return;
    yield* ctx.enqueue(Q.updateVpcStatus, subnet.spec?.vpc ?? '');
    yield* ctx.external(OVN_NB, 'deleteLogicalSwitch', { name });
  });
}

/** kube-ovn-controller with the VPC and subnet informers and queues (controller.go startWorkers: one worker each, deleteSubnet workerNum). */
export function vpcController(cfg: VpcConfig) {
  return defineController<VpcMemory>({
    name: CONTROLLER,
    initialMemory: { deletedVpcs: {}, deletedSubnets: {} },
    watches: { Vpc: vpcHandlers(), Subnet: subnetHandlers() },
    queues: {
      [Q.addOrUpdateVpc]: { workers: 1, reconcile: handleAddOrUpdateVpc(cfg) },
      [Q.delVpc]: { workers: 1, reconcile: handleDelVpc },
      [Q.updateVpcStatus]: { workers: 1, reconcile: handleUpdateVpcStatus(cfg) },
      [Q.addOrUpdateSubnet]: { workers: 1, reconcile: handleAddOrUpdateSubnet },
      [Q.deleteSubnet]: { workers: cfg.workerNum, reconcile: handleDeleteSubnet },
    },
  });
}

/** IP handlers of kube-ovn-controller (pkg/controller/ip.go). */
import { isNotFound, type Effect, type EventHandlers } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import { type Ctx, type KubeOvnMemory, Q, SUBNET_KEY_MUTEX, listerGetKeep, nothing } from './context.ts';
import { releaseAddressByNic, releaseAddressByPod } from './ipam.ts';
import { OVN_NB, type LogicalSwitchPort } from './ovn.ts';
import { FINALIZER_NEW, FINALIZER_V112, type IP, type Subnet, podKey } from './objects.ts';

export function ipHandlers(cfg: KubeOvnConfig): EventHandlers<KubeOvnMemory> {
  return {
    // mirrors pkg/controller/ip.go enqueueAddIP (v1.12.28 ~21)
    add(ctx, obj) {
      const ip = obj as IP;
      ctx.enqueue(Q.updateSubnetStatus, ip.spec!.subnet);
      for (const s of ip.spec!.attachSubnets ?? []) ctx.enqueue(Q.updateSubnetStatus, s);
      ctx.enqueue(Q.addIP, ip.metadata.name);
    },
    // mirrors pkg/controller/ip.go enqueueUpdateIP (v1.12.28 ~42; master ~46 with #6388)
    update(ctx, oldObj, newObj) {
      const [oldIP, ip] = [oldObj as IP, newObj as IP];
      if (cfg.updatePathSetsSubnetLabel && oldIP.spec!.subnet !== ip.spec!.subnet) {
        ctx.enqueue(Q.updateSubnetStatus, oldIP.spec!.subnet);
        ctx.enqueue(Q.updateSubnetStatus, ip.spec!.subnet);
        return;
      }
      if (ip.metadata.deletionTimestamp) {
        ctx.enqueue(Q.updateIP, ip.metadata.name);
        return;
      }
      for (const s of ip.spec!.attachSubnets ?? []) if (!(oldIP.spec!.attachSubnets ?? []).includes(s)) ctx.enqueue(Q.updateSubnetStatus, s);
    },
    // mirrors pkg/controller/ip.go enqueueDelIP: the object goes on delIPQueue
    delete(ctx, obj) {
      const ip = obj as IP;
      const name = ip.metadata.name;
      ctx.updateMemory((m) => ({ ...m, deletedIPs: { ...m.deletedIPs, [name]: { subnet: ip.spec!.subnet, attachSubnets: ip.spec!.attachSubnets ?? [] } } }));
      ctx.enqueue(Q.delIP, name);
    },
  };
}

/**
 * mirrors pkg/controller/ip.go handleAddIP -> handleAddIPFinalizer (v1.12.28 ~182): the finalizer
 * is added by a JSON merge patch computed from the cached copy (no RV: it cannot conflict and
 * replaces the whole finalizer list). On master (02abcbb18) IPs already carry it: early return.
 */
export function handleAddIP(cfg: KubeOvnConfig) {
  return function* handleAddIP(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
    // Kept: the cached IP's finalizers (the merge patch is computed from them alone).
    const finalizers = yield* listerGetKeep<IP, readonly string[]>(ctx, 'IP', undefined, name, (ip) => ip.metadata.finalizers ?? []);
    if (!finalizers) return;
    if (cfg.ipFinalizerOnCreate && finalizers.length) return;
    if (finalizers.includes(cfg.finalizer)) return;
    try {
      yield* ctx.ignoreResult(ctx.client.patch('IP', undefined, name, { metadata: { finalizers: [...finalizers, cfg.finalizer] } }));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  };
}

/**
 * mirrors pkg/controller/ip.go handleUpdateIP (v1.12.28 ~198; master ~232 with #6275/#6312):
 * for a terminating IP, the subnet from the lister — NotFound is an error, retried forever in
 * v1.12; then the LSP if its MAC matches, the IPAM release (v1.12 passes the IP name as owner,
 * a no-op for pod IPs), and the finalizer removed by a merge patch from the cached copy.
 */
export function handleUpdateIP(cfg: KubeOvnConfig) {
  return function* handleUpdateIP(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
    // Kept: what the handler reads of the cached IP below.
    const ip = yield* listerGetKeep(ctx, 'IP', undefined, name, (o: IP) => ({
      terminating: !!o.metadata.deletionTimestamp,
      finalizers: o.metadata.finalizers ?? [],
      spec: { subnet: o.spec!.subnet, macAddress: o.spec!.macAddress, namespace: o.spec!.namespace, podName: o.spec!.podName },
    }));
    if (!ip || !ip.terminating) return;
    const subnetName = ip.spec.subnet;
    const body = function* (): Generator<Effect, void, unknown> {
      // Kept of the subnet: that the lister has it; of the port: its MAC.
      let subnetCached = false;
      try {
        subnetCached = yield* ctx.keep(ctx.lister<Subnet>('Subnet').get(undefined, subnetName), () => true);
      } catch (e) {
        if (!(cfg.updateIPToleratesMissingSubnet && isNotFound(e))) throw e;
      }
      let cleanIPAM = true;
      if (subnetCached) {
        const port = yield* ctx.keep(ctx.external<LogicalSwitchPort | undefined>(OVN_NB, 'getLogicalSwitchPort', { name }), (p) => (p ? { mac: p.mac } : undefined));
        if (port && (cfg.updateIPMasterCleanup || port.mac === ip.spec.macAddress)) {
          yield* ctx.external(OVN_NB, 'deleteLogicalSwitchPort', { name });
        } else if (port) {
          cleanIPAM = false;
        }
      }
      if (cleanIPAM) {
        const owner = podKey(ip.spec.namespace, ip.spec.podName);
        yield* ctx.updateMemory((m) => ({
          ...m,
          ipam: cfg.updateIPMasterCleanup ? releaseAddressByNic(m.ipam, owner, name, subnetName) : releaseAddressByPod(m.ipam, name, subnetName),
        }), nothing);
      }
      // handleDelIPFinalizer
      const finalizers = ip.finalizers;
      if (finalizers.length === 0) return;
      const ours = cfg.updateIPMasterCleanup ? [FINALIZER_V112, FINALIZER_NEW] : [cfg.finalizer];
      const keep = finalizers.filter((f) => !ours.includes(f));
      try {
        yield* ctx.ignoreResult(ctx.client.patch('IP', undefined, name, { metadata: { finalizers: keep } }));
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      if (cfg.updateIPMasterCleanup) yield* ctx.enqueue(Q.updateSubnetStatus, subnetName);
    };
    if (cfg.fix2SubnetLock) yield* ctx.withLock(SUBNET_KEY_MUTEX, subnetName, body);
    else yield* body();
  };
}

/** mirrors pkg/controller/ip.go handleDelIP (v1.12.28 ~259): only a subnet status recount. */
export function* handleDelIP(ctx: Ctx, name: string): Generator<Effect, void, unknown> {
  const gone = yield* ctx.memory((m) => m.deletedIPs[name]);
  if (!gone) return;
  yield* ctx.enqueue(Q.updateSubnetStatus, gone.subnet);
  for (const s of gone.attachSubnets) yield* ctx.enqueue(Q.updateSubnetStatus, s);
}

/** Pod handlers of kube-ovn-controller (pkg/controller/pod.go). */
import { isNotFound, jsonEqual, parseTimestamp, reconcileContext, ReconcileError, type Effect, type EventHandlers, type HandlerContext, type KubeObject } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import { type Ctx, DELETING_POD_DROP_MS, type KubeOvnMemory, POD_KEY_MUTEX, Q, SUBNET_KEY_MUTEX, allocateInIpam, errorMessage, isPodAlive, listerGet, listerGetKeep, nothing, withoutKey } from './context.ts';
import { getRandomAddress, releaseAddressByNic, releaseAddressByPod } from './ipam.ts';
import { allocatedProviders, getPodKubeovnNets, type PodNet } from './nets.ts';
import { OVN_NB } from './ovn.ts';
import { appendCheckPodToDel, isVMToDel, nameByPod, podTypeOf, vmOfPod } from './vm.ts';
import { IPKind, type IP, NODE_LABEL, type Pod, SUBNET_LABEL, type Subnet, annotation, macFor, podKey, portName, splitKey } from './objects.ts';

const rc = reconcileContext as Ctx;

function keyOfPod(p: Pod): string {
  return podKey(p.metadata.namespace!, p.metadata.name);
}

function storeDeleting(ctx: HandlerContext<KubeOvnMemory>, key: string, pod: Pod): void {
  ctx.updateMemory((m) => ({ ...m, deletingPods: { ...m.deletingPods, [key]: pod } }));
}

/** Event handlers for the Pod informer. */
export function podHandlers(cfg: KubeOvnConfig): EventHandlers<KubeOvnMemory> {
  return {
    // mirrors pkg/controller/pod.go enqueueAddPod (v1.12.28 ~173)
    add(ctx, obj) {
      const pod = obj as Pod;
      const key = keyOfPod(pod);
      const now = ctx.run(rc.now());
      if (!isPodAlive(pod, now, parseTimestamp)) {
        // A VM pod with keep-vm-ip is cleaned only when its VM is being deleted.
        const vm = vmOfPod(pod);
        if (vm && cfg.keepVMIP && !ctx.run(isVMToDel(rc, pod, vm))) return;
        storeDeleting(ctx, key, pod);
        ctx.enqueue(Q.deletePod, key);
        return;
      }
      // Simplification: podNeedSync is true for every alive pod (the `routed` annotation is not modelled).
      ctx.enqueue(Q.addOrUpdatePod, key);
    },
    // mirrors pkg/controller/pod.go enqueueUpdatePod (v1.12.28 ~254)
    update(ctx, oldObj, newObj) {
      const pod = newObj as Pod;
      if (oldObj.metadata.resourceVersion === newObj.metadata.resourceVersion) return;
      const key = keyOfPod(pod);
      try {
        ctx.run(getPodKubeovnNets(rc, cfg, pod));
      } catch (e) {
        // v1.12: the event is dropped, even the graceful-deletion update.
        ctx.log(`enqueueUpdatePod ${key}: failed to get pod nets: ${errorMessage(e)}`);
        return;
      }
      const vm = vmOfPod(pod);
      const phase = pod.status?.phase;
      if ((phase === 'Succeeded' || phase === 'Failed') && !vm) {
        storeDeleting(ctx, key, pod);
        ctx.enqueue(Q.deletePod, key);
        return;
      }
      // terminationGracePeriodSeconds nil -> delay 0 (pod.go ~307); else until deletionTimestamp + grace
      // (or the grace itself for a pod not being deleted).
      const now = ctx.run(rc.now());
      const tgps = pod.spec?.terminationGracePeriodSeconds;
      const dt = pod.metadata.deletionTimestamp;
      const delay = tgps === undefined ? 0 : dt ? (parseTimestamp(dt) ?? now) + tgps * 1000 - now : tgps * 1000;
      if (dt && !vm) {
        storeDeleting(ctx, key, pod);
        ctx.enqueueAfter(Q.deletePod, key, delay);
        return;
      }
      // A VM pod goes to the delete queue only when its VM is being deleted (live GETs, ~1838).
      if (vm && ctx.run(isVMToDel(rc, pod, vm))) {
        storeDeleting(ctx, key, pod);
        ctx.enqueueAfter(Q.deletePod, key, delay);
        return;
      }
      ctx.enqueue(Q.addOrUpdatePod, key);
    },
    // mirrors pkg/controller/pod.go enqueueDeletePod (v1.12.28 ~229)
    delete(ctx, obj) {
      const pod = obj as Pod;
      const key = keyOfPod(pod);
      storeDeleting(ctx, key, pod);
      ctx.enqueue(Q.deletePod, key);
    },
  };
}

/**
 * mirrors pkg/node.go createOrUpdateCrdIPs (v1.12.28 ~646) / pkg/controller/ip.go createOrUpdateIPCR (master ~391):
 * lister Get; absent -> Create (no finalizer in v1.12); present -> Update with the cached RV.
 */
export function* createOrUpdateIPCR(
  ctx: Ctx,
  cfg: KubeOvnConfig,
  a: { name: string; pod: string; namespace: string; subnet: string; ip: string; mac: string; nodeName: string; podType?: string },
): Generator<Effect, void, unknown> {
  const spec = {
    podName: a.pod,
    namespace: a.namespace,
    subnet: a.subnet,
    attachSubnets: [],
    nodeName: a.nodeName,
    ipAddress: a.ip,
    v4IpAddress: a.ip,
    macAddress: a.mac,
    podType: a.podType ?? '',
  };
  const existing = yield* listerGet<IP>(ctx, 'IP', undefined, a.name);
  if (!existing) {
    const obj: KubeObject = {
      apiVersion: IPKind.apiVersion,
      kind: 'IP',
      metadata: {
        name: a.name,
        labels: { [SUBNET_LABEL]: a.subnet, [NODE_LABEL]: a.nodeName, [a.subnet]: '' },
        ...(cfg.ipFinalizerOnCreate ? { finalizers: [cfg.finalizer] } : {}),
      },
      spec,
    };
    yield* ctx.ignoreResult(ctx.client.create(obj));
    return;
  }
  if (cfg.requeueTerminatingIPsAtStart && existing.metadata.deletionTimestamp) {
    // #5193: a terminating IP is handed to handleUpdateIP, never updated or re-created.
    yield* ctx.enqueue(Q.updateIP, a.name);
    return;
  }
  const labels: Record<string, string> = { ...existing.metadata.labels, [SUBNET_LABEL]: a.subnet, [NODE_LABEL]: a.nodeName };
  if (cfg.updatePathSetsSubnetLabel) {
    const old = existing.spec?.subnet;
    if (old && old !== a.subnet) delete labels[old];
    labels[a.subnet] = '';
  }
  const finalizers = existing.metadata.finalizers ?? [];
  const updated: KubeObject = {
    ...existing,
    metadata: {
      ...existing.metadata,
      labels,
      ...(cfg.ipFinalizerOnCreate && !finalizers.includes(cfg.finalizer) ? { finalizers: [...finalizers, cfg.finalizer] } : {}),
    },
    spec,
  };
  if (jsonEqual(updated, existing)) return;
  yield* ctx.ignoreResult(ctx.client.update(updated));
}

/** One network's allocation: IPAM -> validate -> LSP -> IP CR (reconcileAllocateSubnets loop body). */
function* allocateNet(ctx: Ctx, cfg: KubeOvnConfig, pod: Pod, net: PodNet, annotations: Record<string, string>): Generator<Effect, void, unknown> {
  const ns = pod.metadata.namespace!;
  // getNameByPod: a VM pod's IPAM owner, port and IP CR are named after the VM (keep-vm-ip).
  const name = nameByPod(cfg, pod);
  const key = podKey(ns, name);
  const subnetName = net.subnet;
  if (cfg.fix2SubnetLock) {
    // Proposed fix 2: under the subnet lock, re-read the subnet live and refuse a terminating one
    // (kept: only whether it is terminating).
    let terminating: boolean;
    try {
      terminating = yield* ctx.keep(ctx.client.get<Subnet>('Subnet', undefined, subnetName), (s) => !!s.metadata.deletionTimestamp);
    } catch (e) {
      if (isNotFound(e)) throw new ReconcileError(`subnet ${subnetName} is gone`);
      throw e;
    }
    if (terminating) throw new ReconcileError(`subnet ${subnetName} is being deleted`);
  }
  const port = portName(name, ns, net.provider);
  // acquireAddress -> ipam.GetRandomAddress (atomic under the IPAM mutex)
  const got = yield* allocateInIpam(ctx, (ipam) => getRandomAddress(ipam, key, port, subnetName));
  if (!got.ok) throw new ReconcileError(`failed to allocate address for ${port} in ${subnetName}: ${got.error}`);
  // validatePodIP reads the subnet from the lister again; the annotations below use its CIDR and gateway.
  const subnet = yield* ctx.keep(ctx.lister<Subnet>('Subnet').get(undefined, subnetName), (s) => ({ spec: { cidrBlock: s.spec!.cidrBlock, gateway: s.spec!.gateway } }));
  const mac = macFor(got.ip);
  const p = net.provider;
  annotations[annotation(p, 'ip_address')] = got.ip;
  annotations[annotation(p, 'mac_address')] = mac;
  annotations[annotation(p, 'cidr')] = subnet.spec!.cidrBlock;
  annotations[annotation(p, 'gateway')] = subnet.spec!.gateway;
  annotations[annotation(p, 'logical_switch')] = subnetName;
  annotations[annotation(p, 'allocated')] = 'true';
  if (cfg.keepVMIP && vmOfPod(pod)) annotations[annotation(p, 'virtualmachine')] = name;
  yield* ctx.external(OVN_NB, 'createLogicalSwitchPort', { name: port, switch: subnetName, pod: key, ip: got.ip, mac });
  yield* createOrUpdateIPCR(ctx, cfg, { name: port, pod: name, namespace: ns, subnet: subnetName, ip: got.ip, mac, nodeName: pod.spec?.nodeName ?? '', podType: podTypeOf(pod) });
}

/**
 * mirrors pkg/controller/pod.go handleAddOrUpdatePod + reconcileAllocateSubnets (v1.12.28 ~510, ~573):
 * under podKeyMutex, for each network not yet allocated (attachments first, default last):
 * IPAM -> LSP -> IP CR; then one merge patch of all annotations. NotFound on the patch sends
 * the annotated copy to deletingPodObjMap and queues a delete.
 * Simplifications: no hot-unplug (syncKubeOvnNet), no routing (reconcileRouteSubnets), no security groups.
 */
export function handleAddOrUpdatePod(cfg: KubeOvnConfig) {
  return function* handleAddOrUpdatePod(ctx: Ctx, key: string): Generator<Effect, void, unknown> {
    yield* ctx.withLock(POD_KEY_MUTEX, key, function* () {
      const [ns, name] = splitKey(key);
      const pod = yield* listerGet<Pod>(ctx, 'Pod', ns, name);
      if (!pod) return;
      const nets = yield* getPodKubeovnNets(ctx, cfg, pod);
      const now = yield* ctx.now();
      if (!isPodAlive(pod, now, parseTimestamp)) return;
      const needed = nets.filter((n) => pod.metadata.annotations?.[annotation(n.provider, 'allocated')] !== 'true');
      if (needed.length === 0) return;
      const annotations: Record<string, string> = { ...pod.metadata.annotations };
      for (const net of needed) {
        if (cfg.fix2SubnetLock) yield* ctx.withLock(SUBNET_KEY_MUTEX, net.subnet, () => allocateNet(ctx, cfg, pod, net, annotations));
        else yield* allocateNet(ctx, cfg, pod, net, annotations);
      }
      // One JSON merge patch of the changed annotations (GenerateMergePatchPayload from the cached pod; no RV).
      const changed: Record<string, string> = {};
      for (const [k, v] of Object.entries(annotations)) if (pod.metadata.annotations?.[k] !== v) changed[k] = v;
      try {
        yield* ctx.ignoreResult(ctx.client.patch('Pod', ns, name, { metadata: { annotations: changed } }));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        const modified = { ...pod, metadata: { ...pod.metadata, annotations } } as Pod;
        yield* ctx.updateMemory((m) => ({ ...m, deletingPods: { ...m.deletingPods, [key]: modified } }), nothing);
        yield* ctx.enqueueRateLimited(Q.deletePod, key);
      }
    });
  };
}

/**
 * mirrors pkg/controller/pod.go handleDeletePod (v1.12.28 ~913; master ~1159):
 * the object comes from deletingPodObjMap (read before the lock); a failing getPodKubeovnNets
 * is logged and the handler goes on with no networks, so no IP CR is deleted; LSPs are deleted;
 * IPAM is released for the pod in every subnet.
 * Simplifications: no StatefulSet/VM keep-IP logic, no routes/NAT/VIP cleanup.
 */
export function handleDeletePod(cfg: KubeOvnConfig) {
  return function* handleDeletePod(ctx: Ctx, key: string): Generator<Effect, void, unknown> {
    const pod = yield* ctx.memory((m) => m.deletingPods[key]);
    // processNextDeletePodWorkItem (v1.12.28 ~429) / handleDeletePod (master ~1160): no entry, nothing to do.
    if (!pod) return;
    yield* deletePodLocked(ctx, cfg, key, pod);
    // Success: master deletes the entry in the handler's defer (~1192); v1.12.28 ~441 drops it 5 minutes later.
    if (cfg.deletingPodDrop === 'onSuccess') yield* ctx.updateMemory((m) => ({ ...m, deletingPods: withoutKey(m.deletingPods, key) }), nothing);
    else yield* ctx.enqueueAfter(Q.deletingPodObjMapDrop, key, DELETING_POD_DROP_MS);
  };
}

/** The goroutine v1.12.28 starts after a successful handleDeletePod: delete the entry by key, whatever it holds now. */
export function* dropDeletingPod(ctx: Ctx, key: string): Generator<Effect, void, unknown> {
  yield* ctx.updateMemory((m) => (key in m.deletingPods ? { ...m, deletingPods: withoutKey(m.deletingPods, key) } : m), nothing);
}

function* deletePodLocked(ctx: Ctx, cfg: KubeOvnConfig, podLockKey: string, pod: Pod): Generator<Effect, void, unknown> {
  {
    yield* ctx.withLock(POD_KEY_MUTEX, podLockKey, function* () {
      const [ns, podName] = splitKey(podLockKey);
      // Kept: the cached pod's uid (a pod re-created under the same name is not this one).
      const currentUid = yield* listerGetKeep<Pod, string | undefined>(ctx, 'Pod', ns, podName, (p) => p.metadata.uid);
      if (currentUid !== undefined && currentUid !== pod.metadata.uid) return;
      // getNameByPod: a VM pod's addresses, ports and IP CRs carry the VM's name (~919, ~930).
      const name = nameByPod(cfg, pod);
      const key = podKey(ns, name);
      const vm = vmOfPod(pod);
      if (cfg.keepVMIP && vm) {
        // ~944: a VM that is kept (stopped, restarted, migrated) keeps its IPs, ports and IPAM.
        const vmToBeDel = yield* isVMToDel(ctx, pod, vm);
        const check = yield* appendCheckPodToDel(ctx, pod, vm);
        if (pod.metadata.deletionTimestamp && !(vmToBeDel || (check.toDel && !check.error))) return;
      }
      let nets: PodNet[] = [];
      try {
        nets = yield* getPodKubeovnNets(ctx, cfg, pod);
      } catch (e) {
        if (cfg.deletePodRequeuesOnNetsError) throw e;
        yield* ctx.log(`handleDeletePod ${key}: failed to get pod nets, ${errorMessage(e)}`);
      }
      const ports = yield* ctx.external<string[]>(OVN_NB, 'listPodPorts', { pod: key });
      for (const port of ports) yield* ctx.external(OVN_NB, 'deleteLogicalSwitchPort', { name: port });
      if (cfg.fix1DeleteIPsFromAnnotations) {
        // Proposed fix 1: also every IP CR the pod's annotations name, whether or not its subnet exists.
        const names = new Set([...nets.map((n) => portName(name, ns, n.provider)), ...allocatedProviders(pod).map((p) => portName(name, ns, p))]);
        for (const ipName of [...names].sort()) yield* deleteIPCR(ctx, ipName);
      } else if (cfg.deletePodUsesIPLister) {
        for (const net of nets) {
          const ipName = portName(name, ns, net.provider);
          const ip = yield* listerGet<IP>(ctx, 'IP', undefined, ipName);
          if (!ip) continue; // master: an IP CR not yet in the cache is not deleted
          try {
            yield* ctx.ignoreResult(ctx.client.delete('IP', undefined, ipName));
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
          const subnetName = net.subnet;
          yield* ctx.updateMemory((m) => ({ ...m, ipam: releaseAddressByNic(m.ipam, key, ipName, subnetName) }), nothing);
          yield* ctx.enqueue(Q.updateSubnetStatus, subnetName);
        }
      } else {
        for (const net of nets) yield* deleteIPCR(ctx, portName(name, ns, net.provider));
      }
      if (!cfg.deletePodUsesIPLister) yield* ctx.updateMemory((m) => ({ ...m, ipam: releaseAddressByPod(m.ipam, key, '') }), nothing);
    });
  }
}

/** deleteCrdIPs: API delete by name; NotFound ignored, other errors only logged (v1.12). */
function* deleteIPCR(ctx: Ctx, ipName: string): Generator<Effect, void, unknown> {
  try {
    yield* ctx.ignoreResult(ctx.client.delete('IP', undefined, ipName));
  } catch (e) {
    if (!isNotFound(e)) yield* ctx.log(`failed to delete ip ${ipName}: ${errorMessage(e)}`);
  }
}

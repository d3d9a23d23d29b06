/** Controller start-up (pkg/controller/init.go) and garbage collection (pkg/controller/gc.go). */
import { isNotFound, parseTimestamp, type Effect } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import { type Ctx, Q, allocateInIpam, errorMessage, isPodAlive, listerGet, nothing } from './context.ts';
import { addOrUpdateSubnet, getStaticAddress, releaseAddressByPod } from './ipam.ts';
import { allocatedProviders, getPodKubeovnNets, type PodNet } from './nets.ts';
import { OVN_NB, type LogicalSwitchPort } from './ovn.ts';
import { DEFAULT_PROVIDER, type IP, NETWORKS_ANNOTATION, type Pod, type Subnet, VM_POD_TYPE, annotation, attachmentProvider, podKey, portName } from './objects.ts';
import { nameByPod, podTypeOf } from './vm.ts';
import { createOrUpdateIPCR } from './pod.ts';

/**
 * mirrors pkg/controller/init.go InitIPAM (v1.12.28 ~296; master ~389): IPAM is rebuilt from
 * subnets and from alive pods' allocated annotations (re-registering each address and
 * re-creating/updating its IP CR); before them, the IP CRs of VM pods are re-registered whether or
 * not their VM still exists. A plain pod's IP CR whose pod is gone is not re-registered.
 * With #5193 (master) terminating IPs are re-queued for handleUpdateIP first.
 */
export function initIPAM(cfg: KubeOvnConfig) {
  return function* InitIPAM(ctx: Ctx): Generator<Effect, void, unknown> {
    const subnets = yield* ctx.lister<Subnet>('Subnet').list();
    for (const s of subnets) {
      yield* ctx.updateMemory((m) => ({ ...m, ipam: addOrUpdateSubnet(m.ipam, s.metadata.name, s.spec!.cidrBlock, s.spec!.excludeIps) }), nothing);
    }
    if (cfg.requeueTerminatingIPsAtStart) {
      for (const ip of yield* ctx.lister<IP>('IP').list()) if (ip.metadata.deletionTimestamp) yield* ctx.enqueue(Q.updateIP, ip.metadata.name);
    }
    // init.go ~337: IP CRs of StatefulSet and VM pods pin their addresses under `ns/<podName>`,
    // whether or not their owner still exists (terminating ones too).
    for (const ip of yield* ctx.lister<IP>('IP').list()) {
      if (ip.spec?.podType !== VM_POD_TYPE) continue;
      const spec = ip.spec;
      const got = yield* allocateInIpam(ctx, (ipam) => getStaticAddress(ipam, podKey(spec.namespace, spec.podName), ip.metadata.name, spec.v4IpAddress, spec.subnet));
      if (!got.ok) {
        yield* ctx.log(`InitIPAM: failed to init ip ${ip.spec.v4IpAddress} of ${ip.metadata.name}: ${got.error}`);
        continue;
      }
    }
    const now = yield* ctx.now();
    for (const pod of yield* ctx.lister<Pod>('Pod').list()) {
      if (!isPodAlive(pod, now, parseTimestamp)) continue;
      let nets: PodNet[];
      try {
        nets = yield* getPodKubeovnNets(ctx, cfg, pod);
      } catch (e) {
        yield* ctx.log(`InitIPAM: failed to get nets of pod ${pod.metadata.namespace}/${pod.metadata.name}: ${errorMessage(e)}`);
        continue;
      }
      const ns = pod.metadata.namespace!;
      const name = nameByPod(cfg, pod);
      for (const net of nets) {
        const ip = pod.metadata.annotations?.[annotation(net.provider, 'ip_address')];
        if (pod.metadata.annotations?.[annotation(net.provider, 'allocated')] !== 'true' || !ip) continue;
        const port = portName(name, ns, net.provider);
        const got = yield* allocateInIpam(ctx, (ipam) => getStaticAddress(ipam, podKey(ns, name), port, ip, net.subnet));
        if (!got.ok) {
          yield* ctx.log(`InitIPAM: failed to init ip ${ip} of ${port}: ${got.error}`);
          continue;
        }
        const mac = pod.metadata.annotations?.[annotation(net.provider, 'mac_address')] ?? '';
        yield* createOrUpdateIPCR(ctx, cfg, { name: port, pod: name, namespace: ns, subnet: net.subnet, ip, mac, nodeName: pod.spec?.nodeName ?? '', podType: podTypeOf(pod) });
      }
    }
  };
}

/**
 * mirrors pkg/controller/gc.go markAndCleanLSP (v1.12.28 ~305): LSPs of no alive, allocated pod
 * are marked; marked in the previous round -> LSP deleted, the same-named IP CR deleted (API GET
 * then DELETE) and the owner's address released. IP CRs whose LSP is already gone are never seen.
 */
function* markAndCleanLSP(ctx: Ctx, cfg: KubeOvnConfig): Generator<Effect, void, unknown> {
  const now = yield* ctx.now();
  const keep = new Set<string>();
  for (const pod of yield* ctx.lister<Pod>('Pod').list()) {
    if (!isPodAlive(pod, now, parseTimestamp)) continue;
    for (const provider of allocatedProviders(pod)) keep.add(portName(nameByPod(cfg, pod), pod.metadata.namespace!, provider));
  }
  // getVMLsps (gc.go ~825): the ports of every existing VM (live LIST), terminating ones too.
  if (cfg.keepVMIP) for (const port of yield* vmPorts(ctx)) keep.add(port);
  const ports = yield* ctx.external<Array<{ name: string } & LogicalSwitchPort>>(OVN_NB, 'listPorts');
  const lastNoPodLSP = yield* ctx.memory((m) => m.lastNoPodLSP);
  const noPod = ports.filter((p) => !keep.has(p.name));
  const deleted: string[] = [];
  for (const lsp of noPod) {
    if (!(lsp.name in lastNoPodLSP)) continue;
    yield* ctx.external(OVN_NB, 'deleteLogicalSwitchPort', { name: lsp.name });
    deleted.push(lsp.name);
    let ip: IP;
    try {
      ip = yield* ctx.client.get<IP>('IP', undefined, lsp.name);
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    try {
      yield* ctx.ignoreResult(ctx.client.delete('IP', undefined, lsp.name));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    yield* ctx.updateMemory((m) => ({ ...m, ipam: releaseAddressByPod(m.ipam, lsp.pod, ip.spec!.subnet) }), nothing);
  }
  const marked: Record<string, true> = {};
  for (const p of noPod) if (!deleted.includes(p.name)) marked[p.name] = true;
  yield* ctx.updateMemory((m) => ({ ...m, lastNoPodLSP: marked }), nothing);
}

/**
 * mirrors pkg/controller/gc.go gcIP (master ~390, start-up only; #5364 by subnet-in-IPAM,
 * #5702 by owner existence): delete IP CRs whose owner is gone; their finalizer then frees them.
 */
function* gcIP(ctx: Ctx, cfg: KubeOvnConfig): Generator<Effect, void, unknown> {
  const ipamSubnets = yield* ctx.memory((m) => Object.keys(m.ipam).sort());
  for (const ip of yield* ctx.lister<IP>('IP').list()) {
    let ownerGone = !ipamSubnets.includes(ip.spec!.subnet);
    if (!ownerGone && cfg.gcIP === 'owner') {
      // checkIPOwnerExists (master gc.go ~312): a VM's IP by a live GET of the VM, else the pod lister.
      if (ip.spec!.podType === VM_POD_TYPE) {
        try {
          yield* ctx.ignoreResult(ctx.client.get('VirtualMachine', ip.spec!.namespace, ip.spec!.podName));
        } catch (e) {
          if (!isNotFound(e)) throw e;
          ownerGone = true;
        }
      } else ownerGone = !(yield* listerGet<Pod>(ctx, 'Pod', ip.spec!.namespace, ip.spec!.podName));
    }
    if (!ownerGone) continue;
    try {
      yield* ctx.ignoreResult(ctx.client.delete('IP', undefined, ip.metadata.name));
    } catch (e) {
      yield* ctx.log(`gcIP: failed to delete ip ${ip.metadata.name}: ${errorMessage(e)}`);
    }
  }
}

/** getVMLsps (gc.go ~825): `<vm>.<ns>` and one port per attachment of the VM template's networks annotation. */
function* vmPorts(ctx: Ctx): Generator<Effect, string[], unknown> {
  const out: string[] = [];
  for (const vm of yield* ctx.client.list('VirtualMachine')) {
    const ns = vm.metadata.namespace!;
    out.push(portName(vm.metadata.name, ns, DEFAULT_PROVIDER));
    const annotations = (vm.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations ?? {};
    for (const entry of (annotations[NETWORKS_ANNOTATION] ?? '').split(',').map((x) => x.trim()).filter(Boolean)) {
      const [nadNs, nad] = entry.includes('/') ? entry.split('/') : [ns, entry];
      out.push(portName(vm.metadata.name, ns, attachmentProvider(nad, nadNs)));
    }
  }
  return out;
}

/**
 * The gc task: its first run is the start-up gc() (v1.12: markAndCleanLSP twice back to back, so
 * no grace; master: also gcIP); later runs are the periodic markAndCleanLSP every gc-interval.
 */
export function gcTask(cfg: KubeOvnConfig) {
  return function* gc(ctx: Ctx): Generator<Effect, void, unknown> {
    const startupGcDone = yield* ctx.memory((m) => m.startupGcDone);
    if (!startupGcDone) {
      if (cfg.gcIP !== 'none') yield* gcIP(ctx, cfg);
      yield* markAndCleanLSP(ctx, cfg);
    }
    yield* markAndCleanLSP(ctx, cfg);
    if (!startupGcDone) yield* ctx.updateMemory((m) => ({ ...m, startupGcDone: true }), nothing);
  };
}

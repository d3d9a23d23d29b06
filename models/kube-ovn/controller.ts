/**
 * kube-ovn-controller assembled from its handlers: informers, queues and worker counts as in
 * pkg/controller/controller.go (v1.12.28 ~252/~743; master ~411/~1162).
 */
import type { ControllerDef, SystemDef } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import { CONTROLLER, type KubeOvnMemory, Q, initialMemory } from './context.ts';
import { gcTask, initIPAM } from './init.ts';
import { handleAddIP, handleDelIP, handleUpdateIP, ipHandlers } from './ip.ts';
import { IPKind, SubnetKind, type Subnet, VirtualMachineInstanceKind, VirtualMachineKind } from './objects.ts';
import { ovnNb } from './ovn.ts';
import { dropDeletingPod, handleAddOrUpdatePod, handleDeletePod, podHandlers } from './pod.ts';
import { handleAddOrUpdateSubnet, handleDeleteSubnet, handleUpdateSubnetStatus, subnetHandlers } from './subnet.ts';

export function kubeOvnController(cfg: KubeOvnConfig): ControllerDef<KubeOvnMemory> {
  const n = cfg.workerNum;
  return {
    name: CONTROLLER,
    initialMemory,
    watches: {
      Pod: podHandlers(cfg),
      Subnet: subnetHandlers(cfg),
      IP: ipHandlers(cfg),
      NetworkAttachmentDefinition: {},
      Namespace: {},
    },
    queues: {
      [Q.addOrUpdatePod]: { workers: n, reconcile: handleAddOrUpdatePod(cfg) },
      [Q.deletePod]: { workers: n, reconcile: handleDeletePod(cfg) },
      [Q.addOrUpdateSubnet]: { workers: cfg.addSubnetWorkers, reconcile: handleAddOrUpdateSubnet(cfg) },
      [Q.deleteSubnet]: { workers: n, reconcile: handleDeleteSubnet },
      [Q.updateSubnetStatus]: { workers: n, reconcile: handleUpdateSubnetStatus(cfg) },
      [Q.addIP]: { workers: 1, reconcile: handleAddIP(cfg) },
      [Q.updateIP]: { workers: 1, reconcile: handleUpdateIP(cfg) },
      [Q.delIP]: { workers: 1, reconcile: handleDelIP },
      ...(cfg.deletingPodDrop === 'after5min' ? { [Q.deletingPodObjMapDrop]: { workers: 1, reconcile: dropDeletingPod } } : {}),
    },
    start: initIPAM(cfg),
    periodic: cfg.gcIntervalMs > 0 ? { gc: { everyMs: cfg.gcIntervalMs, initialDelayMs: 0, run: gcTask(cfg) } } : {},
  };
}

type AdmissionRequest = Parameters<NonNullable<SystemDef['admission']>[number]>[0];

/** The first and last address of an IPv4 CIDR as numbers. */
function cidrRange(cidr: string): [number, number] {
  const [base, bits] = cidr.split('/');
  const p = base.split('.').map(Number);
  const start = ((p[0] << 24) | (p[1] << 16) | (p[2] << 8) | p[3]) >>> 0;
  return [start, start + 2 ** (32 - Number(bits)) - 1];
}

/**
 * mirrors pkg/webhook/subnet.go SubnetUpdateHook (v1.12.28 ~56), registered for `subnets` (not
 * `subnets/status`): it sees every main-resource write, the controller's finalizer writes included.
 * Denies a gateway change while IPs are in use, a gateway outside the CIDR (the part of
 * util.ValidateSubnet the scenarios can reach) and a CIDR overlapping another subnet (ValidateCidrConflict).
 */
export function subnetUpdateHook(req: AdmissionRequest): string | undefined {
  if ((req.verb !== 'update' && req.verb !== 'patch') || req.kind !== 'Subnet' || req.subresource || !req.object || !req.oldObject) return undefined;
  const o = req.object as Subnet;
  const old = req.oldObject as Subnet;
  if (o.spec?.gateway !== old.spec?.gateway && (o.status?.v4usingIPs ?? 0) !== 0) return "can't update gateway of cidr when any IPs in Using";
  const cidr = o.spec?.cidrBlock;
  if (!cidr) return undefined;
  const [lo, hi] = cidrRange(cidr);
  const gw = cidrRange(`${o.spec!.gateway}/32`)[0];
  if (gw < lo || gw > hi) return `gateway ${o.spec!.gateway} is not in cidr ${cidr}`;
  for (const s of (req.list?.('Subnet') ?? []) as readonly Subnet[]) {
    if (s.metadata.name === o.metadata.name || !s.spec?.cidrBlock) continue;
    const [a, b] = cidrRange(s.spec.cidrBlock);
    if (a <= hi && lo <= b) return `${cidr} conflicts with subnet ${s.metadata.name} cidr ${s.spec.cidrBlock}`;
  }
  return undefined;
}

/** mirrors pkg/webhook/subnet.go SubnetDeleteHook (v1.12.28 ~86): deny while the stored status counts IPs. */
export function subnetDeleteHook(req: AdmissionRequest): string | undefined {
  if (req.verb !== 'delete' || req.kind !== 'Subnet' || !req.oldObject) return undefined;
  const status = (req.oldObject as Subnet).status;
  if ((status?.v4usingIPs ?? 0) !== 0) return "can't delete subnet when any IPs in Using";
  return undefined;
}

export function kubeOvnSystem(cfg: KubeOvnConfig): SystemDef {
  return {
    kinds: [SubnetKind, IPKind, VirtualMachineKind, VirtualMachineInstanceKind],
    controllers: [kubeOvnController(cfg)],
    externals: [ovnNb],
    admission: cfg.subnetDeleteWebhook ? [subnetUpdateHook, subnetDeleteHook] : [],
    systemActors: ['kubelet', 'namespace-controller'],
  };
}

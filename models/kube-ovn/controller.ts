/**
 * kube-ovn-controller assembled from its handlers: informers, queues and worker counts as in
 * pkg/controller/controller.go (v1.12.28 ~252/~743; master ~411/~1162).
 */
import type { ControllerDef, SystemDef } from '../../src/engine/system.ts';
import type { KubeOvnConfig } from './config.ts';
import { CONTROLLER, type KubeOvnMemory, Q, initialMemory } from './context.ts';
import { gcTask, initIPAM } from './init.ts';
import { handleAddIP, handleDelIP, handleUpdateIP, ipHandlers } from './ip.ts';
import { IPKind, SubnetKind, type Subnet } from './objects.ts';
import { ovnNb } from './ovn.ts';
import { handleAddOrUpdatePod, handleDeletePod, podHandlers } from './pod.ts';
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
    },
    start: initIPAM(cfg),
    periodic: cfg.gcIntervalMs > 0 ? { gc: { everyMs: cfg.gcIntervalMs, initialDelayMs: 0, run: gcTask(cfg) } } : {},
  };
}

/** pkg/webhook/subnet.go SubnetDeleteHook: deny while the stored status counts IPs. */
function subnetDeleteHook(req: Parameters<NonNullable<SystemDef['admission']>[number]>[0]): string | undefined {
  if (req.verb !== 'delete' || req.kind !== 'Subnet' || !req.oldObject) return undefined;
  const status = (req.oldObject as Subnet).status;
  if ((status?.v4usingIPs ?? 0) !== 0) return "can't delete subnet when any ip is using";
  return undefined;
}

export function kubeOvnSystem(cfg: KubeOvnConfig): SystemDef {
  return {
    kinds: [SubnetKind, IPKind],
    controllers: [kubeOvnController(cfg)],
    externals: [ovnNb],
    admission: cfg.subnetDeleteWebhook ? [subnetDeleteHook] : [],
    systemActors: ['kubelet', 'namespace-controller'],
  };
}

/**
 * The KubeVirt VM path of kube-ovn-controller v1.12.28 (pkg/controller/pod.go): a pod owned by a
 * VirtualMachineInstance is a VM pod; with keep-vm-ip (on by default) its IPAM owner, port and IP
 * CR names use the VM's name, so the addresses outlive the launcher pod while the VM exists.
 * v1.12.28 has no KubeVirt informer: VM and VMI are read with live GETs, even from the pod
 * informer's update handler.
 */
import { isNotFound, type Effect, type StoredObject } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import type { Ctx } from './context.ts';
import { type Pod, type Subnet, LOGICAL_SWITCH_ANNOTATION, VM_INSTANCE_KIND, VM_POD_TYPE, podKey } from './objects.ts';
import { listerGetKeep } from './context.ts';

/** isVMPod (pod.go ~1819): the name of the VMI owning the pod (== the VM's name), if any. */
export function vmOfPod(pod: Pod): string | undefined {
  for (const o of pod.metadata.ownerReferences ?? []) if (o.kind === VM_INSTANCE_KIND && o.apiVersion.startsWith('kubevirt.io')) return o.name;
  return undefined;
}

/** getNameByPod (pod.go ~1888): the VM's name for a VM pod with keep-vm-ip, else the pod's. */
export function nameByPod(cfg: KubeOvnConfig, pod: Pod): string {
  const vm = cfg.keepVMIP ? vmOfPod(pod) : undefined;
  return vm ?? pod.metadata.name;
}

/** The IPAM owner key of a pod's addresses: `ns/<vm>` for a VM pod with keep-vm-ip. */
export function ownerKeyOf(cfg: KubeOvnConfig, pod: Pod): string {
  return podKey(pod.metadata.namespace!, nameByPod(cfg, pod));
}

/** getPodType (pod.go ~1933): `VirtualMachine` for a VM pod, else empty (StatefulSets are not modelled). */
export function podTypeOf(pod: Pod): string {
  return vmOfPod(pod) ? VM_POD_TYPE : '';
}

/** A live GET keeping only `part(object)` (ctx.keep), undefined on NotFound; other errors propagate. */
function* liveGet<R>(ctx: Ctx, kind: string, ns: string, name: string, part: (object: StoredObject) => R): Generator<Effect, R | undefined, unknown> {
  try {
    return yield* ctx.keep(ctx.client.get(kind, ns, name), part);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/**
 * mirrors pkg/controller/pod.go isVMToDel (v1.12.28 ~1838): live GET of the VMI (an ephemeral VMI
 * being deleted -> true; alive -> false), then of the VM: gone or terminating -> true. A GET error
 * other than NotFound -> false.
 */
export function* isVMToDel(ctx: Ctx, pod: Pod, vmName: string): Generator<Effect, boolean, unknown> {
  const ns = pod.metadata.namespace!;
  try {
    const vmi = yield* liveGet(ctx, VM_INSTANCE_KIND, ns, vmName, (o) => ({
      ownedByVM: (o.metadata.ownerReferences ?? []).some((r) => r.kind === 'VirtualMachine'),
      terminating: !!o.metadata.deletionTimestamp,
    }));
    if (vmi) {
      if (!vmi.ownedByVM && vmi.terminating) return true;
      if (!vmi.terminating) return false;
    }
    const vmTerminating = yield* liveGet(ctx, 'VirtualMachine', ns, vmName, (o) => !!o.metadata.deletionTimestamp);
    return vmTerminating === undefined || vmTerminating;
  } catch {
    return false;
  }
}

/**
 * mirrors pkg/controller/pod.go appendCheckPodToDel (v1.12.28 ~1749) for a VM pod: the VM gone ->
 * (true); the pod's subnet missing from the lister -> an error; the VM template now asking for
 * another subnet -> (true); else (false). (The IP-not-in-CIDR check never fires here: scenario
 * subnets keep their CIDR.)
 */
export function* appendCheckPodToDel(ctx: Ctx, pod: Pod, vmName: string): Generator<Effect, { toDel: boolean; error?: string }, unknown> {
  const ns = pod.metadata.namespace!;
  // Kept of the VM: the logical switch its template asks for.
  const vm = yield* liveGet(ctx, 'VirtualMachine', ns, vmName, (o) => ({
    wanted: (o.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations?.[LOGICAL_SWITCH_ANNOTATION],
  }));
  if (!vm) return { toDel: true };
  const subnetName = pod.metadata.annotations?.[LOGICAL_SWITCH_ANNOTATION];
  if (!subnetName) return { toDel: false };
  const subnetCached = yield* listerGetKeep<Subnet, true>(ctx, 'Subnet', undefined, subnetName, () => true);
  if (!subnetCached) return { toDel: false, error: `subnets.kubeovn.io "${subnetName}" not found` };
  return { toDel: vm.wanted !== undefined && vm.wanted !== subnetName };
}

/**
 * Kube-OVN object shapes (kubeovn.io/v1 Subnet and IP, core Pod/Namespace, NAD), names,
 * labels and annotations as the real controller writes them (v1.12.28 unless noted).
 */
import { defineKind, type KubeObject, type StoredObject } from '../../src/index.ts';

export const SubnetKind = defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'Subnet', namespaced: false, statusSubresource: true });
export const IPKind = defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'IP', namespaced: false, statusSubresource: false, plural: 'ips' });

export interface SubnetSpec {
  readonly cidrBlock: string;
  readonly gateway: string;
  readonly excludeIps: readonly string[];
  readonly provider: string;
  readonly protocol: 'IPv4';
}

export interface SubnetStatus {
  readonly v4usingIPs?: number;
  readonly v4availableIPs?: number;
  readonly v4usingIPRange?: string;
  readonly conditions?: readonly SubnetCondition[];
}

/** pkg/apis/kubeovn/v1 SubnetCondition without its two times (see setCondition in subnet.ts). */
export interface SubnetCondition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}

export type Subnet = StoredObject<SubnetSpec, SubnetStatus>;

export interface IPSpec {
  readonly podName: string;
  readonly namespace: string;
  readonly subnet: string;
  readonly attachSubnets: readonly string[];
  readonly nodeName: string;
  readonly ipAddress: string;
  readonly v4IpAddress: string;
  readonly macAddress: string;
  readonly podType: string;
}

export type IP = StoredObject<IPSpec>;
export type Pod = StoredObject<{ readonly nodeName?: string; readonly terminationGracePeriodSeconds?: number }, { readonly phase?: string }>;

/** Finalizer names: `kube-ovn-controller` up to v1.12, `kubeovn.io/kube-ovn-controller` from v1.13 (#3748). */
export const FINALIZER_V112 = 'kube-ovn-controller';
export const FINALIZER_NEW = 'kubeovn.io/kube-ovn-controller';

export const LOGICAL_SWITCH_ANNOTATION = 'ovn.kubernetes.io/logical_switch';
export const NETWORKS_ANNOTATION = 'k8s.v1.cni.cncf.io/networks';
export const SUBNET_LABEL = 'ovn.kubernetes.io/subnet';
export const NODE_LABEL = 'ovn.kubernetes.io/node-name';
export const DEFAULT_PROVIDER = 'ovn';
/** IP spec.podType of a KubeVirt VM's IP CR (util.VM in pkg/util/const.go). */
export const VM_POD_TYPE = 'VirtualMachine';

/** ovs.PodNameToPortName: `pod.ns` for the default provider, `pod.ns.provider` otherwise. Also the IP CR name. */
export function portName(pod: string, namespace: string, provider: string): string {
  return provider === DEFAULT_PROVIDER ? `${pod}.${namespace}` : `${pod}.${namespace}.${provider}`;
}

/** Provider of a Kube-OVN NAD attachment: `<nad>.<nadNs>.ovn`. */
export function attachmentProvider(nad: string, namespace: string): string {
  return `${nad}.${namespace}.ovn`;
}

export function annotation(provider: string, field: string): string {
  return `${provider}.kubernetes.io/${field}`;
}

export function podKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

export function splitKey(key: string): [namespace: string, name: string] {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
}

// --- builders used by scenarios ------------------------------------------------------------

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/** A /28 subnet: 14 host addresses, the gateway (.1) excluded. */
export function subnet(name: string, octet: number): KubeObject {
  const cidrBlock = `10.${octet}.0.0/28`;
  return {
    apiVersion: 'kubeovn.io/v1',
    kind: 'Subnet',
    metadata: { name },
    spec: { cidrBlock, gateway: `10.${octet}.0.1`, excludeIps: [`10.${octet}.0.1`], provider: DEFAULT_PROVIDER, protocol: 'IPv4' },
  };
}

export function nad(name: string, ns: string): KubeObject {
  return {
    apiVersion: 'k8s.cni.cncf.io/v1',
    kind: 'NetworkAttachmentDefinition',
    metadata: { name, namespace: ns },
    spec: { config: JSON.stringify({ cniVersion: '0.3.0', type: 'kube-ovn', server_socket: '/run/openvswitch/kube-ovn-daemon.sock', provider: attachmentProvider(name, ns) }) },
  };
}

/** A pod on node1 in `subnetName`, with attachments `[nadNs/nad, subnet]` (each attachment's subnet set by annotation). */
export function pod(name: string, ns: string, subnetName: string, attachments: readonly { nad: string; subnet: string }[] = []): KubeObject {
  const annotations: Record<string, string> = { [LOGICAL_SWITCH_ANNOTATION]: subnetName };
  if (attachments.length) {
    annotations[NETWORKS_ANNOTATION] = attachments.map((a) => `${ns}/${a.nad}`).join(', ');
    for (const a of attachments) annotations[annotation(attachmentProvider(a.nad, ns), 'logical_switch')] = a.subnet;
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, annotations },
    spec: { nodeName: 'node1', terminationGracePeriodSeconds: 30, containers: [{ name: 'compute', image: 'kubevirt/virt-launcher' }] },
    status: { phase: 'Running' },
  };
}

/** MAC derived from the address, like a deterministic IPAM would hand out. */
export function macFor(ip: string): string {
  const hex = ip.split('.').map((o) => Number(o).toString(16).padStart(2, '0'));
  return `00:00:${hex.join(':')}`;
}

// --- KubeVirt (the pods are virt-launcher pods of VMs) ----------------------------------

export const VirtualMachineKind = defineKind({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', namespaced: true, statusSubresource: true });
export const VirtualMachineInstanceKind = defineKind({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', namespaced: true, statusSubresource: true });

/** util.VMInstance: the owner kind that makes a pod a VM pod (isVMPod, pod.go ~1819). */
export const VM_INSTANCE_KIND = 'VirtualMachineInstance';

/** Network annotations of a pod (or a VM's pod template): default subnet and attachments. */
function networkAnnotations(ns: string, subnetName: string, attachments: readonly { nad: string; subnet: string }[]): Record<string, string> {
  const annotations: Record<string, string> = { [LOGICAL_SWITCH_ANNOTATION]: subnetName };
  if (attachments.length) {
    annotations[NETWORKS_ANNOTATION] = attachments.map((a) => `${ns}/${a.nad}`).join(', ');
    for (const a of attachments) annotations[annotation(attachmentProvider(a.nad, ns), 'logical_switch')] = a.subnet;
  }
  return annotations;
}

/** A VirtualMachine whose pod template asks for the given networks (getVMLsps reads them, gc.go ~825). */
export function virtualMachine(name: string, ns: string, subnetName: string, attachments: readonly { nad: string; subnet: string }[] = []): KubeObject {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachine',
    metadata: { name, namespace: ns },
    spec: { running: true, template: { metadata: { annotations: networkAnnotations(ns, subnetName, attachments) } } },
  };
}

/**
 * The VM's VirtualMachineInstance, owned by the VM. Owner uids are placeholders (the API server
 * requires one but does not check it): kube-ovn reads only an owner's kind and name, and the
 * Kube-OVN system runs no garbage collector.
 */
export function virtualMachineInstance(name: string, ns: string): KubeObject {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: VM_INSTANCE_KIND,
    metadata: { name, namespace: ns, ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', name, uid: `uid-of-vm-${name}`, controller: true }] },
    spec: {},
  };
}

/** The virt-launcher pod of VM `vm` (owned by its VMI), with the VM's networks. */
export function vmLauncherPod(vm: string, ns: string, subnetName: string, attachments: readonly { nad: string; subnet: string }[] = []): KubeObject {
  const p = pod(`virt-launcher-${vm}`, ns, subnetName, attachments);
  return {
    ...p,
    metadata: {
      ...p.metadata,
      ownerReferences: [{ apiVersion: 'kubevirt.io/v1', kind: VM_INSTANCE_KIND, name: vm, uid: `uid-of-vmi-${vm}`, controller: true, blockOwnerDeletion: true }],
    },
  };
}

/**
 * Kube-OVN VPC and Subnet objects (kubeovn.io/v1), as far as the VPC/subnet finalizer flows
 * read and write them (v1.13.x, pkg/apis/kubeovn/v1/types.go VpcSpec/VpcStatus, SubnetSpec).
 */
import { type StoredObject, type UserOp, defineKind } from '../../src/index.ts';

/** kubeovn.io/v1 Vpc: cluster-scoped, status subresource. */
export const VpcKind = defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'Vpc', namespaced: false, statusSubresource: true });
/** kubeovn.io/v1 Subnet: cluster-scoped, status subresource. */
export const SubnetKind = defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'Subnet', namespaced: false, statusSubresource: true });

export interface VpcSpec {
  readonly namespaces?: readonly string[];
}

/**
 * VpcStatus. `Vpc.Status.Bytes()` marshals the whole struct and every field but conditions
 * has no `omitempty`, so each status write is a merge patch of all of these fields.
 */
export interface VpcStatus {
  readonly standby?: boolean;
  readonly default?: boolean;
  readonly defaultLogicalSwitch?: string;
  readonly router?: string;
  readonly subnets?: readonly string[] | null;
}

export type Vpc = StoredObject<VpcSpec, VpcStatus>;

export interface SubnetSpec {
  readonly vpc: string;
  readonly cidrBlock: string;
  readonly protocol: 'IPv4';
  /** `ovn` (or empty): an OVN subnet, counted in its VPC's status (isOvnSubnet). */
  readonly provider: string;
  readonly default?: boolean;
}

export interface SubnetStatus {
  readonly v4usingIPs?: number;
  readonly conditions?: readonly { readonly type: string; readonly status: string; readonly reason?: string }[];
}

export type Subnet = StoredObject<SubnetSpec, SubnetStatus>;

/** util.KubeOVNControllerFinalizer (v1.13+), on subnets and, from #5071, on VPCs. */
export const FINALIZER = 'kubeovn.io/kube-ovn-controller';

/** A custom VPC as `kubectl apply` sends it. */
export function vpc(name: string): UserOp {
  return { verb: 'create', object: { apiVersion: VpcKind.apiVersion, kind: 'Vpc', metadata: { name }, spec: {} } };
}

/** An OVN subnet of a custom VPC, already formatted (formatSubnet is not modelled). */
export function subnet(name: string, vpcName: string, octet: number): UserOp {
  const spec: SubnetSpec = { vpc: vpcName, cidrBlock: `10.${octet}.0.0/24`, protocol: 'IPv4', provider: 'ovn' };
  return { verb: 'create', object: { apiVersion: SubnetKind.apiVersion, kind: 'Subnet', metadata: { name }, spec } };
}

export const deleteVpc = (name: string, actor = 'admin'): UserOp => ({ verb: 'delete', kind: 'Vpc', name, actor });
export const deleteSubnet = (name: string, actor = 'user'): UserOp => ({ verb: 'delete', kind: 'Subnet', name, actor });

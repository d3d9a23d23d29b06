/**
 * The Kube-OVN VPC model: VPC and subnet finalizers (kubeovn/kube-ovn#5068, fixed by #5071)
 * and the stale VPC status that lists deleted subnets (#5220, fixed by #5228).
 *
 * Variants follow the upstream release branch:
 * - `buggy` (v1.13.3): a VPC has no finalizer; deleting it leaves its subnets pointing at a
 *   VPC that no longer exists (#5068).
 * - `finalizer-only` (v1.13.4, #5071 alone): the VPC finalizer is removed only when
 *   status.subnets is empty — but handleAddOrUpdateVpc writes back the subnets of its cached
 *   copy, so a stale status can keep listing a deleted subnet and the VPC never goes (#5220).
 * - `fixed` (v1.13.12, #5071 + #5228): status.subnets is recomputed from the subnet lister.
 *
 * Written against kuberace's public API only (test/models/imports.test.ts enforces it).
 */
import * as fc from 'fast-check';
import { type Scenario, type UserOp, type WorldView, atStable, defineModel, sometimes } from '../../src/index.ts';
import { type VpcConfig, vpcController } from './controller.ts';
import { type Subnet, SubnetKind, type Vpc, VpcKind, deleteSubnet, deleteVpc, subnet, vpc } from './objects.ts';
import { type OvnNb, OVN_NB, ovnNb } from './ovn.ts';

export type { VpcConfig };

const describeVpc = (v: Vpc) =>
  `Vpc/${v.metadata.name}${v.metadata.deletionTimestamp ? ' terminating' : ''} finalizers=[${(v.metadata.finalizers ?? []).join(',')}] status.subnets=[${(v.status?.subnets ?? []).join(',')}]`;

/** #5068: at stable states no Subnet names a VPC that does not exist. */
export const noOrphanSubnet = atStable(
  'no-orphan-subnet',
  (v: WorldView) => {
    const orphans = v.list<Subnet>('Subnet').filter((s) => !v.get('Vpc', undefined, s.spec?.vpc ?? ''));
    if (!orphans.length) return true;
    return orphans.map((s) => `Subnet/${s.metadata.name} references vpc ${s.spec?.vpc}, which does not exist`).join('; ');
  },
  'at stable states every subnet belongs to an existing VPC (kubeovn/kube-ovn#5068)',
);

/** Nothing stuck: a terminating VPC that no subnet references any more must go away. */
export const noStuckVpc = atStable(
  'no-stuck-vpc',
  (v: WorldView) => {
    const subnets = v.list<Subnet>('Subnet');
    const stuck = v.list<Vpc>('Vpc').filter((x) => x.metadata.deletionTimestamp && !subnets.some((s) => s.spec?.vpc === x.metadata.name));
    if (!stuck.length) return true;
    return `stuck terminating without subnets: ${stuck.map(describeVpc).join('; ')}`;
  },
  'at stable states no VPC stays terminating once none of its subnets exist (kubeovn/kube-ovn#5220 with #5071)',
);

/** Nothing stuck: no subnet stays terminating. */
export const noStuckSubnet = atStable(
  'no-stuck-subnet',
  (v: WorldView) => {
    const stuck = v.list<Subnet>('Subnet').filter((s) => s.metadata.deletionTimestamp);
    if (!stuck.length) return true;
    return `stuck terminating: ${stuck.map((s) => `Subnet/${s.metadata.name} finalizers=[${(s.metadata.finalizers ?? []).join(',')}]`).join('; ')}`;
  },
  'at stable states no subnet keeps a deletionTimestamp',
);

/** OVN matches the custom resources: every logical router has its VPC and every logical switch its subnet. */
export const ovnMatchesResources = atStable(
  'ovn-matches-resources',
  (v: WorldView) => {
    const nb = v.external<OvnNb>(OVN_NB);
    const leaked = [
      ...Object.keys(nb.routers).filter((r) => !v.get('Vpc', undefined, r)).map((r) => `logical router ${r} without its Vpc`),
      ...Object.keys(nb.switches).filter((s) => !v.get('Subnet', undefined, s)).map((s) => `logical switch ${s} without its Subnet`),
    ];
    return leaked.length === 0 || leaked.join('; ');
  },
  'at stable states every OVN logical router and switch belongs to an existing VPC or subnet',
);

/** The race window: a VPC is terminating or gone while a subnet still names it. */
export const vpcDeletedBeforeSubnet = sometimes(
  'vpc-deleted-before-subnet',
  (v: WorldView) => v.list<Subnet>('Subnet').some((s) => {
    const owner = v.get<Vpc>('Vpc', undefined, s.spec?.vpc ?? '');
    return !owner || owner.metadata.deletionTimestamp !== undefined;
  }),
  'a VPC is terminating or deleted while one of its subnets exists',
);

export const properties = [noOrphanSubnet, noStuckVpc, noStuckSubnet, ovnMatchesResources, vpcDeletedBeforeSubnet];

export const variants = {
  buggy: {
    description: 'v1.13.3: no VPC finalizer; a VPC is deleted before its subnets (#5068)',
    config: { version: 'v1.13.3', vpcFinalizer: false, recomputeStatusSubnets: false, workerNum: 3 },
  },
  fixed: {
    description: 'v1.13.12: VPC finalizer removed only when no subnet references the VPC (#5071), status.subnets recomputed (#5228)',
    config: { version: 'v1.13.12', vpcFinalizer: true, recomputeStatusSubnets: true, workerNum: 3 },
  },
  'finalizer-only': {
    description: 'v1.13.4: the VPC finalizer (#5071) without #5228: a stale status.subnets keeps the VPC (#5220)',
    config: { version: 'v1.13.4', vpcFinalizer: true, recomputeStatusSubnets: false, workerNum: 3 },
  },
} satisfies Record<string, { description: string; config: VpcConfig }>;

const base = (subnets: readonly string[]): UserOp[] => [vpc('vpc1'), ...subnets.map((s, i) => subnet(s, 'vpc1', i + 1))];

/** kubeovn/kube-ovn#5068 as reported: a VPC with a subnet is deleted; the subnet stays. */
export const issue5068: Scenario = { setup: base(['s1']), ops: [deleteVpc('vpc1')] };

/** `kubectl delete -f` of a VPC and its subnet: both deletes race the controller. */
export const deleteTogether: Scenario = { setup: base(['s1']), ops: [deleteVpc('vpc1'), deleteSubnet('s1')] };

/** The documented order, by one actor: the subnet first, then the VPC (without waiting). */
export const subnetThenVpc: Scenario = { setup: base(['s1']), ops: [deleteSubnet('s1', 'user'), deleteVpc('vpc1', 'user')] };

/**
 * A residual race (a finding of this model, not an upstream issue): a subnet created while its
 * VPC is being deleted. The #5071 finalizer keys on status.subnets, which lists a subnet only
 * after handleAddOrUpdateSubnet has finished with it, and the subnet webhook (v1.13.x
 * SubnetCreateHook) does not require the VPC to exist — so the VPC can go and leave the new
 * subnet behind on every variant, v1.13.12 included.
 */
export const createSubnetDuringVpcDelete: Scenario = { setup: [vpc('vpc1')], ops: [{ ...subnet('s1', 'vpc1', 1), actor: 'user' }, deleteVpc('vpc1')] };

/** The scenarios of the upstream issues, on which the `fixed` variant is proven. */
export const issueScenarios = {
  'issue-5068': issue5068,
  'delete-together': deleteTogether,
  'subnet-then-vpc': subnetThenVpc,
};

export const scenarios = {
  ...issueScenarios,
  'create-subnet-during-vpc-delete': createSubnetDuringVpcDelete,
};

/**
 * Random scenarios: one VPC with one or two subnets (created in setup); the VPC is deleted by
 * `admin`, each subnet is kept or deleted, by `user` or by its own actor, before or after.
 */
export function vpcScenarioArbitrary(): fc.Arbitrary<Scenario> {
  return fc
    .record({
      subnets: fc.array(fc.record({ deleted: fc.boolean(), ownActor: fc.boolean() }), { minLength: 1, maxLength: 2 }),
      vpcFirst: fc.boolean(),
    })
    .map(({ subnets, vpcFirst }): Scenario => {
      const names = subnets.map((_, i) => `s${i + 1}`);
      const deletes = subnets.flatMap((s, i) => (s.deleted ? [deleteSubnet(names[i], s.ownActor ? `user${i + 1}` : 'user')] : []));
      const ops = vpcFirst ? [deleteVpc('vpc1'), ...deletes] : [...deletes, deleteVpc('vpc1')];
      return { setup: base(names), ops };
    });
}

export const vpcModel = defineModel<VpcConfig>({
  name: 'vpc',
  description: 'Kube-OVN VPC and subnet finalizers: VPC deleted before its subnets (kubeovn/kube-ovn#5068, #5071; #5220, #5228)',
  variants,
  system: (cfg) => ({
    kinds: [VpcKind, SubnetKind],
    controllers: [vpcController(cfg)],
    externals: [ovnNb],
    systemActors: [],
  }),
  properties,
  scenarios,
  scenarioArbitrary: () => vpcScenarioArbitrary(),
});

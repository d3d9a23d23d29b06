/** Scenarios: the shapes from kubeovn/kube-ovn#4898 and a generator of small clusters. */
import * as fc from 'fast-check';
import type { Scenario, UserOp } from '../../src/index.ts';
import { nad, namespace, pod, subnet, virtualMachine, virtualMachineInstance, vmLauncherPod } from './objects.ts';

const NS = 'vm';

function base(subnets: readonly string[], nads: readonly string[]): UserOp[] {
  return [
    { verb: 'create', object: namespace(NS) },
    ...subnets.map((s, i): UserOp => ({ verb: 'create', object: subnet(s, 16 + i) })),
    ...nads.map((n): UserOp => ({ verb: 'create', object: nad(n, NS) })),
  ];
}

const deletePod = (name: string, actor = 'user'): UserOp => ({ verb: 'delete', kind: 'Pod', namespace: NS, name, actor });
const deleteSubnet = (name: string, actor = 'admin', afterGone?: string[]): UserOp => ({ verb: 'delete', kind: 'Subnet', name, actor, ...(afterGone ? { afterGone } : {}) });

/** The issue: a VM pod in namespace vm with two attachment networks in the same subnet; pod and subnet deleted at once. */
export const issue4898: Scenario = {
  setup: base(['s1'], ['attach1', 'attach2']),
  ops: [
    { verb: 'create', object: pod('p1', NS, 's1', [{ nad: 'attach1', subnet: 's1' }, { nad: 'attach2', subnet: 's1' }]), actor: 'user' },
    deletePod('p1'),
    deleteSubnet('s1'),
  ],
};

/** The smallest shape of the race: one pod, one network. */
export const singleNetwork: Scenario = {
  setup: base(['s1'], []),
  ops: [{ verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' }, deletePod('p1'), deleteSubnet('s1')],
};

/** One attachment network: the pod's two IP CRs are created at different times. */
export const oneAttachment: Scenario = {
  setup: base(['s1'], ['attach1']),
  ops: [{ verb: 'create', object: pod('p1', NS, 's1', [{ nad: 'attach1', subnet: 's1' }]), actor: 'user' }, deletePod('p1'), deleteSubnet('s1')],
};

/** The documented best practice as users apply it: delete the subnet once the pod object is gone. */
export const serialized: Scenario = {
  setup: base(['s1'], []),
  ops: [{ verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' }, deletePod('p1'), deleteSubnet('s1', 'user', ['Pod/vm/p1'])],
};

/**
 * The best practice taken literally: the pod is deleted only once the controller is idle (its
 * IPs allocated), and the subnet only once the pod is gone and the controller is idle again.
 */
export const serializedIdle: Scenario = {
  setup: base(['s1'], []),
  ops: [
    { verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' },
    { ...deletePod('p1'), whenIdle: true },
    { ...deleteSubnet('s1', 'user', ['Pod/vm/p1']), whenIdle: true },
  ],
};

/** A stronger order: delete the subnet only after the pod AND its IP CRs are gone. */
export const serializedAfterCleanup: Scenario = {
  setup: base(['s1'], []),
  ops: [{ verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' }, deletePod('p1'), deleteSubnet('s1', 'user', ['Pod/vm/p1', 'IP/p1.vm'])],
};

/** Scenario A's user then runs `kubectl delete ip` on the leaked IP. */
export const kubectlDeleteIP: Scenario = {
  setup: base(['s1'], []),
  ops: [
    { verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' },
    deletePod('p1'),
    deleteSubnet('s1'),
    { verb: 'delete', kind: 'IP', name: 'p1.vm', actor: 'operator', afterGone: ['Pod/vm/p1', 'Subnet/s1'] },
  ],
};

/**
 * Scenario B's extra ingredient (a finding, not upstream's explanation): the subnet also carries
 * the v1.13+ finalizer name, e.g. left by a newer controller before a rollback to v1.12.
 */
export const foreignFinalizer: Scenario = {
  setup: [
    { verb: 'create', object: namespace(NS) },
    { verb: 'create', object: { ...subnet('s1', 16), metadata: { name: 's1', finalizers: ['kubeovn.io/kube-ovn-controller'] } } },
  ],
  ops: [{ verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' }, deletePod('p1'), deleteSubnet('s1')],
};

/** Two pods allocating in one subnet at once (no deletes): what the subnet lock of fix 2 serialises. */
export const twoPods: Scenario = {
  setup: base(['s1'], []),
  ops: [
    { verb: 'create', object: pod('p1', NS, 's1'), actor: 'user1' },
    { verb: 'create', object: pod('p2', NS, 's1'), actor: 'user2' },
  ],
  symmetry: [[['p1', 'user1'], ['p2', 'user2']]],
};

const twoAttachments = [{ nad: 'attach1', subnet: 's1' }, { nad: 'attach2', subnet: 's1' }];

/**
 * The issue as reported: a KubeVirt VM `vm1` (keep-vm-ip on, the default) whose virt-launcher pod has
 * the default network and two attachments in s1; the VM and the subnet are deleted while the pod's IPs
 * are being allocated. KubeVirt is reduced to its cascade, as ops of `virt-controller`: it creates the
 * launcher pod, deletes the VMI once the VM is gone, then the pod once the VMI is gone (VM and VMI
 * carry no finalizers here).
 */
export const issue4898VM: Scenario = {
  setup: [...base(['s1'], ['attach1', 'attach2']), { verb: 'create', object: virtualMachine('vm1', NS, 's1', twoAttachments) }, { verb: 'create', object: virtualMachineInstance('vm1', NS) }],
  ops: [
    { verb: 'create', object: vmLauncherPod('vm1', NS, 's1', twoAttachments), actor: 'virt-controller' },
    { verb: 'delete', kind: 'VirtualMachineInstance', namespace: NS, name: 'vm1', actor: 'virt-controller', afterGone: ['VirtualMachine/vm/vm1'] },
    { verb: 'delete', kind: 'Pod', namespace: NS, name: 'virt-launcher-vm1', actor: 'virt-controller', afterGone: ['VirtualMachineInstance/vm/vm1'] },
    { verb: 'delete', kind: 'VirtualMachine', namespace: NS, name: 'vm1', actor: 'user' },
    deleteSubnet('s1'),
  ],
};

/**
 * Designed behaviour: the VM is stopped (its VMI and launcher pod go, the VM stays) and then its
 * subnet is deleted. keep-vm-ip keeps the VM's IP CRs, so the subnet waits for them.
 */
export const vmStoppedSubnetDeleted: Scenario = {
  setup: [...base(['s1'], []), { verb: 'create', object: virtualMachine('vm1', NS, 's1') }, { verb: 'create', object: virtualMachineInstance('vm1', NS) }],
  ops: [
    { verb: 'create', object: vmLauncherPod('vm1', NS, 's1'), actor: 'virt-controller' },
    { verb: 'delete', kind: 'VirtualMachineInstance', namespace: NS, name: 'vm1', actor: 'virt-controller', whenIdle: true },
    { verb: 'delete', kind: 'Pod', namespace: NS, name: 'virt-launcher-vm1', actor: 'virt-controller', afterGone: ['VirtualMachineInstance/vm/vm1'] },
    { ...deleteSubnet('s1', 'admin', ['Pod/vm/virt-launcher-vm1']), whenIdle: true },
  ],
};

/**
 * Designed behaviour, not a race: the subnet is deleted once the pod's IPs are allocated and the
 * pod lives on. Kube-OVN keeps the subnet terminating while the pod's IP CR holds it; no property
 * may call that stuck (the no-false-positive check of the stuck-state properties).
 */
export const subnetHeldByLivePod: Scenario = {
  setup: base(['s1'], []),
  ops: [{ verb: 'create', object: pod('p1', NS, 's1'), actor: 'user' }, { ...deleteSubnet('s1'), whenIdle: true }],
};

export const scenarios = {
  'issue-4898': issue4898,
  'issue-4898-vm': issue4898VM,
  'single-network': singleNetwork,
  'one-attachment': oneAttachment,
  serialized,
  'serialized-after-cleanup': serializedAfterCleanup,
  'serialized-idle': serializedIdle,
  'kubectl-delete-ip': kubectlDeleteIP,
  'foreign-finalizer': foreignFinalizer,
  'two-pods': twoPods,
  'subnet-held-by-live-pod': subnetHeldByLivePod,
  'vm-stopped-subnet-deleted': vmStoppedSubnetDeleted,
} as const;

/** Random clusters: 1-2 subnets, 1-3 pods with 0-3 attachments each, deletes of pods and subnets at any time. */
export function scenarioArbitrary(): fc.Arbitrary<Scenario> {
  return fc
    .record({
      subnets: fc.integer({ min: 1, max: 2 }),
      pods: fc.array(
        fc.record({ subnet: fc.nat(1), attachments: fc.array(fc.nat(1), { maxLength: 3 }), deleted: fc.boolean() }),
        { minLength: 1, maxLength: 3 },
      ),
      deleteSubnets: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    })
    .map(({ subnets, pods, deleteSubnets }) => {
      const subnetNames = Array.from({ length: subnets }, (_, i) => `s${i + 1}`);
      const maxAttach = Math.max(0, ...pods.map((p) => p.attachments.length));
      const nadNames = Array.from({ length: maxAttach }, (_, i) => `attach${i + 1}`);
      const ops: UserOp[] = [];
      pods.forEach((p, i) => {
        const name = `p${i + 1}`;
        const actor = `user${i + 1}`;
        const attachments = p.attachments.map((s, j) => ({ nad: nadNames[j], subnet: subnetNames[s % subnets] }));
        ops.push({ verb: 'create', object: pod(name, NS, subnetNames[p.subnet % subnets], attachments), actor });
        if (p.deleted) ops.push(deletePod(name, actor));
      });
      subnetNames.forEach((s, i) => {
        if (deleteSubnets[i]) ops.push(deleteSubnet(s));
      });
      return { setup: base(subnetNames, nadNames), ops };
    });
}

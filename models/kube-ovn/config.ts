/**
 * Switches that select upstream behaviour (v1.12.28 vs master) and the proposed fixes of
 * kubeovn/kube-ovn#4898. Each upstream change is its own switch so fixes can be judged
 * separately and in combination.
 */

export interface KubeOvnConfig {
  /** Finalizer name on Subnet and IP: `kube-ovn-controller` (v1.12) or `kubeovn.io/kube-ovn-controller` (v1.13+). */
  readonly finalizer: string;
  /** NAD lookups by direct API GET (v1.12) or by lister (master). */
  readonly nadFromLister: boolean;
  /** #5364 (+#5929): a deleting pod's missing subnet / NAD is skipped instead of failing getPodKubeovnNets. */
  readonly skipMissingSubnetWhenDeleting: boolean;
  /** 02abcbb18 (#5698): the IP finalizer is set in the Create call (otherwise handleAddIP patches it later). */
  readonly ipFinalizerOnCreate: boolean;
  /** #6275/#6312: handleUpdateIP tolerates a missing subnet and still removes the finalizer. */
  readonly updateIPToleratesMissingSubnet: boolean;
  /**
   * master's handleUpdateIP cleanup: LSP deleted without the MAC check, IPAM released by
   * (ns/pod, nic) (v1.12 passes the IP name as owner: a no-op for pod IPs), both finalizer
   * names removed, then a subnet status recount.
   */
  readonly updateIPMasterCleanup: boolean;
  /** #3469: handleAddOrUpdateSubnet recounts status before the finalizer decision. */
  readonly statusBeforeFinalizer: boolean;
  /** #6388: the IP update path sets the `<subnet>=""` counting label. */
  readonly updatePathSetsSubnetLabel: boolean;
  /** master (#6814): usingIPs counted by spec.subnet instead of the `<subnet>=""` label. */
  readonly countBySpec: boolean;
  /** master: handleDeletePod deletes only IP CRs found in the IP lister, releasing by nic and recounting per net. */
  readonly deletePodUsesIPLister: boolean;
  /** master (#6989): handleDeletePod returns the getPodKubeovnNets error (retried) instead of going on with no networks. */
  readonly deletePodRequeuesOnNetsError: boolean;
  /** Start-up gcIP: none (v1.12), by subnet-in-IPAM (#5364) or by owner existence (#5702). */
  readonly gcIP: 'none' | 'subnet' | 'owner';
  /** master (#5193): InitIPAM re-queues Terminating IPs into updateIPQueue. */
  readonly requeueTerminatingIPsAtStart: boolean;
  /** Proposed fix 1: pod deletion deletes every IP CR of the pod from its annotations, whether or not the subnet exists. */
  readonly fix1DeleteIPsFromAnnotations: boolean;
  /**
   * Proposed fix 2: a per-subnet lock shared by pod allocation, IP deletion and the subnet
   * finalizer decision; allocation re-reads the subnet live and refuses a terminating one;
   * the finalizer decision counts IP CRs with a live LIST.
   */
  readonly fix2SubnetLock: boolean;
  /**
   * Proposed here (fix 4): calcSubnetStatusIP writes the recount even when it equals the CACHED
   * status. Upstream skips the write then, so when the subnet cache lags behind the server a stale
   * count stays on the server (and a terminating subnet never re-enters the finalizer check).
   */
  readonly statusWriteEvenIfCachedEqual: boolean;
  /**
   * master handleSubnetFinalizer: the finalizer is added/removed by a JSON merge patch of
   * metadata.finalizers computed from the copy in hand (no resourceVersion: never a Conflict, the
   * list is replaced); v1.12.28 uses a full Update with the cached resourceVersion.
   */
  readonly subnetFinalizerByPatch: boolean;
  /** v1.12.28 handleSubnetFinalizer sleeps 1 s after adding the finalizer ("wait local cache ready"). */
  readonly sleepAfterSubnetFinalizerAdd: boolean;
  /** master patchSubnetStatus returns its error and the handler aborts (v1.12.28 only logs it). */
  readonly subnetStatusPatchErrorAborts: boolean;
  /** master calcSubnetStatusIP patches only the IP count/range fields (v1.12.28: the whole status of the copy). */
  readonly calcPatchesOnlyIPFields: boolean;
  /** deletingPodObjMap entry dropped after a successful handleDeletePod: 5 min later (v1.12.28) or at once (master). */
  readonly deletingPodDrop: 'after5min' | 'onSuccess';
  /** --keep-vm-ip (default true in v1.12.28 and master): a VM pod's IPs are named after the VM and kept while it exists. */
  readonly keepVMIP: boolean;
  /** Optional webhook (pkg/webhook/subnet.go): SubnetUpdateHook on main-resource writes, SubnetDeleteHook denying a delete while stored usingIPs != 0. */
  readonly subnetDeleteWebhook: boolean;
  /** markAndCleanLSP period in ms (360 s default; 0 disables the periodic GC). */
  readonly gcIntervalMs: number;
  /** Workers per queue (Kube-OVN --worker-num, default 3). */
  readonly workerNum: number;
  /** addOrUpdateSubnetQueue goroutines: 1 in v1.12.28, workerNum on master. */
  readonly addSubnetWorkers: number;
}

export const v1_12_28: KubeOvnConfig = {
  finalizer: 'kube-ovn-controller',
  nadFromLister: false,
  skipMissingSubnetWhenDeleting: false,
  ipFinalizerOnCreate: false,
  updateIPToleratesMissingSubnet: false,
  updateIPMasterCleanup: false,
  statusBeforeFinalizer: false,
  updatePathSetsSubnetLabel: false,
  countBySpec: false,
  deletePodUsesIPLister: false,
  deletePodRequeuesOnNetsError: false,
  gcIP: 'none',
  requeueTerminatingIPsAtStart: false,
  fix1DeleteIPsFromAnnotations: false,
  fix2SubnetLock: false,
  statusWriteEvenIfCachedEqual: false,
  subnetFinalizerByPatch: false,
  sleepAfterSubnetFinalizerAdd: true,
  subnetStatusPatchErrorAborts: false,
  calcPatchesOnlyIPFields: false,
  deletingPodDrop: 'after5min',
  keepVMIP: true,
  subnetDeleteWebhook: false,
  gcIntervalMs: 360_000,
  workerNum: 3,
  addSubnetWorkers: 1,
};

/** Proposed fix 3: finalizer on IP create, handleUpdateIP tolerates a missing subnet, status before the finalizer decision. */
const fix3: Partial<KubeOvnConfig> = { ipFinalizerOnCreate: true, updateIPToleratesMissingSubnet: true, statusBeforeFinalizer: true };

/** The merged upstream set on master (1533681d7). */
export const master: KubeOvnConfig = {
  ...v1_12_28,
  finalizer: 'kubeovn.io/kube-ovn-controller',
  nadFromLister: true,
  skipMissingSubnetWhenDeleting: true,
  ipFinalizerOnCreate: true,
  updateIPToleratesMissingSubnet: true,
  updateIPMasterCleanup: true,
  statusBeforeFinalizer: true,
  updatePathSetsSubnetLabel: true,
  countBySpec: true,
  deletePodUsesIPLister: true,
  deletePodRequeuesOnNetsError: true,
  gcIP: 'owner',
  requeueTerminatingIPsAtStart: true,
  subnetFinalizerByPatch: true,
  sleepAfterSubnetFinalizerAdd: false,
  subnetStatusPatchErrorAborts: true,
  calcPatchesOnlyIPFields: true,
  deletingPodDrop: 'onSuccess',
  addSubnetWorkers: 3,
};

export const variants = {
  'v1.12.28': { description: 'kube-ovn v1.12.28 (368e6effb2), where #4898 was reported', config: v1_12_28 },
  fix1: { description: 'v1.12.28 + proposed fix 1: pod deletion deletes its IP CRs from its annotations', config: { ...v1_12_28, fix1DeleteIPsFromAnnotations: true } },
  fix2: { description: 'v1.12.28 + proposed fix 2: per-subnet lock for allocation, IP deletion and the finalizer decision (live count)', config: { ...v1_12_28, fix2SubnetLock: true } },
  fix3: { description: 'v1.12.28 + proposed fix 3: IP finalizer on create, handleUpdateIP tolerates a missing subnet, status before finalizer (#3469)', config: { ...v1_12_28, ...fix3 } },
  'fix1+fix3': { description: 'fixes 1 and 3 together', config: { ...v1_12_28, ...fix3, fix1DeleteIPsFromAnnotations: true } },
  'fix1+fix2+fix3': { description: 'all three proposed fixes', config: { ...v1_12_28, ...fix3, fix1DeleteIPsFromAnnotations: true, fix2SubnetLock: true } },
  'fix2+fix4': {
    description: 'fix 2 (per-subnet lock, live count) plus fix 4 (the recount is written even when it equals the stale cached status)',
    config: { ...v1_12_28, fix2SubnetLock: true, statusWriteEvenIfCachedEqual: true },
  },
  fix4: {
    description: 'v1.12.28 + fix 4 (found here): the status recount is written even when it equals the stale cached status',
    config: { ...v1_12_28, statusWriteEvenIfCachedEqual: true },
  },
  'fix1+fix2+fix3+fix4': {
    description: 'the three proposed fixes plus fix 4',
    config: { ...v1_12_28, ...fix3, fix1DeleteIPsFromAnnotations: true, fix2SubnetLock: true, statusWriteEvenIfCachedEqual: true },
  },
  master: { description: 'master (1533681d7): #5364, #5702, #5929, #6275/#6312, #3469, finalizer on create, #6388, count by spec', config: master },
  'master+fix4': { description: 'master with fix 4', config: { ...master, statusWriteEvenIfCachedEqual: true } },
  'v1.12.28+webhook': { description: 'v1.12.28 with the SubnetDeleteHook webhook enabled', config: { ...v1_12_28, subnetDeleteWebhook: true } },
} as const satisfies Record<string, { description: string; config: KubeOvnConfig }>;

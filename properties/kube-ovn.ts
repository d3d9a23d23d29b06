/**
 * Invariants of the Kube-OVN pod/subnet/IP deletion race (kubeovn/kube-ovn#4898), named so
 * reports and the results matrix can refer to them.
 */
import { always, atStable, sometimes, type Classification, type Property, type StoredObject, type WorldView } from '../src/index.ts';
import { CONTROLLER, type KubeOvnMemory } from '../models/kube-ovn/context.ts';
import { type IP, type Subnet, VM_POD_TYPE } from '../models/kube-ovn/objects.ts';

function describeIP(ip: IP): string {
  const f = ip.metadata.finalizers?.length ? ` finalizers=[${ip.metadata.finalizers.join(',')}]` : '';
  const t = ip.metadata.deletionTimestamp ? ' terminating' : '';
  return `IP ${ip.metadata.name} (${ip.spec?.v4IpAddress})${f}${t}`;
}

/**
 * What keeps an IP CR by design: its pod, or for a KubeVirt VM pod with keep-vm-ip the VM
 * (the IP CR is named after the VM and outlives the launcher pod while the VM exists).
 */
export function ownerOf(ip: IP): { readonly kind: 'Pod' | 'VirtualMachine'; readonly namespace: string; readonly name: string } {
  const kind = ip.spec?.podType === VM_POD_TYPE ? 'VirtualMachine' : 'Pod';
  return { kind, namespace: ip.spec!.namespace, name: ip.spec!.podName };
}

function ownerText(ip: IP): string {
  const o = ownerOf(ip);
  return `${o.kind === 'Pod' ? 'pod' : 'VM'} ${o.namespace}/${o.name}`;
}

/** The IP CR's owner (pod, or VM) still exists. */
export function ownerExists(v: WorldView, ip: IP): boolean {
  const o = ownerOf(ip);
  return v.get(o.kind, o.namespace, o.name) !== undefined;
}

/** IP CRs in a subnet: by spec.subnet or as an attachment subnet (terminating ones too). */
function ipsIn(v: WorldView, subnet: string): IP[] {
  return v.list<IP>('IP').filter((ip) => ip.spec?.subnet === subnet || (ip.spec?.attachSubnets ?? []).includes(subnet));
}

/**
 * The IP CRs a terminating subnet waits for by design: those whose pod (or VM) still exists.
 * Kube-OVN keeps a subnet until its IPs are released; while their owners live that is waiting,
 * not being stuck (the documented practice is to delete pods first).
 */
export function designedWaitOf(v: WorldView, subnet: Subnet): IP[] {
  return ipsIn(v, subnet.metadata.name).filter((ip) => ownerExists(v, ip));
}

/** A terminating object at a stable state that nothing it is designed to wait for can release. */
function stuckObjects(v: WorldView): StoredObject[] {
  return Object.values(v.world.api.objects).filter((o) => {
    if (!o.metadata.deletionTimestamp) return false;
    // A subnet holding IPs of live pods (or VMs) waits for them.
    if (o.kind === 'Subnet' && designedWaitOf(v, o as Subnet).length > 0) return false;
    // A pod within its grace period with no finalizer waits for the kubelet (D9).
    if (o.kind === 'Pod' && !o.metadata.finalizers?.length && (o.metadata.deletionGracePeriodSeconds ?? 0) > 0) return false;
    return true;
  });
}

function describeStuck(v: WorldView, o: StoredObject): string {
  const status = o.kind === 'Subnet' ? ` V4USED=${(o as Subnet).status?.v4usingIPs ?? 0}` : '';
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} finalizers=[${(o.metadata.finalizers ?? []).join(',')}]${status}`;
}

/** Scenario A: no IP CR outlives both its owner (pod, or VM with keep-vm-ip) and its subnet. */
export const ipOutlivesPodAndSubnet = atStable(
  'ip-outlives-pod-and-subnet',
  (v: WorldView) => {
    const leaked = v.list<IP>('IP').filter((ip) => !ownerExists(v, ip) && !v.get('Subnet', undefined, ip.spec!.subnet));
    if (!leaked.length) return true;
    return `${leaked.map(describeIP).join('; ')} outlive(s) ${ownerText(leaked[0])} and subnet ${leaked[0].spec!.subnet}`;
  },
  'at stable states no IP custom resource whose owner (pod, or VM with keep-vm-ip) and subnet are both gone (scenario A)',
);

/**
 * Scenarios A and B: nothing stays terminating once nothing it is designed to wait for remains.
 * A subnet whose IP CRs belong to live pods (or VMs) is waiting for them, not stuck.
 */
export const noStuckTerminating = atStable(
  'no-stuck-terminating',
  (v: WorldView) => {
    const stuck = stuckObjects(v);
    if (!stuck.length) return true;
    return `stuck terminating: ${stuck.map((o) => describeStuck(v, o)).join('; ')}`;
  },
  'at stable states no object stays terminating once nothing it waits for by design remains (a subnet holding IPs of live pods waits; scenario B, and `kubectl delete ip` hanging in A)',
);

/** Scenario B exactly as reported: a terminating subnet that shows V4USED=0 yet never goes away. */
export const noStuckSubnetShowingZero = atStable(
  'no-stuck-subnet-showing-zero',
  (v: WorldView) => {
    const stuck = v
      .list<Subnet>('Subnet')
      .filter((s) => s.metadata.deletionTimestamp && (s.status?.v4usingIPs ?? 0) === 0 && designedWaitOf(v, s).length === 0);
    if (!stuck.length) return true;
    const ips = v.list<IP>('IP').map((ip) => ip.metadata.name);
    return `subnet ${stuck.map((s) => `${s.metadata.name} finalizers=[${(s.metadata.finalizers ?? []).join(',')}]`).join(', ')} is terminating with V4USED=0${ips.length ? ` while IP CRs remain: ${ips.join(', ')}` : ''}`;
  },
  'at stable states no terminating subnet that waits for no live pod shows V4USED=0 (scenario B as reported upstream)',
);

export const subnetStatusAccurate = atStable(
  'subnet-status-accurate',
  (v: WorldView) => {
    const bad: string[] = [];
    for (const s of v.list<Subnet>('Subnet')) {
      const name = s.metadata.name;
      const actual = v.list<IP>('IP').filter((ip) => ip.spec?.subnet === name).length;
      const shown = s.status?.v4usingIPs ?? 0;
      if (shown !== actual) bad.push(`subnet ${name} shows V4USED=${shown} but ${actual} IP CRs use it`);
    }
    return bad.length ? bad.join('; ') : true;
  },
  'at stable states each subnet status.v4usingIPs equals the number of IP CRs in it',
);

export const ipamMatchesIpCrs = atStable(
  'ipam-matches-ip-crs',
  (v: WorldView) => {
    const ipam = v.memory<KubeOvnMemory>(CONTROLLER).ipam;
    const bad: string[] = [];
    for (const [subnet, s] of Object.entries(ipam)) {
      if (!v.get('Subnet', undefined, subnet)) continue;
      const crs = new Set(v.list<IP>('IP').filter((ip) => ip.spec?.subnet === subnet).map((ip) => ip.spec!.v4IpAddress));
      const held = new Set(Object.keys(s.using));
      for (const a of held) if (!crs.has(a)) bad.push(`IPAM holds ${a} in ${subnet} (owner ${s.using[a].owner}) with no IP CR`);
      for (const a of crs) if (!held.has(a)) bad.push(`IP CR address ${a} in ${subnet} is free in IPAM`);
    }
    return bad.length ? bad.join('; ') : true;
  },
  'at stable states the in-memory IPAM of every existing subnet holds exactly the addresses of its IP CRs',
);

export const noDuplicateAddress = always(
  'no-duplicate-address',
  (v: WorldView) => {
    const seen = new Map<string, string>();
    for (const ip of v.list<IP>('IP')) {
      const k = `${ip.spec?.subnet}/${ip.spec?.v4IpAddress}`;
      const other = seen.get(k);
      if (other) return `IP CRs ${other} and ${ip.metadata.name} both hold ${ip.spec?.v4IpAddress} in ${ip.spec?.subnet}`;
      seen.set(k, ip.metadata.name);
    }
    return true;
  },
  { description: 'after every step no two IP CRs of one subnet hold the same address', reads: ['api/IP/*'] },
);

/** The racy window: a subnet is terminating or gone while an allocation of a pod is in flight. */
export const subnetDeletedDuringAllocation = sometimes(
  'subnet-deleted-during-allocation',
  (v: WorldView) => {
    const allocating = v.inflight(CONTROLLER).some((f) => f.handler === 'handleAddOrUpdatePod' && f.steps > 2);
    if (!allocating) return false;
    const ipam = v.memory<KubeOvnMemory>(CONTROLLER).ipam;
    return Object.keys(ipam).some((s) => {
      const obj = v.get<Subnet>('Subnet', undefined, s);
      return !obj || !!obj.metadata.deletionTimestamp;
    });
  },
  'a subnet is terminating or gone while handleAddOrUpdatePod is allocating',
);

export const subnetGoneWithIPs = sometimes(
  'subnet-gone-while-ip-crs-remain',
  (v: WorldView) => v.list<IP>('IP').some((ip) => !v.get('Subnet', undefined, ip.spec!.subnet)),
  'an IP CR exists whose subnet has been removed',
);

export const ipTerminating = sometimes(
  'ip-cr-terminating',
  (v: WorldView) => v.list<IP>('IP').some((ip) => !!ip.metadata.deletionTimestamp),
  'an IP CR is terminating (its finalizer is being honoured)',
);

export const kubeOvnProperties: readonly Property[] = [
  ipOutlivesPodAndSubnet,
  noStuckTerminating,
  noStuckSubnetShowingZero,
  subnetStatusAccurate,
  ipamMatchesIpCrs,
  noDuplicateAddress,
  subnetDeletedDuringAllocation,
  subnetGoneWithIPs,
  ipTerminating,
];

/**
 * The class of a Kube-OVN violation, from the final state: scenario A (an IP CR whose owner and
 * subnet are gone), scenario B as reported (a terminating subnet at V4USED=0 that waits for no live
 * pod), stale status (a terminating subnet showing V4USED>0 with no IP CR left in it), an IP CR stuck
 * terminating; otherwise what the property saw (IPAM out of sync, a duplicate address, a wrong
 * subnet count) or other. The evidence lists the objects that decide it.
 */
export function classifyKubeOvn(v: WorldView, violation: { readonly property: string; readonly message: string }): Classification {
  const leaked = v.list<IP>('IP').filter((ip) => !ownerExists(v, ip) && !v.get('Subnet', undefined, ip.spec!.subnet));
  if (leaked.length) {
    return {
      label: 'scenario A',
      evidence: leaked.map((ip) => `${describeIP(ip)}: ${ownerText(ip)} gone, subnet ${ip.spec!.subnet} gone`),
    };
  }
  const stuckSubnets = v.list<Subnet>('Subnet').filter((s) => s.metadata.deletionTimestamp && designedWaitOf(v, s).length === 0);
  const subnetFacts = (s: Subnet) => {
    const ips = ipsIn(v, s.metadata.name);
    const held = ips.length ? `IP CRs in it: ${ips.map((ip) => `${ip.metadata.name} (${ownerText(ip)} gone)`).join(', ')}` : 'no IP CR in it';
    return `Subnet ${s.metadata.name} terminating, finalizers=[${(s.metadata.finalizers ?? []).join(',')}], V4USED=${s.status?.v4usingIPs ?? 0}; ${held}`;
  };
  const zero = stuckSubnets.filter((s) => (s.status?.v4usingIPs ?? 0) === 0);
  if (zero.length) return { label: 'scenario B (V4USED=0)', evidence: zero.map(subnetFacts) };
  const stale = stuckSubnets.filter((s) => (s.status?.v4usingIPs ?? 0) > 0 && ipsIn(v, s.metadata.name).length === 0);
  if (stale.length) {
    return { label: `stale status (V4USED=${stale[0].status?.v4usingIPs}, no IP CR)`, evidence: stale.map(subnetFacts) };
  }
  const stuckIPs = v.list<IP>('IP').filter((ip) => ip.metadata.deletionTimestamp);
  if (stuckIPs.length) {
    return {
      label: 'IP CR stuck terminating',
      evidence: stuckIPs.map((ip) => `${describeIP(ip)}: ${ownerText(ip)} ${ownerExists(v, ip) ? 'exists' : 'gone'}, subnet ${ip.spec!.subnet} ${v.get('Subnet', undefined, ip.spec!.subnet) ? 'exists' : 'gone'}`),
    };
  }
  if (stuckSubnets.length) return { label: 'subnet held by orphaned IP CRs', evidence: stuckSubnets.map(subnetFacts) };
  // Not a stuck object: name what the property saw.
  const named: Record<string, string> = {
    'ipam-matches-ip-crs': 'IPAM out of sync with IP CRs',
    'no-duplicate-address': 'duplicate address',
    'subnet-status-accurate': 'wrong subnet count',
  };
  return { label: named[violation.property] ?? 'other', evidence: violation.message.split('; ') };
}

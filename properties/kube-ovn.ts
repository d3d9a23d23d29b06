/**
 * Invariants of the Kube-OVN pod/subnet/IP deletion race (kubeovn/kube-ovn#4898), named so
 * reports and the results matrix can refer to them.
 */
import { type Property, always, atStable, sometimes } from '../src/check/property.ts';
import type { WorldView } from '../src/check/view.ts';
import { CONTROLLER, type KubeOvnMemory } from '../models/kube-ovn/context.ts';
import type { IP, Subnet } from '../models/kube-ovn/objects.ts';

function describeIP(ip: IP): string {
  const f = ip.metadata.finalizers?.length ? ` finalizers=[${ip.metadata.finalizers.join(',')}]` : '';
  const t = ip.metadata.deletionTimestamp ? ' terminating' : '';
  return `IP ${ip.metadata.name} (${ip.spec?.v4IpAddress})${f}${t}`;
}

/** Scenario A: no IP CR outlives both its pod and its subnet. */
export const ipOutlivesPodAndSubnet = atStable(
  'ip-outlives-pod-and-subnet',
  (v: WorldView) => {
    const leaked = v
      .list<IP>('IP')
      .filter((ip) => !v.get('Pod', ip.spec!.namespace, ip.spec!.podName) && !v.get('Subnet', undefined, ip.spec!.subnet));
    if (!leaked.length) return true;
    return `${leaked.map(describeIP).join('; ')} outlive(s) pod ${leaked[0].spec!.namespace}/${leaked[0].spec!.podName} and subnet ${leaked[0].spec!.subnet}`;
  },
  'at stable states no IP custom resource whose pod and subnet are both gone (scenario A)',
);

/** Scenarios A and B: nothing stays terminating once the controllers have nothing left to do. */
export const noStuckTerminating = atStable(
  'no-stuck-terminating',
  (v: WorldView) => {
    const stuck = Object.values(v.world.api.objects).filter((o) => o.metadata.deletionTimestamp);
    if (!stuck.length) return true;
    return `stuck terminating: ${stuck
      .map((o) => {
        const status = o.kind === 'Subnet' ? ` V4USED=${(o as Subnet).status?.v4usingIPs ?? 0}` : '';
        return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} finalizers=[${(o.metadata.finalizers ?? []).join(',')}]${status}`;
      })
      .join('; ')}`;
  },
  'at stable states no object keeps a deletionTimestamp (scenario B, and `kubectl delete ip` hanging in A)',
);

/** Scenario B exactly as reported: a terminating subnet that shows V4USED=0 yet never goes away. */
export const noStuckSubnetShowingZero = atStable(
  'no-stuck-subnet-showing-zero',
  (v: WorldView) => {
    const stuck = v.list<Subnet>('Subnet').filter((s) => s.metadata.deletionTimestamp && (s.status?.v4usingIPs ?? 0) === 0);
    if (!stuck.length) return true;
    const ips = v.list<IP>('IP').map((ip) => ip.metadata.name);
    return `subnet ${stuck.map((s) => `${s.metadata.name} finalizers=[${(s.metadata.finalizers ?? []).join(',')}]`).join(', ')} is terminating with V4USED=0${ips.length ? ` while IP CRs remain: ${ips.join(', ')}` : ''}`;
  },
  'at stable states no terminating subnet shows V4USED=0 (scenario B as reported upstream)',
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
  'after every step no two IP CRs of one subnet hold the same address',
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

import { describe, expect, it } from 'vitest';
import { addOrUpdateSubnet, deleteSubnet, getRandomAddress, getStaticAddress, hostAddresses, releaseAddressByNic, releaseAddressByPod, usingRange } from '../../models/kube-ovn/ipam.ts';

const base = addOrUpdateSubnet({}, 's1', '10.16.0.0/28', ['10.16.0.1']);

function alloc(ipam = base, owner = 'vm/p1', nic = 'p1.vm') {
  const r = getRandomAddress(ipam, owner, nic, 's1');
  if (!r.ok) throw new Error(r.error);
  return r;
}

describe('Kube-OVN IPAM model (pkg/ipam)', () => {
  it('lists host addresses of a /28 without network and broadcast', () => {
    const hosts = hostAddresses('10.16.0.0/28');
    expect(hosts).toHaveLength(14);
    expect(hosts[0]).toBe('10.16.0.1');
    expect(hosts[13]).toBe('10.16.0.14');
  });

  it('GetRandomAddress takes the lowest free address, skipping excludeIps, and is idempotent per nic', () => {
    const a = alloc();
    expect(a.ip).toBe('10.16.0.2');
    expect(alloc(a.ipam).ip).toBe('10.16.0.2');
    expect(alloc(a.ipam, 'vm/p1', 'p1.vm.attach1.vm.ovn').ip).toBe('10.16.0.3');
  });

  it('released addresses are reused only after the never-used ones', () => {
    const a = alloc();
    const released = releaseAddressByPod(a.ipam, 'vm/p1', '');
    expect(usingRange(released, 's1')).toBe('');
    expect(alloc(released, 'vm/p2', 'p2.vm').ip).toBe('10.16.0.3');
  });

  it('a missing subnet is ErrNoAvailable for allocation and a silent no-op for release and delete', () => {
    expect(getRandomAddress({}, 'vm/p1', 'p1.vm', 's1').ok).toBe(false);
    expect(releaseAddressByPod(base, 'vm/p1', 'nope')).toBe(base);
    expect(deleteSubnet(base, 'nope')).toBe(base);
  });

  it('ReleaseAddressByPod keys owners as ns/pod: v1.12 handleUpdateIP passing the IP name releases nothing', () => {
    const a = alloc();
    expect(releaseAddressByPod(a.ipam, 'p1.vm', 's1')).toBe(a.ipam);
    expect(usingRange(releaseAddressByNic(a.ipam, 'vm/p1', 'p1.vm', 's1'), 's1')).toBe('');
  });

  it('DeleteSubnet forgets every address; a re-added subnet starts empty', () => {
    const a = alloc();
    const again = addOrUpdateSubnet(deleteSubnet(a.ipam, 's1'), 's1', '10.16.0.0/28', ['10.16.0.1']);
    expect(usingRange(again, 's1')).toBe('');
  });

  it('GetStaticAddress refuses an address held by another owner', () => {
    const a = alloc();
    expect(getStaticAddress(a.ipam, 'vm/p2', 'p2.vm', '10.16.0.2', 's1').ok).toBe(false);
    expect(getStaticAddress(a.ipam, 'vm/p1', 'p1.vm', '10.16.0.2', 's1').ok).toBe(true);
  });
});

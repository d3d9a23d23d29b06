import { describe, expect, it } from 'vitest';
import {
  garbageCollectorActions,
  kubeletActions,
  namespaceControllerActions,
  type ApiServer,
  type StoredObject,
} from '../../src/api/index.ts';
import { cm, expectApiError, ip, newServer, pod, subnet } from './helpers.ts';

const ownerRef = (o: StoredObject, extra: { controller?: boolean; blockOwnerDeletion?: boolean } = {}) => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name,
  uid: o.metadata.uid,
  ...extra,
});

const ids = (s: ApiServer) => s.systemActions().map((a) => a.id);
const gcIds = (s: ApiServer) => garbageCollectorActions(s.state).map((a) => a.id);

describe('garbage collector (G1-G4)', () => {
  it('G1: a dependent with a live owner is left alone; nothing is enabled in a quiescent cluster', () => {
    const s = newServer();
    const owner = s.create(subnet('s1'));
    s.create(ip('p1', { ownerReferences: [ownerRef(owner, { controller: true })] }));
    expect(gcIds(s)).toEqual([]);
    expect(ids(s)).toEqual([]);
  });

  it('G1: dangling references next to a live owner are patched away; the dependent survives', () => {
    const s = newServer();
    const live = s.create(subnet('s1'));
    const gone = s.create(subnet('s2'));
    s.create(ip('p1', { ownerReferences: [ownerRef(live), ownerRef(gone)] }));
    s.delete('Subnet', undefined, 's2');
    expect(gcIds(s)).toEqual(['garbage-collector: remove dangling ownerReference Subnet/s2 from IP/p1']);
    s.step('garbage-collector: remove dangling ownerReference Subnet/s2 from IP/p1');
    expect(s.get('IP', undefined, 'p1').metadata.ownerReferences).toEqual([ownerRef(live)]);
    expect(gcIds(s)).toEqual([]);
  });

  it('G1: an owner recreated with the same name but another uid counts as absent', () => {
    const s = newServer();
    const old = s.create(subnet('s1'));
    s.create(ip('p1', { ownerReferences: [ownerRef(old)] }));
    s.delete('Subnet', undefined, 's1');
    s.create(subnet('s1'));
    expect(gcIds(s)).toEqual(['garbage-collector: delete IP/p1']);
  });

  it('G1: an owner of an unregistered kind is unresolvable and the dependent is never collected', () => {
    const s = newServer();
    s.create(ip('p1', { ownerReferences: [{ apiVersion: 'x.io/v1', kind: 'Unknown', name: 'u', uid: 'u1' }] }));
    expect(gcIds(s)).toEqual([]);
  });

  it('G2: Background: the owner is removed at once; the GC later deletes dependents with a uid precondition', () => {
    const s = newServer();
    const owner = s.create(cm('owner'));
    s.create(cm('a', { ownerReferences: [ownerRef(owner)] }));
    s.create(cm('b', { ownerReferences: [ownerRef(owner)] }));
    expect(s.delete('ConfigMap', 'ns', 'owner').deleted).toBe(true);
    expect(s.find('ConfigMap', 'ns', 'a')).toBeDefined(); // never inside the API call
    expect(gcIds(s)).toEqual(['garbage-collector: delete ConfigMap/ns/a', 'garbage-collector: delete ConfigMap/ns/b']);
    // The uid precondition: a dependent recreated since the GC looked is not deleted.
    const stale = garbageCollectorActions(s.state)[0];
    s.delete('ConfigMap', 'ns', 'a');
    s.create(cm('a'));
    expectApiError(() => s.run((st, env) => stale.apply(st, env)), 409, 'Conflict', 'Precondition failed: UID');
    s.step('garbage-collector: delete ConfigMap/ns/b');
    expect(s.find('ConfigMap', 'ns', 'b')).toBeUndefined();
  });

  it('G3: Foreground: the owner stays with foregroundDeletion until no blocking dependent remains', () => {
    const s = newServer();
    const owner = s.create(subnet('s1'));
    s.create(ip('p1', { ownerReferences: [ownerRef(owner, { blockOwnerDeletion: true })] }));
    s.create(ip('p2', { ownerReferences: [ownerRef(owner)] }));
    const r = s.delete('Subnet', undefined, 's1', { propagationPolicy: 'Foreground' });
    expect(r.object.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(gcIds(s)).toEqual(['garbage-collector: delete IP/p1', 'garbage-collector: delete IP/p2']);
    s.step('garbage-collector: delete IP/p2'); // non-blocking: does not hold the owner
    expect(gcIds(s)).toEqual(['garbage-collector: delete IP/p1']);
    s.step('garbage-collector: delete IP/p1');
    expect(gcIds(s)).toEqual(['garbage-collector: remove finalizer foregroundDeletion from Subnet/s1']);
    s.step('garbage-collector: remove finalizer foregroundDeletion from Subnet/s1');
    expect(s.find('Subnet', undefined, 's1')).toBeUndefined();
  });

  it('G3: a blocking dependent stuck on its own finalizer blocks the owner forever', () => {
    const s = newServer();
    const owner = s.create(subnet('s1'));
    s.create(ip('p1', { finalizers: ['kubeovn.io/ip'], ownerReferences: [ownerRef(owner, { blockOwnerDeletion: true })] }));
    s.delete('Subnet', undefined, 's1', { propagationPolicy: 'Foreground' });
    expect(s.settle()).toEqual(['garbage-collector: delete IP/p1']);
    expect(s.get('IP', undefined, 'p1').metadata.deletionTimestamp).toBeDefined();
    expect(s.get('Subnet', undefined, 's1').metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(gcIds(s)).toEqual([]);
  });

  it('G3: a waiting owner makes the GC delete a dependent that has dependents of its own in the foreground', () => {
    const s = newServer();
    const top = s.create(subnet('top'));
    const mid = s.create(subnet('mid', { ownerReferences: [ownerRef(top, { blockOwnerDeletion: true })] }));
    s.create(ip('leaf', { ownerReferences: [ownerRef(mid, { blockOwnerDeletion: true })] }));
    s.delete('Subnet', undefined, 'top', { propagationPolicy: 'Foreground' });
    s.step('garbage-collector: delete Subnet/mid');
    expect(s.get('Subnet', undefined, 'mid').metadata.finalizers).toEqual(['foregroundDeletion']);
    s.settle();
    expect(s.list('Subnet')).toEqual([]);
    expect(s.list('IP')).toEqual([]);
  });

  it('G4: Orphan: the GC strips the owner reference from each dependent, then removes `orphan`', () => {
    const s = newServer();
    const owner = s.create(subnet('s1'));
    const other = s.create(subnet('s2'));
    s.create(ip('p1', { ownerReferences: [ownerRef(owner), ownerRef(other)] }));
    s.create(ip('p2', { ownerReferences: [ownerRef(owner)] }));
    s.delete('Subnet', undefined, 's1', { propagationPolicy: 'Orphan' });
    expect(gcIds(s)).toEqual(['garbage-collector: orphan IP/p1 from Subnet/s1', 'garbage-collector: orphan IP/p2 from Subnet/s1']);
    s.step('garbage-collector: orphan IP/p2 from Subnet/s1');
    s.step('garbage-collector: orphan IP/p1 from Subnet/s1');
    expect(gcIds(s)).toEqual(['garbage-collector: remove finalizer orphan from Subnet/s1']);
    s.step('garbage-collector: remove finalizer orphan from Subnet/s1');
    expect(s.find('Subnet', undefined, 's1')).toBeUndefined();
    expect(s.get('IP', undefined, 'p1').metadata.ownerReferences).toEqual([ownerRef(other)]);
    expect(s.get('IP', undefined, 'p2').metadata.ownerReferences).toBeUndefined();
    expect(gcIds(s)).toEqual([]);
  });
});

describe('namespaces (N1)', () => {
  it('N1: a namespace gets spec.finalizers ["kubernetes"] and phase Active; update cannot change spec.finalizers', () => {
    const s = newServer();
    const ns = s.get('Namespace', undefined, 'ns');
    expect(ns.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(ns.status).toEqual({ phase: 'Active' });
    expect(s.update({ ...ns, spec: { finalizers: [] } })).toBe(ns);
    const other = s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'o' }, spec: { finalizers: ['x.io/y'] } });
    expect(other.spec).toEqual({ finalizers: ['x.io/y', 'kubernetes'] });
  });

  it('N1: delete sets deletionTimestamp and phase Terminating; the namespace stays; deleting again is 409 while spec.finalizers remain', () => {
    const s = newServer();
    const r = s.delete('Namespace', undefined, 'ns');
    expect(r.deleted).toBe(false);
    expect(r.object.status).toEqual({ phase: 'Terminating' });
    expect(r.object.metadata.deletionTimestamp).toBe('2025-01-01T00:00:00Z');
    expect(s.get('Namespace', undefined, 'ns').spec).toEqual({ finalizers: ['kubernetes'] });
    expectApiError(() => s.delete('Namespace', undefined, 'ns'), 409, 'Conflict', 'The system is ensuring all content is removed from this namespace');
  });

  it('N1: the namespace controller deletes each namespaced object, never cluster-scoped ones, then finalizes', () => {
    const s = newServer();
    s.create(cm('a'));
    s.create(cm('b', { finalizers: ['x.io/f'] }));
    s.create(subnet('s1'));
    s.delete('Namespace', undefined, 'ns');
    expect(namespaceControllerActions(s.state).map((a) => a.id)).toEqual([
      'namespace-controller: delete ConfigMap/ns/a',
      'namespace-controller: delete ConfigMap/ns/b',
    ]);
    s.step('namespace-controller: delete ConfigMap/ns/a');
    s.step('namespace-controller: delete ConfigMap/ns/b');
    // b waits for its finalizer; the namespace cannot be finalized yet.
    expect(namespaceControllerActions(s.state).map((a) => a.id)).toEqual([]);
    s.patch('ConfigMap', 'ns', 'b', { metadata: { finalizers: null } });
    expect(namespaceControllerActions(s.state).map((a) => a.id)).toEqual(['namespace-controller: finalize Namespace/ns']);
    s.step('namespace-controller: finalize Namespace/ns');
    expect(s.find('Namespace', undefined, 'ns')).toBeUndefined();
    expect(s.get('Subnet', undefined, 's1')).toBeDefined();
  });

  it('N1: pods in a terminating namespace need the kubelet before the namespace goes away', () => {
    const s = newServer();
    s.create(pod('p'));
    s.delete('Namespace', undefined, 'ns');
    s.step('namespace-controller: delete Pod/ns/p');
    expect(ids(s)).toEqual(['kubelet: delete Pod/ns/p']);
    expect(s.settle()).toEqual(['kubelet: delete Pod/ns/p', 'namespace-controller: finalize Namespace/ns']);
    expect(s.list('Namespace')).toEqual([]);
  });

  it('N1: a namespace with its own metadata finalizer stays after finalization until that is removed', () => {
    const s = newServer();
    s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'held', finalizers: ['x.io/hold'] } });
    s.delete('Namespace', undefined, 'held');
    s.step('namespace-controller: finalize Namespace/held');
    expect(s.get('Namespace', undefined, 'held').spec).toEqual({ finalizers: [] });
    expect(namespaceControllerActions(s.state)).toEqual([]);
    s.patch('Namespace', undefined, 'held', { metadata: { finalizers: null } });
    expect(s.find('Namespace', undefined, 'held')).toBeUndefined();
  });
});

describe('kubelet (D9)', () => {
  it('D9: the kubelet can finish a gracefully terminating pod at any time with grace 0', () => {
    const s = newServer();
    s.create(pod('p'));
    s.create(pod('q'));
    expect(kubeletActions(s.state)).toEqual([]);
    s.delete('Pod', 'ns', 'p');
    expect(kubeletActions(s.state).map((a) => a.id)).toEqual(['kubelet: delete Pod/ns/p']);
    s.step('kubelet: delete Pod/ns/p');
    expect(s.find('Pod', 'ns', 'p')).toBeUndefined();
    expect(kubeletActions(s.state)).toEqual([]);
  });

  it('D9: after the kubelet, a pod with a finalizer waits for it (no kubelet action left)', () => {
    const s = newServer();
    s.create(pod('p', { nodeName: 'n' }, { finalizers: ['x.io/f'] }));
    s.delete('Pod', 'ns', 'p');
    s.step('kubelet: delete Pod/ns/p');
    expect(s.get('Pod', 'ns', 'p').metadata.deletionGracePeriodSeconds).toBe(0);
    expect(kubeletActions(s.state)).toEqual([]);
  });
});

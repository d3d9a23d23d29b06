import { describe, expect, it } from 'vitest';
import {
  createObject,
  GENERATE_NAME_ALPHABET,
  timestamp,
  uidFor,
  type StoredObject,
} from '../../src/api/index.ts';
import { cm, expectApiError, fixedEnv, ip, newServer, subnet } from './helpers.ts';

describe('metadata (M1-M9)', () => {
  it('M1: create assigns a fresh uid and creationTimestamp and wipes request values of server-owned fields', () => {
    const s = newServer();
    s.advance(90_500);
    const o = s.create(
      cm('a', {
        uid: 'client-uid',
        creationTimestamp: '2000-01-01T00:00:00Z',
        deletionTimestamp: '2000-01-01T00:00:00Z',
        deletionGracePeriodSeconds: 7,
      }),
    );
    expect(o.metadata.uid).toBe(uidFor(s.state.uidCounter));
    expect(o.metadata.uid).not.toBe('client-uid');
    expect(o.metadata.creationTimestamp).toBe('2025-01-01T00:01:30Z');
    expect(o.metadata.creationTimestamp).toBe(timestamp(90_500));
    expect(o.metadata.deletionTimestamp).toBeUndefined();
    expect(o.metadata.deletionGracePeriodSeconds).toBeUndefined();
    const b = s.create(cm('b'));
    expect(b.metadata.uid).not.toBe(o.metadata.uid);
  });

  it('M1: uids come from state.uidCounter and are UUID-shaped', () => {
    const s = newServer();
    const before = s.state.uidCounter;
    const o = s.create(cm('a'));
    expect(s.state.uidCounter).toBe(before + 1);
    expect(o.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(uidFor(42)).toBe('00000000-0000-0000-0000-00000000002a');
  });

  it('M2: generateName appends 5 characters from the Kubernetes alphabet drawn with env.randomInt', () => {
    const s = newServer();
    const o = s.create(cm('', { generateName: 'cm-' }));
    expect(o.metadata.name).toMatch(new RegExp(`^cm-[${GENERATE_NAME_ALPHABET}]{5}$`));
    expect(o.metadata.generateName).toBe('cm-');
    // Deterministic: draws 0,1,2,3,4 pick the first five letters of the alphabet.
    const r = createObject(s.state, fixedEnv(0, [0, 1, 2, 3, 4]), cm('', { generateName: 'x-' }));
    expect(r.result.metadata.name).toBe('x-bcdfg');
  });

  it('M2: generateName is ignored when a name is given', () => {
    const s = newServer();
    expect(s.create(cm('fixed', { generateName: 'cm-' })).metadata.name).toBe('fixed');
  });

  it('M2: a generated name that is taken is drawn again; 8 clashes are 409', () => {
    const s = newServer();
    s.create(cm('x-bbbbb'));
    const r = createObject(s.state, fixedEnv(0, [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]), cm('', { generateName: 'x-' }));
    expect(r.result.metadata.name).toBe('x-ccccc');
    expectApiError(
      () => createObject(s.state, fixedEnv(0, []), cm('', { generateName: 'x-' })),
      409,
      'AlreadyExists',
      'not able to generate a unique name',
    );
  });

  it('M3: create with a resourceVersion is rejected (400)', () => {
    const s = newServer();
    expectApiError(() => s.create(cm('a', { resourceVersion: '5' })), 400, 'BadRequest', 'resourceVersion should not be set on objects to be created');
    expect(s.find('ConfigMap', 'ns', 'a')).toBeUndefined();
  });

  it('M4: one cluster-wide counter; each real write (create, update, patch, mark-for-deletion, removal) takes the next RV', () => {
    const s = newServer();
    const rv0 = s.state.rv;
    const a = s.create(cm('a', { finalizers: ['x.io/f'] }));
    const sub = s.create(subnet('s1'));
    const a2 = s.update({ ...a, data: { k: 'v' } });
    const sub2 = s.patch('Subnet', undefined, 's1', { metadata: { labels: { l: '1' } } });
    const marked = s.delete('ConfigMap', 'ns', 'a');
    s.patch('ConfigMap', 'ns', 'a', { metadata: { finalizers: null } });
    const rvs = [a, sub, a2, sub2, marked.object].map((o) => Number(o.metadata.resourceVersion));
    expect(rvs).toEqual([rv0 + 1, rv0 + 2, rv0 + 3, rv0 + 4, rv0 + 5]);
    expect(s.state.rv).toBe(rv0 + 6);
    expect(s.events.at(-1)).toMatchObject({ type: 'DELETED', resourceVersion: String(rv0 + 6) });
  });

  it('M4: failed requests do not consume a resourceVersion', () => {
    const s = newServer();
    const a = s.create(cm('a'));
    const rv = s.state.rv;
    expectApiError(() => s.update({ ...a, metadata: { ...a.metadata, resourceVersion: '1' } }), 409, 'Conflict');
    expectApiError(() => s.create(cm('a')), 409, 'AlreadyExists');
    expect(s.state.rv).toBe(rv);
  });

  it('M5: a write identical to what is stored is a no-op: same state, same RV, no event', () => {
    const s = newServer();
    const a = s.create(cm('a', { labels: { x: '1' } }, { k: 'v' }));
    const state = s.state;
    const n = s.events.length;
    expect(s.update(a)).toBe(a);
    expect(s.patch('ConfigMap', 'ns', 'a', { data: { k: 'v' }, metadata: { labels: { x: '1' }, finalizers: [] } })).toBe(a);
    expect(s.patch('ConfigMap', 'ns', 'a', {})).toBe(a);
    expect(s.state).toBe(state);
    expect(s.events.length).toBe(n);
  });

  it('M6: custom resources start at generation 1 and count changes outside metadata only', () => {
    const s = newServer();
    const o = s.create(ip('p1', { generation: 9 }));
    expect(o.metadata.generation).toBe(1);
    const g1 = s.patch('IP', undefined, 'p1', { metadata: { labels: { a: 'b' }, annotations: { c: 'd' }, finalizers: ['x.io/f'] } });
    expect(g1.metadata.generation).toBe(1);
    const g2 = s.patch('IP', undefined, 'p1', { spec: { ipAddress: '10.0.0.3' } });
    expect(g2.metadata.generation).toBe(2);
    // IP has no status subresource: status counts.
    const g3 = s.patch('IP', undefined, 'p1', { status: { ready: true } });
    expect(g3.metadata.generation).toBe(3);
    // Clients cannot set it.
    const g4 = s.update({ ...g3, metadata: { ...g3.metadata, generation: 100 } });
    expect(g4).toBe(g3);
  });

  it('M6: with a status subresource, status writes do not bump generation; ownerReferences never do', () => {
    const s = newServer();
    const o = s.create(subnet('s1'));
    const st = s.updateStatus({ ...o, status: { v4availableIPs: 10 } });
    expect(st.metadata.generation).toBe(1);
    expect(st.status).toEqual({ v4availableIPs: 10 });
    const owned = s.patch('Subnet', undefined, 's1', {
      metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'Namespace', name: 'ns', uid: 'u' }] },
    });
    expect(owned.metadata.generation).toBe(1);
  });

  it('M6: built-in ConfigMaps keep generation 0', () => {
    const s = newServer();
    const a = s.create(cm('a', { generation: 5 }));
    expect(a.metadata.generation).toBe(0);
    expect(s.update({ ...a, data: { k: 'v' } }).metadata.generation).toBe(0);
  });

  it('M7: the first deletion request bumps generation (when > 0); later ones do not', () => {
    const s = newServer();
    s.create(subnet('s1', { finalizers: ['kubeovn.io/subnet'] }));
    const first = s.delete('Subnet', undefined, 's1');
    expect(first.object.metadata.generation).toBe(2);
    const again = s.delete('Subnet', undefined, 's1');
    expect(again.object.metadata.generation).toBe(2);
    // generation 0 (ConfigMap) stays 0.
    s.create(cm('a', { finalizers: ['x.io/f'] }));
    expect(s.delete('ConfigMap', 'ns', 'a').object.metadata.generation).toBe(0);
  });

  it('M8: uid is immutable on update (422)', () => {
    const s = newServer();
    const a = s.create(cm('a'));
    expectApiError(
      () => s.update({ ...a, metadata: { ...a.metadata, uid: 'other' } }),
      422,
      'Invalid',
      'ConfigMap "a" is invalid: metadata.uid: Invalid value: "other": field is immutable',
    );
    expectApiError(() => s.patch('ConfigMap', 'ns', 'a', { metadata: { uid: 'other' } }), 422, 'Invalid', 'metadata.uid');
    // An empty uid means "keep".
    const { uid: _u, ...noUid } = a.metadata;
    expect(s.update({ ...a, metadata: noUid, data: { k: '1' } }).metadata.uid).toBe(a.metadata.uid);
  });

  it('M8: name and namespace cannot change through a patch (400: must match the URL); creationTimestamp changes are ignored', () => {
    const s = newServer();
    const a = s.create(cm('a'));
    expectApiError(() => s.patch('ConfigMap', 'ns', 'a', { metadata: { name: 'b' } }), 400, 'BadRequest', 'does not match the name on the URL');
    expectApiError(() => s.patch('ConfigMap', 'ns', 'a', { metadata: { namespace: 'other' } }), 400, 'BadRequest', 'namespace');
    // rest.BeforeUpdate restores the stored creationTimestamp: a pure no-op here.
    expect(s.update({ ...a, metadata: { ...a.metadata, creationTimestamp: '2030-01-01T00:00:00Z' } })).toBe(a);
  });

  it('M9: finalizers are a set of qualified names', () => {
    const s = newServer();
    const a = s.create(cm('a', { finalizers: ['x.io/f', 'x.io/f', 'y.io/g'] }));
    expect(a.metadata.finalizers).toEqual(['x.io/f', 'y.io/g']);
    expectApiError(() => s.create(cm('b', { finalizers: ['Not A Name!'] })), 422, 'Invalid', 'metadata.finalizers[0]');
    expectApiError(
      () => s.create(cm('c', { finalizers: ['orphan', 'foregroundDeletion'] })),
      422,
      'Invalid',
      'cannot be both set',
    );
  });

  it('M9: at most one ownerReference has controller=true', () => {
    const s = newServer();
    const ref = (name: string, uid: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, uid, controller: true });
    expectApiError(
      () => s.create(cm('a', { ownerReferences: [ref('o1', 'u1'), ref('o2', 'u2')] })),
      422,
      'Invalid',
      'Only one reference can have Controller set to true',
    );
    const ok: StoredObject = s.create(cm('b', { ownerReferences: [ref('o1', 'u1'), { ...ref('o2', 'u2'), controller: false }] }));
    expect(ok.metadata.ownerReferences).toHaveLength(2);
    expectApiError(
      () => s.create(cm('c', { ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: '' }] })),
      422,
      'Invalid',
      'ownerReferences[0].uid: Required value',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { patchObject, updateObject, type KubeObject } from '../../src/api/index.ts';
import { cm, expectApiError, fixedEnv, ip, newServer, pod, subnet } from './helpers.ts';

describe('create (C1-C3)', () => {
  it('C1: creating an existing kind+namespace+name is 409 AlreadyExists', () => {
    const s = newServer();
    s.create(ip('p1.ns'));
    expectApiError(() => s.create(ip('p1.ns')), 409, 'AlreadyExists', 'ips.kubeovn.io "p1.ns" already exists');
    // Same name in another kind or namespace is fine.
    s.create(cm('p1.ns'));
    s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
    s.create({ ...cm('p1.ns'), metadata: { name: 'p1.ns', namespace: 'other' } });
  });

  it('C1: the name stays taken while the old object is terminating, and is free once it is removed', () => {
    const s = newServer();
    const old = s.create(ip('p1', { finalizers: ['kubeovn.io/ip'] }));
    s.delete('IP', undefined, 'p1');
    expectApiError(() => s.create(ip('p1')), 409, 'AlreadyExists', 'object is being deleted: ips.kubeovn.io "p1" already exists');
    s.patch('IP', undefined, 'p1', { metadata: { finalizers: null } });
    const fresh = s.create(ip('p1'));
    expect(fresh.metadata.uid).not.toBe(old.metadata.uid);
  });

  it('C2: a namespaced object in a missing namespace is 404', () => {
    const s = newServer();
    expectApiError(() => s.create({ ...cm('a'), metadata: { name: 'a', namespace: 'nope' } }), 404, 'NotFound', 'namespaces "nope" not found');
  });

  it('C2: a namespaced object in a Terminating namespace is 403 Forbidden; cluster-scoped kinds are unaffected', () => {
    const s = newServer();
    s.delete('Namespace', undefined, 'ns');
    const e = expectApiError(
      () => s.create(cm('a')),
      403,
      'Forbidden',
      'configmaps "a" is forbidden: unable to create new content in namespace ns because it is being terminated',
    );
    expect(e.kind).toBe('ConfigMap');
    expect(s.create(subnet('s1')).metadata.name).toBe('s1');
  });

  it('C3: create emits ADDED with the stored object and its RV', () => {
    const s = newServer();
    const n = s.events.length;
    const a = s.create(cm('a'));
    expect(s.events.slice(n)).toEqual([{ type: 'ADDED', object: a, resourceVersion: a.metadata.resourceVersion }]);
  });

  it('C3: a CR with a status subresource drops .status on create; without one it keeps it', () => {
    const s = newServer();
    expect(s.create({ ...subnet('s1'), status: { ready: true } }).status).toBeUndefined();
    expect(s.create({ ...ip('p1'), status: { ready: true } }).status).toEqual({ ready: true });
  });

  it('C3: a Pod is created with status.phase Pending whatever the request says', () => {
    const s = newServer();
    expect(s.create({ ...pod('p'), status: { phase: 'Running' } }).status).toEqual({ phase: 'Pending' });
  });
});

describe('update and patch (U1-U9)', () => {
  it('U1: updating a missing object is 404 (CRs never create on update)', () => {
    const s = newServer();
    expectApiError(() => s.update({ ...ip('p1'), metadata: { name: 'p1', resourceVersion: '1' } }), 404, 'NotFound', 'ips.kubeovn.io "p1" not found');
    expectApiError(() => s.update(cm('a')), 404, 'NotFound', 'configmaps "a" not found');
    expect(s.find('IP', undefined, 'p1')).toBeUndefined();
  });

  it('U2: an update whose resourceVersion differs from the stored one is 409 Conflict', () => {
    const s = newServer();
    const v1 = s.create(ip('x'));
    s.update({ ...v1, spec: { ipAddress: '10.0.0.9' } });
    expectApiError(
      () => s.update({ ...v1, spec: { ipAddress: '10.0.0.7' } }),
      409,
      'Conflict',
      'Operation cannot be fulfilled on ips.kubeovn.io "x": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(s.get('IP', undefined, 'x').spec).toEqual({ ipAddress: '10.0.0.9' });
  });

  it('U3: an update without resourceVersion is unconditional for built-ins and 422 for custom resources', () => {
    const s = newServer();
    s.create(cm('a', {}, { k: '1' }));
    s.patch('ConfigMap', 'ns', 'a', { data: { k: '2' } });
    const upd = s.update(cm('a', {}, { k: '3' }));
    expect(upd.data).toEqual({ k: '3' });
    s.create(ip('p1'));
    expectApiError(
      () => s.update(ip('p1', {}, { ipAddress: '1.1.1.1' })),
      422,
      'Invalid',
      'ips.kubeovn.io "p1" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update',
    );
  });

  it('U4: a merge patch without resourceVersion applies to the current object and never conflicts', () => {
    const s = newServer();
    const stale = s.create(ip('p1', {}, { ipAddress: '10.0.0.2', macAddress: 'aa' }));
    s.update({ ...stale, spec: { ipAddress: '10.0.0.2', macAddress: 'bb' } });
    const p = s.patch('IP', undefined, 'p1', { spec: { ipAddress: '10.0.0.5' } });
    expect(p.spec).toEqual({ ipAddress: '10.0.0.5', macAddress: 'bb' });
  });

  it('U4: metadata.resourceVersion in a patch is a precondition', () => {
    const s = newServer();
    const v1 = s.create(ip('p1'));
    const v2 = s.patch('IP', undefined, 'p1', { spec: { ipAddress: '10.0.0.3' }, metadata: { resourceVersion: v1.metadata.resourceVersion } });
    expectApiError(
      () => s.patch('IP', undefined, 'p1', { spec: { ipAddress: '10.0.0.4' }, metadata: { resourceVersion: v1.metadata.resourceVersion } }),
      409,
      'Conflict',
      'the object has been modified',
    );
    expect(s.get('IP', undefined, 'p1')).toBe(v2);
  });

  it('U4: a patch of a missing object is 404', () => {
    const s = newServer();
    expectApiError(() => s.patch('Subnet', undefined, 's1', { spec: {} }), 404, 'NotFound', 'subnets.kubeovn.io "s1" not found');
  });

  it('U5: a merge patch replaces the whole finalizers list (lost update from stale copies); null removes all', () => {
    const s = newServer();
    s.create(ip('p1', { finalizers: ['a.io/x'] }));
    // Two clients read [a.io/x] and each "add" their own finalizer by patching the list.
    s.patch('IP', undefined, 'p1', { metadata: { finalizers: ['a.io/x', 'b.io/y'] } });
    const last = s.patch('IP', undefined, 'p1', { metadata: { finalizers: ['a.io/x', 'c.io/z'] } });
    expect(last.metadata.finalizers).toEqual(['a.io/x', 'c.io/z']);
    const none = s.patch('IP', undefined, 'p1', { metadata: { finalizers: null } });
    expect(none.metadata.finalizers).toBeUndefined();
  });

  it('U6: main-endpoint writes of a kind with a status subresource ignore .status', () => {
    const s = newServer();
    const o = s.create(subnet('s1'));
    const withStatus = s.updateStatus({ ...o, status: { ready: true } });
    const upd = s.update({ ...withStatus, spec: { cidrBlock: '10.1.0.0/24' }, status: { ready: false } });
    expect(upd.status).toEqual({ ready: true });
    expect(upd.spec).toEqual({ cidrBlock: '10.1.0.0/24' });
    expect(s.patch('Subnet', undefined, 's1', { status: { ready: false } })).toBe(upd);
  });

  it('U6: /status writes keep only the new .status (spec and metadata changes are dropped)', () => {
    const s = newServer();
    const o = s.create(subnet('s1', { finalizers: ['kubeovn.io/subnet'] }));
    const st = s.updateStatus({
      ...o,
      metadata: { ...o.metadata, labels: { a: 'b' }, finalizers: [] },
      spec: { cidrBlock: 'changed' },
      status: { ready: true },
    });
    expect(st.status).toEqual({ ready: true });
    expect(st.spec).toEqual(o.spec);
    expect(st.metadata.labels).toBeUndefined();
    expect(st.metadata.finalizers).toEqual(['kubeovn.io/subnet']);
    const p = s.patch('Subnet', undefined, 's1', { status: { ready: false }, spec: { cidrBlock: 'x' } }, { subresource: 'status' });
    expect(p.status).toEqual({ ready: false });
    expect(p.spec).toEqual(o.spec);
  });

  it('U6: /status on a kind without a status subresource is 404', () => {
    const s = newServer();
    const a = s.create(cm('a'));
    expectApiError(() => s.updateStatus({ ...a, status: { x: 1 } }), 404, 'NotFound', 'the server could not find the requested resource');
    expectApiError(() => s.patch('IP', undefined, 'p', { status: {} }, { subresource: 'status' }), 404, 'NotFound');
  });

  it('U7: once deletionTimestamp is set, adding a finalizer is 422; removing or reordering is allowed', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1', 'b.io/2'] }));
    s.delete('IP', undefined, 'x');
    expectApiError(
      () => s.patch('IP', undefined, 'x', { metadata: { finalizers: ['a.io/1', 'b.io/2', 'c.io/3'] } }),
      422,
      'Invalid',
      'IP.kubeovn.io "x" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted',
      'c.io/3',
    );
    expect(s.patch('IP', undefined, 'x', { metadata: { finalizers: ['b.io/2', 'a.io/1'] } }).metadata.finalizers).toEqual(['b.io/2', 'a.io/1']);
    expect(s.patch('IP', undefined, 'x', { metadata: { finalizers: ['a.io/1'] } }).metadata.finalizers).toEqual(['a.io/1']);
    // Not terminating: adding is fine.
    s.create(ip('y'));
    expect(s.patch('IP', undefined, 'y', { metadata: { finalizers: ['a.io/1'] } }).metadata.finalizers).toEqual(['a.io/1']);
  });

  it('U8: an update can never unset or change deletionTimestamp; spec and labels stay editable while terminating', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1'] }));
    s.advance(5000);
    const t = s.delete('IP', undefined, 'x').object;
    const ts = t.metadata.deletionTimestamp;
    expect(ts).toBe('2025-01-01T00:00:05Z');
    s.advance(5000);
    const { deletionTimestamp: _d, ...meta } = t.metadata;
    const u = s.update({ ...t, metadata: { ...meta, labels: { l: 'v' } }, spec: { ipAddress: '10.9.9.9' } });
    expect(u.metadata.deletionTimestamp).toBe(ts);
    expect(u.metadata.labels).toEqual({ l: 'v' });
    expect(u.spec).toEqual({ ipAddress: '10.9.9.9' });
    const p = s.patch('IP', undefined, 'x', { metadata: { deletionTimestamp: '2030-01-01T00:00:00Z' } });
    expect(p.metadata.deletionTimestamp).toBe(ts);
    // Setting deletionTimestamp on a live object by update is an immutable-field error.
    s.create(ip('y'));
    expectApiError(() => s.patch('IP', undefined, 'y', { metadata: { deletionTimestamp: ts } }), 422, 'Invalid', 'metadata.deletionTimestamp');
  });

  it('U9: every successful non-no-op update or patch emits MODIFIED with the new RV', () => {
    const s = newServer();
    const a = s.create(cm('a'));
    const n = s.events.length;
    const u = s.update({ ...a, data: { k: '1' } });
    const p = s.patch('ConfigMap', 'ns', 'a', { data: { k: '2' } });
    expect(s.events.slice(n)).toEqual([
      { type: 'MODIFIED', object: u, resourceVersion: u.metadata.resourceVersion },
      { type: 'MODIFIED', object: p, resourceVersion: p.metadata.resourceVersion },
    ]);
    expect(Number(p.metadata.resourceVersion)).toBe(Number(u.metadata.resourceVersion) + 1);
  });

  it('U4/U9: the pure functions return the events of exactly their own write', () => {
    const s = newServer();
    const a = s.create(cm('a'));
    const r1 = updateObject(s.state, fixedEnv(), { ...a, data: { x: 'y' } } as KubeObject);
    expect(r1.events.map((e) => e.type)).toEqual(['MODIFIED']);
    const r2 = patchObject(r1.state, fixedEnv(), 'ConfigMap', 'ns', 'a', { data: { x: 'y' } });
    expect(r2.events).toEqual([]);
    expect(r2.state).toBe(r1.state);
  });
});

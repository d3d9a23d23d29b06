import { describe, expect, it } from 'vitest';
import { deleteIgnoringFinalizers, deleteObject, racingDeleteApplies } from '../../src/api/index.ts';
import { cm, expectApiError, fixedEnv, ip, newServer, pod, subnet } from './helpers.ts';

describe('delete (D1-D10)', () => {
  it('D1: deleting a missing object is 404', () => {
    const s = newServer();
    expectApiError(() => s.delete('ConfigMap', 'ns', 'a'), 404, 'NotFound', 'configmaps "a" not found');
  });

  it('D2: uid and resourceVersion preconditions that do not match are 409 Conflict', () => {
    const s = newServer();
    const a = s.create(cm('a'));
    expectApiError(
      () => s.delete('ConfigMap', 'ns', 'a', { preconditions: { uid: 'other' } }),
      409,
      'Conflict',
      `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: other, UID in object meta: ${a.metadata.uid}`,
    );
    expectApiError(
      () => s.delete('ConfigMap', 'ns', 'a', { preconditions: { resourceVersion: '1' } }),
      409,
      'Conflict',
      'Precondition failed: ResourceVersion in precondition: 1',
    );
    expect(s.find('ConfigMap', 'ns', 'a')).toBe(a);
    const r = s.delete('ConfigMap', 'ns', 'a', { preconditions: { uid: a.metadata.uid, resourceVersion: a.metadata.resourceVersion } });
    expect(r.deleted).toBe(true);
  });

  it('D3: without finalizers the object is removed at once; DELETED; GET is 404', () => {
    const s = newServer();
    s.create(cm('a'));
    const n = s.events.length;
    const r = s.delete('ConfigMap', 'ns', 'a');
    expect(r.deleted).toBe(true);
    expect(s.events.slice(n).map((e) => e.type)).toEqual(['DELETED']);
    expectApiError(() => s.get('ConfigMap', 'ns', 'a'), 404, 'NotFound');
    expect(s.list('ConfigMap')).toEqual([]);
  });

  it('D4: with finalizers the object stays: deletionTimestamp=now, grace 0, generation+1, new RV, MODIFIED', () => {
    const s = newServer();
    const o = s.create(subnet('s1', { finalizers: ['kubeovn.io/subnet'] }));
    s.advance(61_000);
    const n = s.events.length;
    const r = s.delete('Subnet', undefined, 's1');
    expect(r.deleted).toBe(false);
    expect(r.object.metadata).toMatchObject({
      deletionTimestamp: '2025-01-01T00:01:01Z',
      deletionGracePeriodSeconds: 0,
      generation: o.metadata.generation + 1,
      resourceVersion: String(Number(o.metadata.resourceVersion) + 1),
      finalizers: ['kubeovn.io/subnet'],
    });
    expect(s.get('Subnet', undefined, 's1')).toBe(r.object);
    expect(s.events.slice(n)).toEqual([{ type: 'MODIFIED', object: r.object, resourceVersion: r.object.metadata.resourceVersion }]);
  });

  it('D5: removing the last finalizer of a terminating object deletes it in the same request (update)', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1'] }));
    const t = s.delete('IP', undefined, 'x').object;
    const n = s.events.length;
    s.update({ ...t, metadata: { ...t.metadata, finalizers: [] } });
    expect(s.find('IP', undefined, 'x')).toBeUndefined();
    expect(s.events.slice(n).map((e) => e.type)).toEqual(['DELETED']);
  });

  it('D5: removing the last finalizer of a terminating object deletes it in the same request (patch)', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1', 'b.io/2'] }));
    s.delete('IP', undefined, 'x');
    s.patch('IP', undefined, 'x', { metadata: { finalizers: ['b.io/2'] } });
    expect(s.find('IP', undefined, 'x')).toBeDefined();
    s.patch('IP', undefined, 'x', { metadata: { finalizers: null } });
    expect(s.find('IP', undefined, 'x')).toBeUndefined();
    // A live object losing its finalizers is just modified.
    s.create(ip('y', { finalizers: ['a.io/1'] }));
    s.patch('IP', undefined, 'y', { metadata: { finalizers: null } });
    expect(s.find('IP', undefined, 'y')).toBeDefined();
  });

  it('D6: the DELETED event carries the last stored state (still listing the finalizer) stamped with the deletion RV', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1'] }, { ipAddress: '10.0.0.2' }));
    const t = s.delete('IP', undefined, 'x').object;
    s.update({ ...t, metadata: { ...t.metadata, finalizers: [] }, spec: { ipAddress: 'ignored-since-not-stored' } });
    const ev = s.events.at(-1)!;
    expect(ev.type).toBe('DELETED');
    expect(ev.resourceVersion).toBe(String(s.state.rv));
    expect(ev.object.metadata.resourceVersion).toBe(String(s.state.rv));
    expect(Number(ev.resourceVersion)).toBe(Number(t.metadata.resourceVersion) + 1);
    expect(ev.object.metadata.finalizers).toEqual(['a.io/1']);
    expect(ev.object.spec).toEqual({ ipAddress: '10.0.0.2' });
  });

  it('D7: deleting an already-terminating object changes nothing and returns it', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1'] }));
    const first = s.delete('IP', undefined, 'x');
    const state = s.state;
    const n = s.events.length;
    s.advance(10_000);
    const again = s.delete('IP', undefined, 'x');
    expect(again).toEqual({ deleted: false, object: first.object });
    expect(s.state).toBe(state);
    expect(s.events.length).toBe(n);
  });

  it('D7: a propagationPolicy on a repeated delete may still add orphan / foregroundDeletion', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1'] }));
    const first = s.delete('IP', undefined, 'x').object;
    const orphan = s.delete('IP', undefined, 'x', { propagationPolicy: 'Orphan' }).object;
    expect(orphan.metadata.finalizers).toEqual(['a.io/1', 'orphan']);
    expect(orphan.metadata.deletionTimestamp).toBe(first.metadata.deletionTimestamp);
    expect(orphan.metadata.generation).toBe(first.metadata.generation);
    expect(s.events.at(-1)!.type).toBe('MODIFIED');
  });

  it('D8: Orphan adds `orphan`, Foreground adds `foregroundDeletion`, Background removes both', () => {
    const s = newServer();
    s.create(cm('o'));
    expect(s.delete('ConfigMap', 'ns', 'o', { propagationPolicy: 'Orphan' })).toMatchObject({
      deleted: false,
      object: { metadata: { finalizers: ['orphan'], deletionGracePeriodSeconds: 0 } },
    });
    s.create(cm('f', { finalizers: ['x.io/keep'] }));
    expect(s.delete('ConfigMap', 'ns', 'f', { propagationPolicy: 'Foreground' }).object.metadata.finalizers).toEqual([
      'x.io/keep',
      'foregroundDeletion',
    ]);
    // Background on a terminating object strips both; if that empties the list it is removed.
    expect(s.delete('ConfigMap', 'ns', 'o', { propagationPolicy: 'Background' }).deleted).toBe(true);
    expect(s.delete('ConfigMap', 'ns', 'f', { propagationPolicy: 'Background' }).object.metadata.finalizers).toEqual(['x.io/keep']);
  });

  it('D8: the default policy is Background (a CR without finalizers is removed at once)', () => {
    const s = newServer();
    s.create(subnet('s1'));
    expect(s.delete('Subnet', undefined, 's1').deleted).toBe(true);
  });

  it('D9: a scheduled pod is deleted gracefully: deletionTimestamp=now+30s, grace 30, stays (MODIFIED) without finalizers', () => {
    const s = newServer();
    s.create(pod('p'));
    s.advance(1000);
    const r = s.delete('Pod', 'ns', 'p');
    expect(r.deleted).toBe(false);
    expect(r.object.metadata.deletionTimestamp).toBe('2025-01-01T00:00:31Z');
    expect(r.object.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(s.events.at(-1)!.type).toBe('MODIFIED');
    expect(s.find('Pod', 'ns', 'p')).toBe(r.object);
  });

  it('D9: the grace period comes from the options, else spec.terminationGracePeriodSeconds', () => {
    const s = newServer();
    s.create(pod('a', { nodeName: 'n', terminationGracePeriodSeconds: 5 }));
    expect(s.delete('Pod', 'ns', 'a').object.metadata.deletionGracePeriodSeconds).toBe(5);
    s.create(pod('b', { nodeName: 'n', terminationGracePeriodSeconds: 5 }));
    expect(s.delete('Pod', 'ns', 'b', { gracePeriodSeconds: 12 }).object.metadata.deletionGracePeriodSeconds).toBe(12);
  });

  it('D9: an unscheduled or finished pod is deleted with grace 0: MODIFIED then DELETED in the same request', () => {
    const s = newServer();
    s.create(pod('unscheduled', {}));
    const n = s.events.length;
    expect(s.delete('Pod', 'ns', 'unscheduled').deleted).toBe(true);
    expect(s.events.slice(n).map((e) => e.type)).toEqual(['MODIFIED', 'DELETED']);
    expect(s.events.at(-2)!.object.metadata.deletionGracePeriodSeconds).toBe(0);
    const done = s.create(pod('done'));
    s.updateStatus({ ...done, status: { phase: 'Succeeded' } });
    expect(s.delete('Pod', 'ns', 'done').deleted).toBe(true);
  });

  it('D9: the kubelet delete with grace 0 removes a gracefully terminating pod without finalizers', () => {
    const s = newServer();
    s.create(pod('p'));
    const t = s.delete('Pod', 'ns', 'p').object;
    // A repeated delete without a shorter grace period changes nothing.
    const state = s.state;
    expect(s.delete('Pod', 'ns', 'p').object).toBe(t);
    expect(s.delete('Pod', 'ns', 'p', { gracePeriodSeconds: 60 }).object).toBe(t);
    expect(s.state).toBe(state);
    const r = s.delete('Pod', 'ns', 'p', { gracePeriodSeconds: 0 });
    expect(r.deleted).toBe(true);
    expect(s.find('Pod', 'ns', 'p')).toBeUndefined();
  });

  it('D9: removing the last finalizer does not remove a pod whose grace period is still > 0', () => {
    const s = newServer();
    s.create(pod('p', { nodeName: 'n' }, { finalizers: ['x.io/f'] }));
    s.advance(2000);
    s.delete('Pod', 'ns', 'p');
    const kept = s.patch('Pod', 'ns', 'p', { metadata: { finalizers: null } });
    expect(kept.metadata.finalizers).toBeUndefined();
    expect(s.find('Pod', 'ns', 'p')).toBe(kept);
    // The kubelet's grace-0 delete then removes it.
    expect(s.delete('Pod', 'ns', 'p', { gracePeriodSeconds: 0 }).deleted).toBe(true);
  });

  it('D9: with a finalizer, the kubelet delete shortens grace to 0 (timestamp = request time) and finalizer removal then deletes', () => {
    const s = newServer();
    s.create(pod('p', { nodeName: 'n' }, { finalizers: ['x.io/f'] }));
    s.advance(2000);
    s.delete('Pod', 'ns', 'p');
    s.advance(3000);
    const r = s.delete('Pod', 'ns', 'p', { gracePeriodSeconds: 0 });
    expect(r.deleted).toBe(false);
    expect(r.object.metadata).toMatchObject({ deletionGracePeriodSeconds: 0, deletionTimestamp: '2025-01-01T00:00:02Z' });
    s.patch('Pod', 'ns', 'p', { metadata: { finalizers: [] } });
    expect(s.find('Pod', 'ns', 'p')).toBeUndefined();
  });

  it('D10: off by default: deleteIgnoringFinalizers is a plain delete and the finalizer holds', () => {
    const s = newServer();
    s.create(ip('x', { finalizers: ['a.io/1'] }));
    expect(racingDeleteApplies(s.state, 'IP', undefined, 'x')).toBe(false);
    const r = s.deleteIgnoringFinalizers('IP', undefined, 'x');
    expect(r.deleted).toBe(false);
    expect(s.get('IP', undefined, 'x').metadata.deletionTimestamp).toBeDefined();
  });

  it('D10: opted in, the racing DELETE removes the object although a concurrent update just added a finalizer', () => {
    const s = newServer({ options: { deleteRacesFinalizerAdd: true } });
    s.create(ip('x'));
    // The DELETE read the finalizer-less object; then a controller added its finalizer.
    s.patch('IP', undefined, 'x', { metadata: { finalizers: ['a.io/1'] } });
    expect(racingDeleteApplies(s.state, 'IP', undefined, 'x')).toBe(true);
    const r = s.deleteIgnoringFinalizers('IP', undefined, 'x');
    expect(r.deleted).toBe(true);
    expect(s.find('IP', undefined, 'x')).toBeUndefined();
    expect(s.events.at(-1)!).toMatchObject({ type: 'DELETED', object: { metadata: { finalizers: ['a.io/1'] } } });
  });

  it('D10: the race does not apply to pods, namespaces, terminating objects, Orphan/Foreground or failed preconditions', () => {
    const s = newServer({ options: { deleteRacesFinalizerAdd: true } });
    s.create(pod('p', { nodeName: 'n' }, { finalizers: ['a.io/1'] }));
    s.create(ip('t', { finalizers: ['a.io/1'] }));
    s.delete('IP', undefined, 't');
    s.create(ip('y', { finalizers: ['a.io/1'] }));
    s.create(ip('z'));
    const st = s.state;
    expect(racingDeleteApplies(st, 'Pod', 'ns', 'p')).toBe(false);
    expect(racingDeleteApplies(st, 'Namespace', undefined, 'ns')).toBe(false);
    expect(racingDeleteApplies(st, 'IP', undefined, 't')).toBe(false);
    expect(racingDeleteApplies(st, 'IP', undefined, 'z')).toBe(false);
    expect(racingDeleteApplies(st, 'IP', undefined, 'y', { propagationPolicy: 'Orphan' })).toBe(false);
    expect(racingDeleteApplies(st, 'IP', undefined, 'y', { preconditions: { uid: 'nope' } })).toBe(false);
    expect(racingDeleteApplies(st, 'IP', undefined, 'y', { propagationPolicy: 'Background' })).toBe(true);
    // Not applying, it is exactly deleteObject.
    const env = fixedEnv(5);
    expect(deleteIgnoringFinalizers(st, env, 'IP', undefined, 't')).toEqual(deleteObject(st, env, 'IP', undefined, 't'));
  });
});

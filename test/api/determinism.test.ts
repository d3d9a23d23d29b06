import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ApiServer,
  createObject,
  deleteObject,
  emptyApiState,
  patchObject,
  systemActions,
  updateObject,
  updateStatus,
  type ApiEnv,
  type ApiResult,
  type ApiState,
  type StoredObject,
  type WatchEvent,
} from '../../src/api/index.ts';
import { cm, deepFrozen, expectApiError, fixedEnv, ip, newServer, pod, subnet, testKinds } from './helpers.ts';

function scenario(seed: number): ApiServer {
  const s = newServer({ seed });
  const owner = s.create(subnet('s1', { finalizers: ['kubeovn.io/subnet'] }));
  for (let i = 0; i < 3; i++) {
    s.create(ip('', { generateName: 'ip-', ownerReferences: [{ apiVersion: 'kubeovn.io/v1', kind: 'Subnet', name: 's1', uid: owner.metadata.uid }] }));
  }
  s.create(cm('', { generateName: 'cm-' }));
  s.create(pod('p'));
  s.advance(1500);
  s.patch('Subnet', undefined, 's1', { spec: { cidrBlock: '10.1.0.0/16' } });
  s.delete('Subnet', undefined, 's1', { propagationPolicy: 'Foreground' });
  s.delete('Pod', 'ns', 'p');
  s.delete('Namespace', undefined, 'ns');
  s.settle();
  s.patch('Subnet', undefined, 's1', { metadata: { finalizers: null } });
  return s;
}

describe('determinism and purity', () => {
  it('the same operations twice give deep-equal states and event logs', () => {
    const a = scenario(42);
    const b = scenario(42);
    expect(a.state).toEqual(b.state);
    expect(a.events).toEqual(b.events);
    expect(a.state.rv).toBeGreaterThan(10);
    // A different seed changes only the generated names.
    const c = scenario(43);
    const added = (x: ApiServer) => x.events.filter((e) => e.type === 'ADDED').map((e) => e.object.metadata.name);
    expect(added(c)).not.toEqual(added(a));
    expect(added(c).filter((n) => !/^(ip|cm)-/.test(n))).toEqual(added(a).filter((n) => !/^(ip|cm)-/.test(n)));
  });

  it('calls never mutate their input state or request objects; stored objects are deep-frozen', () => {
    const s = newServer();
    const req = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', finalizers: ['x.io/f'] }, data: { k: 'v' } };
    const reqCopy = structuredClone(req);
    const before = s.state;
    const snapshot = structuredClone(before);
    const r = createObject(before, fixedEnv(), req);
    expect(req).toEqual(reqCopy);
    expect(before).toEqual(snapshot);
    expect(deepFrozen(r.state)).toBe(true);
    expect(deepFrozen(r.events)).toBe(true);
    // Mutating the request afterwards does not reach the stored object.
    req.data.k = 'changed';
    expect(r.result.data).toEqual({ k: 'v' });
    const snap2 = structuredClone(r.state);
    deleteObject(r.state, fixedEnv(), 'ConfigMap', 'ns', 'a');
    patchObject(r.state, fixedEnv(), 'ConfigMap', 'ns', 'a', { metadata: { finalizers: null } });
    expect(r.state).toEqual(snap2);
  });

  it('M4/M5/U9/D6 invariants hold on random operation sequences', () => {
    const name = fc.constantFrom('a', 'b');
    const fins = fc.constantFrom(undefined, [], ['x.io/f'], ['x.io/f', 'y.io/g']);
    const op = fc.oneof(
      fc.record({ t: fc.constant('create' as const), kind: fc.constantFrom('ConfigMap', 'IP', 'Subnet', 'Pod'), name, fins }),
      fc.record({ t: fc.constant('patch' as const), kind: fc.constantFrom('ConfigMap', 'IP', 'Subnet', 'Pod'), name, fins, v: fc.nat(2) }),
      fc.record({ t: fc.constant('update' as const), kind: fc.constantFrom('ConfigMap', 'IP', 'Subnet'), name, fins, stale: fc.boolean() }),
      fc.record({ t: fc.constant('status' as const), kind: fc.constantFrom('Subnet', 'Pod'), name, v: fc.nat(2) }),
      fc.record({
        t: fc.constant('delete' as const),
        kind: fc.constantFrom('ConfigMap', 'IP', 'Subnet', 'Pod', 'Namespace'),
        name,
        policy: fc.constantFrom(undefined, 'Orphan', 'Foreground', 'Background'),
        grace: fc.constantFrom(undefined, 0, 5),
      }),
      fc.record({ t: fc.constant('system' as const), i: fc.nat(5) }),
    );
    type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;
    const body = (kind: string, n: string, finalizers?: readonly string[]) => {
      const meta = { name: n, finalizers };
      if (kind === 'ConfigMap') return cm(n, { finalizers });
      if (kind === 'Pod') return pod(n, { nodeName: 'node' }, { finalizers });
      if (kind === 'IP') return ip(n, meta);
      return subnet(n, meta);
    };
    const nsOf = (kind: string) => (kind === 'ConfigMap' || kind === 'Pod' ? 'ns' : undefined);
    const call = (st: ApiState, env: ApiEnv, o: Op): ApiResult<unknown> => {
      switch (o.t) {
        case 'create':
          return createObject(st, env, body(o.kind, o.name, o.fins));
        case 'patch':
          return patchObject(st, env, o.kind, nsOf(o.kind), o.name, { metadata: { finalizers: o.fins ?? null }, spec: { v: o.v } });
        case 'update': {
          const cur = st.objects[o.kind === 'ConfigMap' ? `ConfigMap/ns/${o.name}` : `${o.kind}/${o.name}`];
          const b = body(o.kind, o.name, o.fins);
          const rv = o.stale ? '1' : cur?.metadata.resourceVersion;
          return updateObject(st, env, { ...b, metadata: { ...b.metadata, resourceVersion: rv } });
        }
        case 'status': {
          const b = body(o.kind, o.name);
          return updateStatus(st, env, { ...b, status: { phase: ['Running', 'Succeeded', 'Failed'][o.v] } });
        }
        case 'delete':
          return deleteObject(st, env, o.kind, nsOf(o.kind), o.kind === 'Namespace' ? 'ns' : o.name, {
            propagationPolicy: o.policy as never,
            gracePeriodSeconds: o.grace,
          });
        case 'system': {
          const acts = systemActions(st);
          if (acts.length === 0) return { state: st, result: undefined, events: [] };
          return acts[o.i % acts.length].apply(st, env);
        }
      }
    };
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        let st = emptyApiState(testKinds);
        st = createObject(st, fixedEnv(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }).state;
        let now = 0;
        for (const o of ops) {
          now += 1000;
          let r: ApiResult<unknown>;
          try {
            r = call(st, fixedEnv(now), o);
          } catch (e) {
            if (e instanceof ApiError) continue;
            throw e;
          }
          // M4: RVs strictly increase by one per event; M5: no event means the same state.
          if (r.events.length === 0) expect(r.state).toBe(st);
          r.events.forEach((e: WatchEvent, i: number) => {
            expect(e.resourceVersion).toBe(String(st.rv + i + 1));
            expect(e.object.metadata.resourceVersion).toBe(e.resourceVersion);
          });
          expect(r.state.rv).toBe(st.rv + r.events.length);
          // Storage agrees with the events: last event per key decides presence.
          for (const e of r.events) {
            const key = e.object.metadata.namespace ? `${e.object.kind}/${e.object.metadata.namespace}/${e.object.metadata.name}` : `${e.object.kind}/${e.object.metadata.name}`;
            const last = [...r.events].reverse().find((x) => x.object.metadata.uid === e.object.metadata.uid)!;
            if (last.type === 'DELETED') expect(r.state.objects[key]?.metadata.uid).not.toBe(e.object.metadata.uid);
            else expect(r.state.objects[key]).toBe(last.object);
          }
          // Stored objects: every RV <= state.rv; terminating objects without finalizers only
          // exist as pods in their grace period or namespaces waiting for the namespace controller.
          for (const obj of Object.values(r.state.objects) as StoredObject[]) {
            expect(Number(obj.metadata.resourceVersion)).toBeLessThanOrEqual(r.state.rv);
            if (obj.metadata.deletionTimestamp && !(obj.metadata.finalizers ?? []).length) {
              const ok =
                (obj.kind === 'Pod' && (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0) ||
                (obj.kind === 'Namespace' && ((obj.spec as { finalizers?: string[] }).finalizers ?? []).length > 0);
              expect(ok, `terminating ${obj.kind}/${obj.metadata.name} without finalizers`).toBe(true);
            }
          }
          st = r.state;
        }
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('ApiServer.step refuses an action that is not enabled', () => {
    const s = newServer();
    expect(() => s.step('kubelet: delete Pod/ns/nope')).toThrow(/no enabled system action/);
    expectApiError(() => s.advance(-1), 400, 'BadRequest');
  });
});

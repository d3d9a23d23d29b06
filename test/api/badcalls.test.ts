import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ConfigMapKind,
  createObject,
  defineKind,
  deleteObject,
  emptyApiState,
  getObject,
  isAlreadyExists,
  isBadRequest,
  isConflict,
  isForbidden,
  isInvalid,
  isNotFound,
  keyOf,
  listObjects,
  objectKey,
  parseLabelSelector,
  patchObject,
  pluralOf,
  registerKind,
  resourceOf,
  timestamp,
  updateObject,
  updateStatus,
  NetworkAttachmentDefinitionKind,
  type KubeObject,
} from '../../src/api/index.ts';
import { cm, expectApiError, fixedEnv, ip, newServer, SubnetKind } from './helpers.ts';

describe('bad calls: ApiErrors with clear messages, never TypeErrors', () => {
  it('an unknown kind is 404 `the server doesn\'t have a resource type` for every verb', () => {
    const s = newServer();
    const msg = 'the server doesn\'t have a resource type "Gizmo"';
    expectApiError(() => s.get('Gizmo', 'ns', 'a'), 404, 'NotFound', msg);
    expectApiError(() => s.list('Gizmo'), 404, 'NotFound', msg);
    expectApiError(() => s.create({ apiVersion: 'x/v1', kind: 'Gizmo', metadata: { name: 'a' } }), 404, 'NotFound', msg);
    expectApiError(() => s.update({ apiVersion: 'x/v1', kind: 'Gizmo', metadata: { name: 'a' } }), 404, 'NotFound', msg);
    expectApiError(() => s.patch('Gizmo', 'ns', 'a', {}), 404, 'NotFound', msg);
    expectApiError(() => s.delete('Gizmo', 'ns', 'a'), 404, 'NotFound', msg);
  });

  it('a missing name without generateName is 422', () => {
    const s = newServer();
    expectApiError(() => s.create(cm('')), 422, 'Invalid', 'metadata.name: Required value: name or generateName is required');
    expectApiError(() => s.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { namespace: 'ns' } }), 422, 'Invalid');
    expectApiError(() => s.create({ apiVersion: 'v1', kind: 'ConfigMap' } as KubeObject), 422, 'Invalid');
    expectApiError(() => s.create(cm('Not_Valid')), 422, 'Invalid', 'RFC 1123 subdomain');
    expectApiError(() => s.get('ConfigMap', 'ns', ''), 400, 'BadRequest', 'resource name may not be empty');
    expectApiError(() => s.update({ ...cm(''), metadata: { namespace: 'ns' } }), 400, 'BadRequest', 'resource name may not be empty');
  });

  it('a namespaced kind without a namespace: 422 for a body, 400 for a path', () => {
    const s = newServer();
    expectApiError(() => s.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }), 422, 'Invalid', 'metadata.namespace: Required value');
    expectApiError(() => s.get('ConfigMap', undefined, 'a'), 400, 'BadRequest', 'namespace is required for the namespaced resource configmaps');
    expectApiError(() => s.delete('ConfigMap', '', 'a'), 400, 'BadRequest', 'namespace');
    expectApiError(() => s.patch('ConfigMap', undefined, 'a', {}), 400, 'BadRequest', 'namespace');
  });

  it('a cluster-scoped kind ignores a namespace (as the real server clears it)', () => {
    const s = newServer();
    const o = s.create(ip('p1', { namespace: 'ns' }));
    expect(o.metadata.namespace).toBeUndefined();
    expect(keyOf(o)).toBe('IP/p1');
    expect(s.get('IP', 'whatever', 'p1')).toBe(o);
  });

  it('a malformed merge patch is 400 (not an object, or a bad type for a metadata field)', () => {
    const s = newServer();
    s.create(cm('a'));
    const patches: unknown[] = [
      null,
      [],
      'str',
      42,
      { metadata: 'x' },
      { metadata: { finalizers: 'x' } },
      { metadata: { finalizers: [1] } },
      { metadata: { labels: { a: 1 } } },
      { metadata: { labels: ['a'] } },
      { metadata: { ownerReferences: {} } },
      { metadata: { ownerReferences: [{ name: 5 }] } },
      { metadata: { resourceVersion: 5 } },
      { metadata: { generation: 'x' } },
      { kind: 'Pod' },
      { apiVersion: 'v2' },
      { data: new Date(0) },
      { data: () => 1 },
      { data: Number.NaN },
    ];
    for (const p of patches) {
      const e = expectApiError(() => s.patch('ConfigMap', 'ns', 'a', p), 400, 'BadRequest');
      expect(e.message.length).toBeGreaterThan(10);
    }
    expectApiError(() => s.patch('ConfigMap', 'ns', 'a', { metadata: { finalizers: ['bad name!'] } }), 422, 'Invalid', 'metadata.finalizers[0]');
  });

  it('malformed bodies are 400', () => {
    const s = newServer();
    for (const body of [null, undefined, 42, 'x', [], { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns', labels: 'x' } }]) {
      expectApiError(() => s.create(body as unknown as KubeObject), 400, 'BadRequest');
    }
    expectApiError(() => s.create({ apiVersion: 'v2', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'ns' } }), 400, 'BadRequest', 'does not match the expected API version (v1)');
    expectApiError(() => s.create({ apiVersion: 'v1', kind: 42, metadata: {} } as unknown as KubeObject), 400, 'BadRequest', 'kind must be a non-empty string');
    const cyclic: Record<string, unknown> = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' } };
    cyclic.data = cyclic;
    expectApiError(() => s.create(cyclic as KubeObject), 400, 'BadRequest', 'cycle');
    expectApiError(() => s.create({ ...cm('p'), spec: { n: 10n } } as unknown as KubeObject), 400, 'BadRequest', 'bigint');
  });

  it('malformed label selectors are 400', () => {
    const s = newServer();
    for (const sel of ['a=b,,c', '=b', 'a in (b)', 'a=b c', '!', 'a==', 'Bad Key', 'a=b=c', ',']) {
      if (sel === 'a==') continue; // empty value is valid
      expectApiError(() => s.list('ConfigMap', { labelSelector: sel }), 400, 'BadRequest', 'unable to parse label selector');
    }
    expectApiError(() => s.list('ConfigMap', { labelSelector: 5 as unknown as string }), 400, 'BadRequest');
  });

  it('bad delete options are 400 / 422', () => {
    const s = newServer();
    s.create(cm('a'));
    expectApiError(() => s.delete('ConfigMap', 'ns', 'a', { propagationPolicy: 'Sometimes' as 'Orphan' }), 422, 'Invalid', 'propagationPolicy: Unsupported value');
    expectApiError(() => s.delete('ConfigMap', 'ns', 'a', { gracePeriodSeconds: 1.5 }), 400, 'BadRequest');
    expectApiError(() => s.delete('ConfigMap', 'ns', 'a', { preconditions: { uid: 5 as unknown as string } }), 400, 'BadRequest');
    expectApiError(() => s.delete('ConfigMap', 'ns', 'a', 'x' as never), 400, 'BadRequest');
  });

  it('the is* helpers classify errors by reason', () => {
    const s = newServer();
    const grab = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e;
      }
      throw new Error('no error');
    };
    const nf = grab(() => s.get('ConfigMap', 'ns', 'zz'));
    s.create(cm('a'));
    const ae = grab(() => s.create(cm('a')));
    expect([isNotFound(nf), isAlreadyExists(nf), isNotFound(ae), isAlreadyExists(ae)]).toEqual([true, false, false, true]);
    expect(isConflict(grab(() => s.delete('ConfigMap', 'ns', 'a', { preconditions: { uid: 'x' } })))).toBe(true);
    expect(isInvalid(grab(() => s.create(cm(''))))).toBe(true);
    expect(isBadRequest(grab(() => s.create(cm('a', { resourceVersion: '1' }))))).toBe(true);
    s.delete('Namespace', undefined, 'ns');
    expect(isForbidden(grab(() => s.create(cm('b'))))).toBe(true);
    expect(isNotFound(new Error('x'))).toBe(false);
    expect((nf as ApiError).name).toBe('ApiError');
    expect((nf as ApiError).objectName).toBe('zz');
    expect((nf as ApiError).kind).toBe('ConfigMap');
  });

  it('random garbage arguments only ever throw ApiError', () => {
    const s = newServer();
    s.create(cm('a', { finalizers: ['x.io/f'] }));
    const st = s.state;
    const env = fixedEnv(0, [1, 2, 3]);
    const anyArg = fc.oneof(fc.anything(), fc.constantFrom('ConfigMap', 'Subnet', 'ns', 'a', undefined));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), anyArg, anyArg, anyArg, fc.anything(), (verb, a, b, c, d) => {
        try {
          switch (verb) {
            case 0: createObject(st, env, a as KubeObject); break;
            case 1: updateObject(st, env, { apiVersion: 'v1', kind: 'ConfigMap', metadata: a as never, data: b } as KubeObject); break;
            case 2: updateStatus(st, env, a as KubeObject); break;
            case 3: patchObject(st, env, a as string, b as string, c as string, d); break;
            case 4: patchObject(st, env, 'ConfigMap', 'ns', 'a', { metadata: d, data: a }); break;
            case 5: deleteObject(st, env, a as string, b as string, c as string, d as never); break;
            case 6: listObjects(st, a as string, b as never); getObject(st, a as string, b as string, c as string); break;
          }
        } catch (e) {
          if (!(e instanceof ApiError)) throw e;
        }
      }),
      { numRuns: 400, seed: 7 },
    );
  });
});

describe('list and label selectors', () => {
  it('lists are sorted by key and filtered by namespace and equality selectors', () => {
    const s = newServer();
    s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a-ns' } });
    s.create(cm('z', { labels: { app: 'x', tier: 'web' } }));
    s.create(cm('b', { labels: { app: 'y' } }));
    s.create({ ...cm('m'), metadata: { name: 'm', namespace: 'a-ns', labels: { app: 'x' } } });
    const names = (sel?: string, namespace?: string) =>
      s.list('ConfigMap', { labelSelector: sel, namespace }).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
    expect(names()).toEqual(['a-ns/m', 'ns/b', 'ns/z']);
    expect(names(undefined, 'ns')).toEqual(['ns/b', 'ns/z']);
    expect(names('app=x')).toEqual(['a-ns/m', 'ns/z']);
    expect(names('app==x,tier')).toEqual(['ns/z']);
    expect(names('app!=x')).toEqual(['ns/b']);
    expect(names('!tier')).toEqual(['a-ns/m', 'ns/b']);
    expect(names('tier!=web')).toEqual(['a-ns/m', 'ns/b']);
    expect(names(' app = x , !tier ')).toEqual(['a-ns/m']);
    expect(names('')).toEqual(names());
    expect(parseLabelSelector('a=b,!c,d,e!=f')).toEqual([
      { op: 'eq', key: 'a', value: 'b' },
      { op: 'notexists', key: 'c' },
      { op: 'exists', key: 'd' },
      { op: 'neq', key: 'e', value: 'f' },
    ]);
  });
});

describe('keys, kinds and timestamps', () => {
  it('objectKey / keyOf / timestamp', () => {
    expect(objectKey('Pod', 'ns', 'p')).toBe('Pod/ns/p');
    expect(objectKey('Subnet', undefined, 's')).toBe('Subnet/s');
    expect(objectKey('Subnet', '', 's')).toBe('Subnet/s');
    expect(keyOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n' } })).toBe('ConfigMap/n/a');
    expect(timestamp(0)).toBe('2025-01-01T00:00:00Z');
    expect(timestamp(1999)).toBe('2025-01-01T00:00:01Z');
    expect(timestamp(86_400_000 + 3_723_000)).toBe('2025-01-02T01:02:03Z');
  });

  it('plurals and resource names', () => {
    expect(resourceOf(SubnetKind)).toBe('subnets.kubeovn.io');
    expect(resourceOf(ConfigMapKind)).toBe('configmaps');
    expect(resourceOf(NetworkAttachmentDefinitionKind)).toBe('network-attachment-definitions.k8s.cni.cncf.io');
    expect(pluralOf({ kind: 'Policy' })).toBe('policies');
    expect(pluralOf({ kind: 'Gateway' })).toBe('gateways');
    expect(pluralOf({ kind: 'Ingress' })).toBe('ingresses');
    expect(pluralOf({ kind: 'Vpc' })).toBe('vpcs');
    expect(pluralOf({ kind: 'Foo', plural: 'fooz' })).toBe('fooz');
  });

  it('defineKind defaults and registerKind', () => {
    const k = defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'Vpc', namespaced: false });
    expect(k).toMatchObject({ custom: true, statusSubresource: false });
    const st = emptyApiState();
    expect(Object.keys(st.kinds).sort()).toEqual(['ConfigMap', 'Namespace', 'NetworkAttachmentDefinition', 'Pod']);
    const st2 = registerKind(st, k);
    expect(st2.kinds.Vpc).toEqual(k);
    expect(registerKind(st2, k)).toBe(st2);
    expectApiError(() => registerKind(st2, { ...k, namespaced: true }), 409, 'AlreadyExists');
    expectApiError(() => defineKind({ apiVersion: 'bad version', kind: 'X', namespaced: false }), 400, 'BadRequest');
    expectApiError(() => emptyApiState([], { deleteRacesFinalizerAdd: 'yes' as unknown as boolean }), 400, 'BadRequest');
  });
});

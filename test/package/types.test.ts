/**
 * Type-level tests of the public API: objects shaped like @kubernetes/client-node's fit
 * KubeObject without casts, and the identity helpers keep their type parameters. These are
 * checked by `tsc --noEmit` (npm test); the runtime assertions only keep vitest honest.
 */
import { describe, expect, expectTypeOf, test } from 'vitest';
import {
  type ControllerDef,
  type ExternalSystemDef,
  type KubeObject,
  type ReconcileContext,
  type Scenario,
  type StoredObject,
  type UserOp,
  defineController,
  defineExternalSystem,
  keyOf,
} from '../../src/index.ts';

// ---- A local copy of client-node's shapes (only the shape; the package is not a dependency).
// @kubernetes/client-node 1.x generates classes with optional fields, no index signature,
// and Date timestamps.

class V1OwnerReference {
  'apiVersion': string = '';
  'blockOwnerDeletion'?: boolean;
  'controller'?: boolean;
  'kind': string = '';
  'name': string = '';
  'uid': string = '';
}

class V1ObjectMeta {
  'annotations'?: { [key: string]: string };
  'creationTimestamp'?: Date;
  'deletionGracePeriodSeconds'?: number;
  'deletionTimestamp'?: Date;
  'finalizers'?: Array<string>;
  'generateName'?: string;
  'generation'?: number;
  'labels'?: { [key: string]: string };
  'managedFields'?: Array<{ manager?: string; operation?: string; time?: Date }>;
  'name'?: string;
  'namespace'?: string;
  'ownerReferences'?: Array<V1OwnerReference>;
  'resourceVersion'?: string;
  'selfLink'?: string;
  'uid'?: string;
  static readonly discriminator: string | undefined = undefined;
}

interface V1Container {
  name: string;
  image?: string;
}

interface V1PodSpec {
  containers: Array<V1Container>;
  nodeName?: string;
}

interface V1PodStatus {
  phase?: string;
  podIP?: string;
}

/** As an interface (client-node 0.x style) ... */
interface V1Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: V1PodSpec;
  status?: V1PodStatus;
}

/** ... and as a class with static members (client-node 1.x style). */
class V1ConfigMap {
  'apiVersion'?: string;
  'binaryData'?: { [key: string]: string };
  'data'?: { [key: string]: string };
  'immutable'?: boolean;
  'kind'?: string;
  'metadata'?: V1ObjectMeta;
  static readonly discriminator: string | undefined = undefined;
  static readonly attributeTypeMap: Array<{ name: string; baseName: string; type: string }> = [];
}

describe('client-node shapes fit KubeObject without casts', () => {
  test('V1Pod (interface) and V1ConfigMap (class) are assignable to KubeObject', () => {
    const pod: V1Pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
    const cm = new V1ConfigMap();
    cm.apiVersion = 'v1';
    cm.kind = 'ConfigMap';
    cm.metadata = { name: 'c', namespace: 'default' };
    cm.data = { a: '1' };

    const a: KubeObject = pod;
    const b: KubeObject = cm;
    const typed: KubeObject<V1PodSpec, V1PodStatus> = pod;
    // Usable wherever kuberace takes an object: scenario operations, client calls, keyOf.
    const ops: UserOp[] = [{ verb: 'create', object: pod }, { verb: 'create', object: cm }];
    const scenario: Scenario = { ops };
    function* handler(ctx: ReconcileContext, obj: V1Pod) {
      yield* ctx.client.create(obj);
      yield* ctx.client.update(cm);
    }
    expect(keyOf(a)).toBe('Pod/default/p');
    expect(keyOf(b)).toBe('ConfigMap/default/c');
    expect(typed.spec?.containers[0].name).toBe('c');
    expect(scenario.ops).toHaveLength(2);
    expect(typeof handler).toBe('function');
  });

  test('object literals may carry other top-level fields (a ConfigMap\'s data)', () => {
    const literal: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { k: 'v' } };
    expect(keyOf(literal)).toBe('ConfigMap/default/x');
  });

  test('stored objects have the server-owned fields and string timestamps', () => {
    expectTypeOf<StoredObject['metadata']['uid']>().toEqualTypeOf<string>();
    expectTypeOf<StoredObject['metadata']['creationTimestamp']>().toEqualTypeOf<string>();
    expectTypeOf<StoredObject['metadata']['deletionTimestamp']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<StoredObject['kind']>().toEqualTypeOf<string>();
    // A stored object can be sent back (update with its resourceVersion).
    expectTypeOf<StoredObject>().toMatchTypeOf<KubeObject>();
    // A client-node object is no StoredObject: the server-owned fields may be missing.
    expectTypeOf<V1Pod>().not.toMatchTypeOf<StoredObject>();
  });
});

describe('identity helpers keep their type parameters', () => {
  test('defineController infers the memory type from initialMemory', () => {
    interface Memory {
      readonly seen: number;
    }
    const c = defineController({
      name: 'c',
      initialMemory: { seen: 0 } as Memory,
      watches: { ConfigMap: { add: (ctx, obj) => ctx.enqueue('q', `${obj.metadata.namespace}/${obj.metadata.name}`) } },
      queues: {
        q: {
          workers: 1,
          *reconcile(ctx, key) {
            const m = yield* ctx.updateMemory((prev) => ({ seen: prev.seen + 1 }));
            expectTypeOf(m).toEqualTypeOf<Memory>();
            yield* ctx.log(key);
          },
        },
      },
    });
    expectTypeOf(c).toEqualTypeOf<ControllerDef<Memory>>();
    // @ts-expect-error memory updates must return the memory type
    defineController<Memory>({ name: 'd', initialMemory: { seen: 0 }, watches: {}, queues: { q: { workers: 1, *reconcile(ctx) { yield* ctx.updateMemory(() => ({ other: 1 })); } } } });
    expect(c.name).toBe('c');
  });

  test('defineExternalSystem checks calls against the state type', () => {
    type Snapshots = Readonly<Record<string, { volume: string }>>;
    const s = defineExternalSystem<Snapshots>({
      name: 'snapshots',
      initial: {},
      calls: { create: (state, a: { id: string; volume: string }) => ({ state: { ...state, [a.id]: { volume: a.volume } } }) },
    });
    expectTypeOf(s).toEqualTypeOf<ExternalSystemDef<Snapshots>>();
    // @ts-expect-error a call must return a state of the system's type
    defineExternalSystem<Snapshots>({ name: 'x', initial: {}, calls: { bad: () => ({ state: 42 }) } });
    expect(s.calls.create({}, { id: 'a', volume: 'v' }).state).toEqual({ a: { volume: 'v' } });
  });
});

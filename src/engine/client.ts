/**
 * The API client: one request (a handler's `ctx.client.*` effect, a user operation, a system
 * actor) run against the pure API server of src/api (rules M*, C*, U*, D*), with the world's
 * clock and seeded RNG, validating admission webhooks first (a denial is a 403 like the real
 * server's), and the resulting watch events handed to the watch stream (./watch.ts). Records the
 * request's footprint: what it reads and which objects it writes.
 */
import { ApiError } from '../api/errors.ts';
import { objectKey, keyOf } from '../api/keys.ts';
import { createObject, deleteObject, getObject, listObjects, patchObject, updateObject, updateStatus } from '../api/server.ts';
import type { ApiEnv, ApiResult, ApiState, KubeObject, StoredObject } from '../api/types.ts';
import type { Effect } from './effects.ts';
import { nextInt } from './rng.ts';
import type { Engine, StepTxn } from './step.ts';
import type { AdmissionRequest } from './system.ts';
import { fanOut } from './watch.ts';

/** The environment of one API call: the world's clock and its seeded RNG (advanced on use). */
class StepApiEnv implements ApiEnv {
  usedRng = false;
  constructor(
    readonly now: number,
    public rng: number,
  ) {}
  randomInt(n: number): number {
    this.usedRng = true;
    const [v, next] = nextInt(this.rng, n);
    this.rng = next;
    return v;
  }
}

/** Run a pure API-server call against the world; fan its watch events out to informers. */
export function api<T>(eng: Engine, txn: StepTxn, call: (state: ApiState, env: ApiEnv) => ApiResult<T>): T {
  const env = new StepApiEnv(txn.world.clock, txn.world.rng);
  const out = call(txn.world.api, env);
  const rng = env.rng;
  if (env.usedRng) {
    txn.read('rng');
    txn.write('rng');
  }
  if (out.state !== txn.world.api) txn.set('api', out.state);
  if (rng !== txn.world.rng) txn.set('rng', rng);
  for (const ev of out.events) txn.write(`api/${keyOf(ev.object)}`);
  if (out.events.length) fanOut(eng, txn, out.events);
  return out.result;
}

/** Perform one API effect; returns the result or throws the ApiError. Records footprint and a note. */
export function performApi(eng: Engine, txn: StepTxn, e: Effect, actor: string): unknown {
  if (eng.system.admission?.length && e.op !== 'get' && e.op !== 'list') admit(eng, txn, e, actor);
  switch (e.op) {
    case 'get':
      txn.read(`api/${objectKey(e.kind, e.namespace, e.name)}`);
      return getObject(txn.world.api, e.kind, e.namespace, e.name);
    case 'list':
      txn.read(`api/${e.kind}/*`);
      return listObjects(txn.world.api, e.kind, e.options);
    case 'create':
      txn.read('clock');
      txn.write(`api/${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, e.object.metadata?.name ?? '')}`);
      if (e.object.metadata?.namespace) txn.read(`api/Namespace/${e.object.metadata.namespace}`);
      return api(eng, txn, (s, env) => createObject(s, env, e.object));
    case 'update':
      txn.write(`api/${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, e.object.metadata?.name ?? '')}`);
      return api(eng, txn, (s, env) => updateObject(s, env, e.object));
    case 'updateStatus':
      txn.write(`api/${objectKey(e.object.kind ?? '', e.object.metadata?.namespace, e.object.metadata?.name ?? '')}`);
      return api(eng, txn, (s, env) => updateStatus(s, env, e.object));
    case 'patch':
      txn.write(`api/${objectKey(e.kind, e.namespace, e.name)}`);
      return api(eng, txn, (s, env) => patchObject(s, env, e.kind, e.namespace, e.name, e.patch, { subresource: e.subresource }));
    case 'delete':
      txn.read('clock');
      txn.write(`api/${objectKey(e.kind, e.namespace, e.name)}`);
      return api(eng, txn, (s, env) => deleteObject(s, env, e.kind, e.namespace, e.name, e.options));
    default:
      throw new Error(`not an API effect: ${e.op}`);
  }
}

/** Run validating admission webhooks; a denial throws 403 like the real server. */
function admit(eng: Engine, txn: StepTxn, e: Effect, actor: string): void {
  let request: AdmissionRequest;
  const stored = (kind: string, ns: string | undefined, name: string) => txn.world.api.objects[objectKey(kind, ns, name)];
  switch (e.op) {
    case 'create':
    case 'update':
    case 'updateStatus': {
      const m = e.object.metadata ?? {};
      const name = m.name ?? '';
      const kind = e.object.kind ?? '';
      request = { verb: e.op, kind, namespace: m.namespace, name, object: e.object, oldObject: stored(kind, m.namespace, name), actor, ...(e.op === 'updateStatus' ? { subresource: 'status' as const } : {}) };
      break;
    }
    case 'patch': {
      // A webhook validates the object the patch would store: apply it to a scratch copy of the
      // state (pure); if it fails, the real call fails the same way after admission.
      let object: KubeObject | undefined;
      try {
        object = patchObject(txn.world.api, new StepApiEnv(txn.world.clock, txn.world.rng), e.kind, e.namespace, e.name, e.patch, { subresource: e.subresource }).result as KubeObject;
      } catch {
        object = undefined;
      }
      request = { verb: e.op, kind: e.kind, namespace: e.namespace, name: e.name, object, oldObject: stored(e.kind, e.namespace, e.name), actor, ...(e.subresource ? { subresource: 'status' as const } : {}) };
      break;
    }
    case 'delete':
      request = { verb: e.op, kind: e.kind, namespace: e.namespace, name: e.name, oldObject: stored(e.kind, e.namespace, e.name), actor };
      break;
    default:
      return;
  }
  if (request.oldObject) txn.read(`api/${keyOf(request.oldObject)}`);
  const list = (kind: string) => {
    txn.read(`api/${kind}/*`);
    return listObjects(txn.world.api, kind);
  };
  for (const hook of eng.system.admission ?? []) {
    const denied = hook({ ...request, list });
    if (denied !== undefined) {
      throw new ApiError({ code: 403, reason: 'Forbidden', message: `admission webhook denied the request: ${denied}`, kind: request.kind, objectName: request.name });
    }
  }
}

/** The note of a successful API call. */
export function describeApiResult(result: unknown): string {
  if (Array.isArray(result)) return `${result.length} items`;
  if (result && typeof result === 'object') {
    const r = result as { deleted?: boolean; object?: StoredObject; metadata?: StoredObject['metadata'] };
    if (r.object && typeof r.deleted === 'boolean') {
      return r.deleted ? `deleted (rv ${r.object.metadata.resourceVersion})` : `terminating (rv ${r.object.metadata.resourceVersion})`;
    }
    if (r.metadata?.resourceVersion) return `ok (rv ${r.metadata.resourceVersion})`;
  }
  return 'ok';
}

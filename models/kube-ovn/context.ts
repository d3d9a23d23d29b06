/** Shared types and small helpers of the kube-ovn-controller model. */
import { isNotFound, type Effect, type ReconcileContext, type StoredObject } from '../../src/index.ts';
import type { KubeOvnConfig } from './config.ts';
import type { AllocateResult, Ipam } from './ipam.ts';
import type { Pod } from './objects.ts';

/** The controller's in-memory state: lost on restart. */
export interface KubeOvnMemory {
  readonly ipam: Ipam;
  /**
   * deletingPodObjMap: the last pod object seen by the delete paths. A successful handleDeletePod
   * drops its entry 5 min later (v1.12.28, a goroutine; here the deletingPodObjMapDrop queue) or at
   * once (master).
   */
  readonly deletingPods: Readonly<Record<string, Pod>>;
  /** delIPQueue holds IP objects in Go; the model queues the name and keeps the subnets here. */
  readonly deletedIPs: Readonly<Record<string, { readonly subnet: string; readonly attachSubnets: readonly string[] }>>;
  /** markAndCleanLSP's mark set from the previous round (gc.go's `lastNoPodLSP`, a strset). */
  readonly lastNoPodLSP: Readonly<Record<string, true>>;
  /** The start-up gc() has run (later gc runs are the periodic markAndCleanLSP). */
  readonly startupGcDone: boolean;
}

export const initialMemory: KubeOvnMemory = { ipam: {}, deletingPods: {}, deletedIPs: {}, lastNoPodLSP: {}, startupGcDone: false };

export type Ctx = ReconcileContext<KubeOvnMemory>;

/**
 * The `select` of a memory write whose result the handler does not use: an in-flight handler is
 * identified by the results it received, so it keeps none of the memory (see ReconcileContext.memory).
 */
export const nothing = (): undefined => undefined;

/** The outcome of an IPAM allocation as a handler keeps it: the address or the error, not the IPAM. */
export type Allocation = { readonly ok: true; readonly ip: string } | { readonly ok: false; readonly error: string };

/**
 * Run an allocation against the IPAM and store the new IPAM, in one step (the Go IPAM call is
 * atomic under its mutex). The handler receives only the outcome, so states that differ in IPAM
 * entries it never reads stay one state.
 */
export function* allocateInIpam(ctx: Ctx, run: (ipam: KubeOvnMemory['ipam']) => AllocateResult): Generator<Effect, Allocation, unknown> {
  const outcome = yield* ctx.memory((m): Allocation => {
    const r = run(m.ipam);
    return r.ok ? { ok: true, ip: r.ip } : { ok: false, error: r.error };
  });
  if (outcome.ok) {
    yield* ctx.updateMemory((m) => {
      const r = run(m.ipam);
      return r.ok ? { ...m, ipam: r.ipam } : m;
    }, nothing);
  }
  return outcome;
}

export interface Env {
  readonly cfg: KubeOvnConfig;
}

export const CONTROLLER = 'kube-ovn-controller';

// Queue names as in pkg/controller/controller.go.
export const Q = {
  addOrUpdatePod: 'addOrUpdatePodQueue',
  deletePod: 'deletePodQueue',
  addOrUpdateSubnet: 'addOrUpdateSubnetQueue',
  deleteSubnet: 'deleteSubnetQueue',
  updateSubnetStatus: 'updateSubnetStatusQueue',
  addIP: 'addIPQueue',
  updateIP: 'updateIPQueue',
  delIP: 'delIPQueue',
  /**
   * Not a Go queue: v1.12.28 processNextDeletePodWorkItem (pod.go ~439) starts
   * `go func() { time.Sleep(5 * time.Minute); c.deletingPodObjMap.Delete(key) }()`; a delayed item
   * of this queue is that goroutine. Q1/Q4 merge two pending drops of one key into the earliest,
   * where Go would run both (the later one could drop a newer entry too).
   */
  deletingPodObjMapDrop: 'deletingPodObjMapDrop',
} as const;

/** The 5 minutes after which v1.12.28 drops a deletingPodObjMap entry. */
export const DELETING_POD_DROP_MS = 5 * 60_000;

export const POD_KEY_MUTEX = 'podKeyMutex';
export const SUBNET_KEY_MUTEX = 'subnetKeyMutex';

/** A lister Get that returns undefined on NotFound (the `k8serrors.IsNotFound(err) -> return nil` idiom). */
export function listerGet<T extends StoredObject>(ctx: Ctx, kind: string, namespace: string | undefined, name: string): Generator<Effect, T | undefined, unknown> {
  return listerGetKeep(ctx, kind, namespace, name, (o: T) => o);
}

/**
 * listerGet keeping only `part(object)` (ctx.keep): for a handler that goes on to read only that
 * part, so states that differ in the rest of the cached object stay one state.
 */
export function* listerGetKeep<T extends StoredObject, R>(ctx: Ctx, kind: string, namespace: string | undefined, name: string, part: (object: T) => R): Generator<Effect, R | undefined, unknown> {
  try {
    return yield* ctx.keep(ctx.lister<T>(kind).get(namespace, name), part);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** isPodAlive (pkg/controller/pod.go): terminal phase, or deletion grace period elapsed. */
export function isPodAlive(pod: Pod, now: number, parse: (ts: string) => number | undefined): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const dt = pod.metadata.deletionTimestamp;
  if (dt && pod.metadata.deletionGracePeriodSeconds !== undefined) {
    const at = parse(dt);
    if (at !== undefined && now > at + pod.metadata.deletionGracePeriodSeconds * 1000) return false;
  }
  return true;
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * `rec` without `key` (rec itself when the key is absent): Go's `delete(m, key)` on a
 * copy-on-write record such as `deletingPods`.
 */
export function withoutKey<V>(rec: Readonly<Record<string, V>>, key: string): Readonly<Record<string, V>> {
  if (!Object.hasOwn(rec, key)) return rec;
  const { [key]: _gone, ...rest } = rec;
  return rest;
}

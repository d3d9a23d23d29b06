import { expect } from 'vitest';
import { ApiError, ApiServer, defineKind, type ApiEnv, type ApiServerOptions, type KubeObject } from '../../src/api/index.ts';

/** Kube-OVN-like cluster-scoped CRs: Subnet has a status subresource, IP has none. */
export const SubnetKind = defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'Subnet', namespaced: false, statusSubresource: true });
export const IPKind = defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'IP', namespaced: false });
/** A namespaced CR with a status subresource. */
export const WidgetKind = defineKind({ apiVersion: 'example.com/v1', kind: 'Widget', namespaced: true, statusSubresource: true });

export const testKinds = [SubnetKind, IPKind, WidgetKind];

/** A server with the test kinds and namespace `ns` created (RV 1). */
export function newServer(opts: ApiServerOptions = {}): ApiServer {
  const s = new ApiServer({ kinds: testKinds, ...opts });
  s.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } });
  return s;
}

export const cm = (name: string, extra: Partial<KubeObject['metadata']> = {}, data: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'ns', ...extra },
  data,
});

export const subnet = (name: string, extra: Partial<KubeObject['metadata']> = {}, spec: unknown = { cidrBlock: '10.0.0.0/24' }): KubeObject => ({
  apiVersion: 'kubeovn.io/v1',
  kind: 'Subnet',
  metadata: { name, ...extra },
  spec,
});

export const ip = (name: string, extra: Partial<KubeObject['metadata']> = {}, spec: unknown = { ipAddress: '10.0.0.2' }): KubeObject => ({
  apiVersion: 'kubeovn.io/v1',
  kind: 'IP',
  metadata: { name, ...extra },
  spec,
});

export const pod = (name: string, spec: Record<string, unknown> = { nodeName: 'node1' }, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'ns', ...extra },
  spec,
});

/** Asserts `fn` throws an ApiError with this code and reason (and message parts); returns it. */
export function expectApiError(fn: () => unknown, code: number, reason: string, ...messageParts: string[]): ApiError {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, 'expected an ApiError to be thrown').toBeInstanceOf(ApiError);
  const e = thrown as ApiError;
  expect({ code: e.code, reason: e.reason }).toEqual({ code, reason });
  for (const p of messageParts) expect(e.message).toContain(p);
  return e;
}

/** A fixed environment for calling the pure functions directly. */
export function fixedEnv(now = 0, draws: number[] = []): ApiEnv {
  let i = 0;
  return { now, randomInt: (n) => (i < draws.length ? draws[i++] : 0) % n };
}

/** Deep check that every nested object/array is frozen. */
export function deepFrozen(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return true;
  if (!Object.isFrozen(v)) return false;
  return Object.values(v).every(deepFrozen);
}

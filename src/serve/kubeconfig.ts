/**
 * The kubeconfig `kuberace serve` writes, so that `kubectl --kubeconfig F get subnets` needs
 * no other flag: one cluster (plain http on loopback, no credentials), one context with the
 * trace's namespace as default.
 */
import { stringify } from 'yaml';
import type { ServedTrace } from './snapshots.ts';

export const KUBECONFIG_CONTEXT = 'kuberace';

/** The one namespace every namespaced object of the trace lives in, else `default`. */
export function defaultNamespace(served: ServedTrace): string {
  const seen = new Set<string>();
  for (const e of served.events) if (e.object.metadata.namespace) seen.add(e.object.metadata.namespace);
  return seen.size === 1 ? [...seen][0] : 'default';
}

export function kubeconfigText(server: string, namespace: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': KUBECONFIG_CONTEXT,
    clusters: [{ name: KUBECONFIG_CONTEXT, cluster: { server } }],
    users: [{ name: KUBECONFIG_CONTEXT, user: {} }],
    contexts: [{ name: KUBECONFIG_CONTEXT, context: { cluster: KUBECONFIG_CONTEXT, user: KUBECONFIG_CONTEXT, namespace } }],
    preferences: {},
  });
}

/** Where the kubeconfig goes by default: next to the trace, `x.json` -> `x.kubeconfig`. */
export function kubeconfigPathFor(traceFile: string): string {
  return traceFile.endsWith('.json') ? `${traceFile.slice(0, -'.json'.length)}.kubeconfig` : `${traceFile}.kubeconfig`;
}

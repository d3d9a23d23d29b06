/**
 * Discovery documents of the served kinds, in the legacy (v1) shapes kubectl falls back to
 * when the server does not offer aggregated discovery: `/api` (APIVersions), `/apis`
 * (APIGroupList), `/apis/<group>` (APIGroup) and `/api/v1`, `/apis/<group>/<version>`
 * (APIResourceList). Every resource is read-only: verbs get, list, watch.
 */
import { groupOf, pluralOf } from '../api/kinds.ts';
import type { KindDef } from '../api/types.ts';

export const READ_VERBS: readonly string[] = ['get', 'list', 'watch'];

/**
 * Short names of the kinds the bundled models use, as their real servers and CRDs declare
 * them (`kubectl get po`, `kubectl get net-attach-def`). Other kinds get none.
 */
const SHORT_NAMES: Readonly<Record<string, readonly string[]>> = {
  'v1/Pod': ['po'],
  'v1/Namespace': ['ns'],
  'v1/ConfigMap': ['cm'],
  'k8s.cni.cncf.io/v1/NetworkAttachmentDefinition': ['net-attach-def'],
  'kubeovn.io/v1/IP': ['ip'],
  'kubeovn.io/v1/Subnet': ['subnet'],
  'kubeovn.io/v1/Vpc': ['vpc'],
  'kubevirt.io/v1/VirtualMachine': ['vm', 'vms'],
  'kubevirt.io/v1/VirtualMachineInstance': ['vmi', 'vmis'],
};

export function versionOf(def: Pick<KindDef, 'apiVersion'>): string {
  const slash = def.apiVersion.indexOf('/');
  return slash < 0 ? def.apiVersion : def.apiVersion.slice(slash + 1);
}

export function shortNamesOf(def: Pick<KindDef, 'apiVersion' | 'kind'>): readonly string[] {
  return SHORT_NAMES[`${def.apiVersion}/${def.kind}`] ?? [];
}

export interface ApiResource {
  readonly name: string;
  readonly singularName: string;
  readonly namespaced: boolean;
  readonly kind: string;
  readonly verbs: readonly string[];
  readonly shortNames?: readonly string[];
}

/** The resources of one group version: each kind, and `<plural>/status` where the kind has a status subresource. */
export function resourceList(kinds: readonly KindDef[], groupVersion: string): { kind: 'APIResourceList'; apiVersion: 'v1'; groupVersion: string; resources: ApiResource[] } {
  const resources: ApiResource[] = [];
  for (const def of kinds) {
    if (def.apiVersion !== groupVersion) continue;
    const short = shortNamesOf(def);
    resources.push({
      name: pluralOf(def),
      singularName: def.kind.toLowerCase(),
      namespaced: def.namespaced,
      kind: def.kind,
      verbs: READ_VERBS,
      ...(short.length ? { shortNames: short } : {}),
    });
    if (def.statusSubresource) resources.push({ name: `${pluralOf(def)}/status`, singularName: '', namespaced: def.namespaced, kind: def.kind, verbs: ['get'] });
  }
  resources.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}

/** Named groups (not the core group), sorted, each with its versions. */
export function groupsOf(kinds: readonly KindDef[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const def of kinds) {
    const g = groupOf(def);
    if (!g) continue;
    const versions = groups.get(g) ?? [];
    if (!versions.includes(versionOf(def))) versions.push(versionOf(def));
    groups.set(g, versions.sort());
  }
  return new Map([...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function apiGroup(name: string, versions: readonly string[]) {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function groupList(kinds: readonly KindDef[]) {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupsOf(kinds)].map(([g, vs]) => apiGroup(g, vs)) };
}

export function group(kinds: readonly KindDef[], name: string) {
  const vs = groupsOf(kinds).get(name);
  return vs ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(name, vs) } : undefined;
}

/** `/api`: the core group's versions. */
export function coreVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** Whether a group version is served (the core group is `v1`). */
export function servesGroupVersion(kinds: readonly KindDef[], groupVersion: string): boolean {
  return groupVersion === 'v1' || kinds.some((k) => k.apiVersion === groupVersion);
}

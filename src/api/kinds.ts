/** Kind registrations: the modelled built-ins and {@link defineKind} for custom resources. */
import { badRequest } from './errors.ts';
import type { KindDef } from './types.ts';

/** API group of a kind (`kubeovn.io` for `kubeovn.io/v1`, `''` for the core group `v1`). */
export function groupOf(def: Pick<KindDef, 'apiVersion'>): string {
  const slash = def.apiVersion.indexOf('/');
  return slash < 0 ? '' : def.apiVersion.slice(0, slash);
}

/** Lowercase plural of a kind: explicit `plural`, else the usual English rule. */
export function pluralOf(def: Pick<KindDef, 'kind' | 'plural'>): string {
  if (def.plural) return def.plural;
  const k = def.kind.toLowerCase();
  if (/(s|x|z|ch|sh)$/.test(k)) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

/** Qualified resource as in error messages: `pods`, `subnets.kubeovn.io`. */
export function resourceOf(def: Pick<KindDef, 'kind' | 'plural' | 'apiVersion'>): string {
  const g = groupOf(def);
  return g ? `${pluralOf(def)}.${g}` : pluralOf(def);
}

/** Qualified kind as in 422 messages: `Pod`, `Subnet.kubeovn.io`. */
export function qualifiedKindOf(def: Pick<KindDef, 'kind' | 'apiVersion'>): string {
  const g = groupOf(def);
  return g ? `${def.kind}.${g}` : def.kind;
}

/** Whether the kind maintains metadata.generation (M6). */
export function tracksGeneration(def: KindDef): boolean {
  return def.tracksGeneration ?? def.custom;
}

/** True for the built-in core/v1 Pod (graceful deletion, D9). */
export function isPodKind(def: KindDef): boolean {
  return !def.custom && def.apiVersion === 'v1' && def.kind === 'Pod';
}

/** True for the built-in core/v1 Namespace (N1). */
export function isNamespaceKind(def: KindDef): boolean {
  return !def.custom && def.apiVersion === 'v1' && def.kind === 'Namespace';
}

const KIND_RE = /^[A-Za-z][A-Za-z0-9]*$/;
const API_VERSION_RE = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?v[0-9]+[a-z0-9]*$/;

/** Validates a complete KindDef (400 BadRequest on a malformed definition). */
export function validateKindDef(def: unknown): KindDef {
  if (typeof def !== 'object' || def === null) throw badRequest('kind definition must be an object');
  const d = def as Record<string, unknown>;
  if (typeof d.kind !== 'string' || !KIND_RE.test(d.kind)) {
    throw badRequest(`kind definition: kind must be a CamelCase identifier, got ${JSON.stringify(d.kind)}`);
  }
  if (typeof d.apiVersion !== 'string' || !API_VERSION_RE.test(d.apiVersion)) {
    throw badRequest(`kind definition ${d.kind}: apiVersion must look like "group/v1" or "v1", got ${JSON.stringify(d.apiVersion)}`);
  }
  for (const f of ['namespaced', 'statusSubresource', 'custom'] as const) {
    if (typeof d[f] !== 'boolean') throw badRequest(`kind definition ${d.kind}: ${f} must be a boolean`);
  }
  if (d.plural !== undefined && (typeof d.plural !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(d.plural))) {
    throw badRequest(`kind definition ${d.kind}: plural must be a lowercase DNS label`);
  }
  if (d.tracksGeneration !== undefined && typeof d.tracksGeneration !== 'boolean') {
    throw badRequest(`kind definition ${d.kind}: tracksGeneration must be a boolean`);
  }
  return def as KindDef;
}

/**
 * Define a custom kind (like applying a CRD). Defaults: `custom: true` (update requires a
 * resourceVersion, generation counts spec changes), `statusSubresource: false`. The plural is
 * derived from the kind unless given.
 *
 * @example
 * ```ts
 * export const BackupKind = defineKind({ apiVersion: 'example.com/v1', kind: 'Backup', namespaced: true, statusSubresource: true });
 * ```
 *
 * @example
 * ```ts
 * defineKind({ apiVersion: 'kubeovn.io/v1', kind: 'Subnet', namespaced: false, statusSubresource: true });
 * ```
 *
 * @category Kinds
 */
export function defineKind(
  def: Partial<KindDef> & Pick<KindDef, 'apiVersion' | 'kind' | 'namespaced'>,
): KindDef {
  return Object.freeze(validateKindDef({ custom: true, statusSubresource: false, ...def }));
}

/**
 * core/v1 Namespace, served by every simulated cluster: cluster-scoped, status subresource,
 * spec.finalizers ["kubernetes"] (N1). Namespaced objects need their namespace to exist:
 * create it in a scenario's setup.
 *
 * @example
 * ```ts
 * const setup: UserOp[] = [{ verb: 'create', object: { apiVersion: 'v1', kind: NamespaceKind.kind, metadata: { name: 'default' } } }];
 * ```
 *
 * @category Kinds
 */
export const NamespaceKind: KindDef = Object.freeze({
  apiVersion: 'v1',
  kind: 'Namespace',
  namespaced: false,
  statusSubresource: true,
  custom: false,
});

/**
 * core/v1 Pod: namespaced, status subresource, graceful deletion (D9; the simulated kubelet
 * finishes deleted pods).
 *
 * @example
 * ```ts
 * const pod: KubeObject = { apiVersion: 'v1', kind: PodKind.kind, metadata: { name: 'p', namespace: 'default' }, spec: { nodeName: 'n1' } };
 * ```
 *
 * @category Kinds
 */
export const PodKind: KindDef = Object.freeze({
  apiVersion: 'v1',
  kind: 'Pod',
  namespaced: true,
  statusSubresource: true,
  custom: false,
});

/**
 * core/v1 ConfigMap: namespaced, no status.
 *
 * @example
 * ```ts
 * const cm: KubeObject = { apiVersion: 'v1', kind: ConfigMapKind.kind, metadata: { name: 'c', namespace: 'default' }, data: { k: 'v' } };
 * ```
 *
 * @category Kinds
 */
export const ConfigMapKind: KindDef = Object.freeze({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  namespaced: true,
  statusSubresource: false,
  custom: false,
});

/**
 * Multus NetworkAttachmentDefinition (k8s.cni.cncf.io/v1), a namespaced CRD without status.
 *
 * @example
 * ```ts
 * const nad: KubeObject = { apiVersion: NetworkAttachmentDefinitionKind.apiVersion, kind: 'NetworkAttachmentDefinition', metadata: { name: 'attach1', namespace: 'default' }, spec: { config: '{}' } };
 * ```
 *
 * @category Kinds
 */
export const NetworkAttachmentDefinitionKind: KindDef = Object.freeze({
  apiVersion: 'k8s.cni.cncf.io/v1',
  kind: 'NetworkAttachmentDefinition',
  namespaced: true,
  statusSubresource: false,
  custom: true,
  plural: 'network-attachment-definitions',
});

/**
 * The kinds every simulated cluster serves (Namespace, Pod, ConfigMap,
 * NetworkAttachmentDefinition); a {@link SystemDef} lists only its own kinds.
 *
 * @example
 * ```ts
 * const served = [...builtinKinds, BackupKind].map((k) => k.kind);
 * ```
 *
 * @category Kinds
 */
export const builtinKinds: readonly KindDef[] = Object.freeze([
  NamespaceKind,
  PodKind,
  ConfigMapKind,
  NetworkAttachmentDefinitionKind,
]);

/**
 * URL paths of the Kubernetes API, parsed against the served kinds:
 *
 *   /api/v1/<plural>                              list (all namespaces, or cluster-scoped)
 *   /api/v1/<plural>/<name>[/<subresource>]       cluster-scoped object
 *   /api/v1/namespaces/<ns>/<plural>              list in one namespace
 *   /api/v1/namespaces/<ns>/<plural>/<name>[/<subresource>]
 *   /apis/<group>/<version>/...                   the same for a named group
 *   .../watch/...                                 the legacy watch prefix (= ?watch=true)
 */
import { pluralOf } from '../api/kinds.ts';
import type { KindDef } from '../api/types.ts';

export type Route =
  | { readonly kind: 'discovery-core' }
  | { readonly kind: 'discovery-groups' }
  | { readonly kind: 'discovery-group'; readonly group: string }
  | { readonly kind: 'discovery-resources'; readonly groupVersion: string }
  | {
      readonly kind: 'resource';
      readonly def: KindDef;
      readonly group: string;
      readonly plural: string;
      /** Undefined: every namespace (or a cluster-scoped kind). */
      readonly namespace?: string;
      /** Undefined: the collection. */
      readonly name?: string;
      readonly subresource?: string;
      /** The path used the legacy `/watch/` prefix. */
      readonly watchPrefix: boolean;
    }
  /** A well-formed API path naming no served resource: 404. */
  | { readonly kind: 'not-found' };

function decode(seg: string): string | undefined {
  try {
    return decodeURIComponent(seg);
  } catch {
    return undefined;
  }
}

/** Parse `pathname` (no query). */
export function parseRoute(pathname: string, kinds: readonly KindDef[]): Route {
  const raw = pathname.split('/').filter((s) => s !== '');
  const segs: string[] = [];
  for (const s of raw) {
    const d = decode(s);
    if (d === undefined) return { kind: 'not-found' };
    segs.push(d);
  }
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { kind: 'discovery-core' };
    group = '';
    version = segs[1];
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { kind: 'discovery-groups' };
    if (segs.length === 2) return { kind: 'discovery-group', group: segs[1] };
    group = segs[1];
    version = segs[2];
    rest = segs.slice(3);
  } else {
    return { kind: 'not-found' };
  }
  const groupVersion = group ? `${group}/${version}` : version;
  const served = kinds.filter((k) => k.apiVersion === groupVersion);
  if (rest.length === 0) return served.length || groupVersion === 'v1' ? { kind: 'discovery-resources', groupVersion } : { kind: 'not-found' };
  const watchPrefix = rest[0] === 'watch';
  if (watchPrefix) rest = rest.slice(1);
  const byPlural = (p: string | undefined) => (p === undefined ? undefined : served.find((k) => pluralOf(k) === p));
  let namespace: string | undefined;
  // namespaces/<ns>/<plural>... is a namespaced resource; namespaces/<name>[/<sub>] is the Namespace itself.
  if (rest[0] === 'namespaces' && rest.length >= 3 && byPlural(rest[2])?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const def = byPlural(rest[0]);
  if (!def || rest.length > 3) return { kind: 'not-found' };
  // A namespaced object is addressed only through its namespace.
  if (def.namespaced && namespace === undefined && rest.length > 1) return { kind: 'not-found' };
  return {
    kind: 'resource',
    def,
    group,
    plural: rest[0],
    ...(namespace !== undefined ? { namespace } : {}),
    ...(rest[1] !== undefined ? { name: rest[1] } : {}),
    ...(rest[2] !== undefined ? { subresource: rest[2] } : {}),
    watchPrefix,
  };
}

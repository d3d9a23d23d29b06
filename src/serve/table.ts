/**
 * Server-side printing (meta.k8s.io Table), with the columns of the report tables
 * (src/report/tables.ts): NAME, the kind's own columns, FINALIZERS, DELETING. kubectl asks
 * for it with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` and adds NAMESPACE
 * itself for `-A`, from each row's object metadata.
 */
import type { KindDef, StoredObject } from '../api/types.ts';
import { tableOf } from '../report/tables.ts';

/** Which Table version an Accept header asks for, if any (v1 preferred, v1beta1 for old clients). */
export function tableVersionOf(accept: string | undefined): 'v1' | 'v1beta1' | undefined {
  if (!accept) return undefined;
  let best: 'v1' | 'v1beta1' | undefined;
  for (const part of accept.split(',')) {
    const params = part.split(';').map((p) => p.trim());
    if (!params.includes('as=Table') || !params.includes('g=meta.k8s.io')) continue;
    if (params.includes('v=v1')) return 'v1';
    if (params.includes('v=v1beta1')) best = 'v1beta1';
  }
  return best;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

function rowObject(o: StoredObject, include: IncludeObject, version: string): unknown {
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: o.metadata };
}

export interface TableOptions {
  readonly version: 'v1' | 'v1beta1';
  readonly clock: number;
  readonly resourceVersion?: string;
  readonly includeObject: IncludeObject;
}

/** The Table of `objects` (all of kind `def`). */
export function toTable(def: KindDef, objects: readonly StoredObject[], opts: TableOptions) {
  // Without NAMESPACE: kubectl prints it for -A from the row objects, as with a real server.
  const t = tableOf(def.kind, objects, { clock: opts.clock }, { ...def, namespaced: false });
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${opts.version}`,
    metadata: opts.resourceVersion ? { resourceVersion: opts.resourceVersion } : {},
    columnDefinitions: t.headers.map((h) => ({
      name: h,
      type: 'string',
      format: h === 'NAME' ? 'name' : '',
      description: '',
      priority: 0,
    })),
    rows: t.rows.map((cells, i) => ({
      cells,
      ...(opts.includeObject === 'None' ? {} : { object: rowObject(objects[i], opts.includeObject, opts.version) }),
    })),
  };
}

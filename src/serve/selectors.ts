/**
 * Field selectors the server understands: `metadata.name` and `metadata.namespace` with
 * `=`, `==` or `!=` (what kubectl sends for `kubectl get ip x -w` and what every kind
 * supports on a real server). Other fields are 400, worded like kube-apiserver.
 */
import { badRequest } from '../api/errors.ts';
import type { StoredObject } from '../api/types.ts';

export interface FieldRequirement {
  readonly field: 'metadata.name' | 'metadata.namespace';
  readonly op: '=' | '!=';
  readonly value: string;
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  const out: FieldRequirement[] = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(p);
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${p}'`);
    const field = m[1].trim();
    if (field !== 'metadata.name' && field !== 'metadata.namespace') throw badRequest(`field label not supported: ${field}`);
    out.push({ field, op: m[2] === '!=' ? '!=' : '=', value: m[3].trim() });
  }
  return out;
}

export function matchesFields(o: StoredObject, reqs: readonly FieldRequirement[]): boolean {
  return reqs.every((r) => {
    const v = r.field === 'metadata.name' ? o.metadata.name : (o.metadata.namespace ?? '');
    return r.op === '=' ? v === r.value : v !== r.value;
  });
}

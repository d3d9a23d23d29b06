/**
 * Shape checks (400 BadRequest) and field validation (422 Invalid) of object metadata, plus the
 * equality-based label selector. Internal to src/api.
 */
import { badRequest, invalid } from './errors.ts';
import { isPlainObject, type Json, type JsonObject } from './json.ts';
import type { OwnerReference } from './types.ts';

/** Mutable working copy of ObjectMeta used while a request is processed. */
export interface MetaDraft {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Readonly<Record<string, string>>;
  annotations?: Readonly<Record<string, string>>;
  finalizers?: readonly string[];
  ownerReferences?: readonly OwnerReference[];
  /** Metadata fields the model gives no meaning to (kept verbatim). */
  extra: Record<string, Json>;
}

const STRING_FIELDS = [
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
] as const;
const KNOWN_FIELDS = new Set<string>([
  ...STRING_FIELDS,
  'generation',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
]);

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function shapeError(field: string, expected: string, got: unknown) {
  return badRequest(`request body is invalid: metadata.${field} must be ${expected}, got ${describe(got)}`);
}

function stringMap(field: string, v: Json): Readonly<Record<string, string>> {
  if (!isPlainObject(v)) throw shapeError(field, 'a map of string to string', v);
  for (const [k, val] of Object.entries(v)) {
    if (typeof val !== 'string') throw shapeError(`${field}.${k}`, 'a string', val);
  }
  return v as Readonly<Record<string, string>>;
}

function ownerRefs(v: Json): readonly OwnerReference[] {
  if (!Array.isArray(v)) throw shapeError('ownerReferences', 'an array of owner references', v);
  v.forEach((r: Json, i: number) => {
    if (!isPlainObject(r)) throw shapeError(`ownerReferences[${i}]`, 'an object', r);
    for (const f of ['apiVersion', 'kind', 'name', 'uid']) {
      if (r[f] !== undefined && r[f] !== null && typeof r[f] !== 'string') {
        throw shapeError(`ownerReferences[${i}].${f}`, 'a string', r[f]);
      }
    }
    for (const f of ['controller', 'blockOwnerDeletion']) {
      if (r[f] !== undefined && r[f] !== null && typeof r[f] !== 'boolean') {
        throw shapeError(`ownerReferences[${i}].${f}`, 'a boolean', r[f]);
      }
    }
  });
  return v as unknown as readonly OwnerReference[];
}

/**
 * Reads `metadata` of an incoming (already JSON-copied) body into a draft, checking every field
 * the model interprets has the right JSON type (400 BadRequest otherwise). `null` means unset.
 */
export function parseMeta(raw: Json | undefined): MetaDraft {
  if (raw === undefined || raw === null) return { extra: {} };
  if (!isPlainObject(raw)) throw badRequest(`request body is invalid: metadata must be an object, got ${describe(raw)}`);
  const m = raw as JsonObject;
  const d: MetaDraft = { extra: {} };
  for (const f of STRING_FIELDS) {
    const v = m[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw shapeError(f, 'a string', v);
    if (v !== '') d[f] = v;
  }
  for (const f of ['generation', 'deletionGracePeriodSeconds'] as const) {
    const v = m[f];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw shapeError(f, 'an integer', v);
    d[f] = v;
  }
  if (m.labels !== undefined && m.labels !== null) d.labels = stringMap('labels', m.labels);
  if (m.annotations !== undefined && m.annotations !== null) d.annotations = stringMap('annotations', m.annotations);
  if (m.finalizers !== undefined && m.finalizers !== null) {
    const f = m.finalizers;
    if (!Array.isArray(f) || !f.every((x: Json) => typeof x === 'string')) {
      throw shapeError('finalizers', 'an array of strings', f);
    }
    d.finalizers = f as readonly string[];
  }
  if (m.ownerReferences !== undefined && m.ownerReferences !== null) d.ownerReferences = ownerRefs(m.ownerReferences);
  for (const k of Object.keys(m)) if (!KNOWN_FIELDS.has(k)) d.extra[k] = m[k];
  return d;
}

// ---- name grammars (k8s.io/apimachinery/pkg/util/validation) ----

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_RE = new RegExp(`^${DNS1123_LABEL}(\\.${DNS1123_LABEL})*$`);
const DNS1123_LABEL_RE = new RegExp(`^${DNS1123_LABEL}$`);
const QUALIFIED_NAME_PART_RE = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDnsSubdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN_RE.test(s);
}
export function isDnsLabel(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL_RE.test(s);
}
/** `prefix/name` or `name`, prefix a DNS subdomain, name at most 63 characters. */
export function qualifiedNameProblem(s: string): string | undefined {
  const parts = s.split('/');
  let name = s;
  if (parts.length === 2) {
    if (parts[0] === '' || !isDnsSubdomain(parts[0])) return 'prefix part must be a lowercase RFC 1123 subdomain';
    name = parts[1];
  } else if (parts.length > 2) {
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', with an optional DNS subdomain prefix and '/'";
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART_RE.test(name)) {
    return "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}
export function labelValueProblem(s: string): string | undefined {
  if (s.length > 63) return 'must be no more than 63 characters';
  if (!LABEL_VALUE_RE.test(s)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  }
  return undefined;
}

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

/**
 * Field validation shared by create and update (422 causes, empty when valid): the object name
 * (DNS subdomain, or DNS label for namespaces), labels, annotation keys, finalizers (M9:
 * qualified names, not both orphan and foregroundDeletion) and ownerReferences (M9: complete,
 * at most one controller).
 */
export function metaProblems(meta: MetaDraft, nameMustBeLabel: boolean): string[] {
  const out: string[] = [];
  const name = meta.name ?? '';
  if (nameMustBeLabel ? !isDnsLabel(name) : !isDnsSubdomain(name)) {
    out.push(
      nameMustBeLabel
        ? `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`
        : `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    );
  }
  for (const [k, v] of Object.entries(meta.labels ?? {})) {
    const kp = qualifiedNameProblem(k);
    if (kp) out.push(`metadata.labels: Invalid value: "${k}": ${kp}`);
    const vp = labelValueProblem(v);
    if (vp) out.push(`metadata.labels: Invalid value: "${v}": ${vp}`);
  }
  for (const k of Object.keys(meta.annotations ?? {})) {
    const kp = qualifiedNameProblem(k.toLowerCase());
    if (kp) out.push(`metadata.annotations: Invalid value: "${k}": ${kp}`);
  }
  const fins = meta.finalizers ?? [];
  fins.forEach((f, i) => {
    const p = qualifiedNameProblem(f);
    if (p) out.push(`metadata.finalizers[${i}]: Invalid value: "${f}": ${p}`);
  });
  if (fins.includes(FINALIZER_ORPHAN) && fins.includes(FINALIZER_FOREGROUND)) {
    out.push(
      `metadata.finalizers: Invalid value: "${FINALIZER_FOREGROUND}": finalizer ${FINALIZER_FOREGROUND} and ${FINALIZER_ORPHAN} cannot be both set`,
    );
  }
  const refs = meta.ownerReferences ?? [];
  const controllers: string[] = [];
  refs.forEach((r, i) => {
    for (const f of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (!r[f]) out.push(`metadata.ownerReferences[${i}].${f}: Required value: ${f} must not be empty`);
    }
    if (r.controller === true) controllers.push(`${r.kind}/${r.name}`);
  });
  if (controllers.length > 1) {
    out.push(
      `metadata.ownerReferences: Invalid value: ${controllers.length} controllers: Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`,
    );
  }
  return out;
}

/** Finalizers are a set (M9): duplicates collapse to the first occurrence. */
export function dedupe(list: readonly string[]): readonly string[] {
  if (list.length < 2) return list;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of list) if (!seen.has(f)) (seen.add(f), out.push(f));
  return out.length === list.length ? list : out;
}

export { invalid };

// ---- label selectors ----

export type LabelRequirement =
  | { readonly op: 'eq' | 'neq'; readonly key: string; readonly value: string }
  | { readonly op: 'exists' | 'notexists'; readonly key: string };

function selectorError(selector: string, detail: string) {
  return badRequest(`unable to parse label selector "${selector}": ${detail}`);
}

/**
 * Parses an equality-based label selector: comma-separated `a=b`, `a==b`, `a!=b`, `a`, `!a`.
 * Set-based requirements (`in`, `notin`) are not modelled. Malformed input: 400 BadRequest.
 */
export function parseLabelSelector(selector: unknown): readonly LabelRequirement[] {
  if (selector === undefined || selector === null) return [];
  if (typeof selector !== 'string') throw badRequest(`labelSelector must be a string, got ${describe(selector)}`);
  if (selector.trim() === '') return [];
  const out: LabelRequirement[] = [];
  for (const rawPart of selector.split(',')) {
    const part = rawPart.trim();
    if (part === '') throw selectorError(selector, 'empty requirement');
    let req: LabelRequirement;
    const m = /^([^=!\s]+)\s*(!=|==|=)\s*(.*)$/.exec(part);
    if (m) {
      const value = m[3].trim();
      const vp = labelValueProblem(value);
      if (vp) throw selectorError(selector, `invalid value "${value}": ${vp}`);
      req = { op: m[2] === '!=' ? 'neq' : 'eq', key: m[1], value };
    } else if (part.startsWith('!')) {
      req = { op: 'notexists', key: part.slice(1).trim() };
    } else if (/\s(in|notin)\s*\(/.test(part)) {
      throw selectorError(selector, `set-based requirement "${part}" is not supported by the model`);
    } else {
      req = { op: 'exists', key: part };
    }
    const kp = qualifiedNameProblem(req.key);
    if (kp) throw selectorError(selector, `invalid label key "${req.key}": ${kp}`);
    out.push(req);
  }
  return out;
}

export function matchesSelector(labels: Readonly<Record<string, string>> | undefined, reqs: readonly LabelRequirement[]): boolean {
  for (const r of reqs) {
    const has = labels !== undefined && Object.hasOwn(labels, r.key);
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      case 'eq':
        if (!has || labels[r.key] !== r.value) return false;
        break;
      case 'neq':
        if (has && labels[r.key] === r.value) return false;
        break;
    }
  }
  return true;
}

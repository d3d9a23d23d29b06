/**
 * Plain-JSON helpers: defensive deep copy into frozen JSON, structural equality and
 * RFC 7386 JSON merge patch. Internal to src/api, except {@link jsonEqual} (public).
 */
import { badRequest } from './errors.ts';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
export type JsonObject = { readonly [k: string]: Json };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Where a value sits in a request body, built into a string only for an error message. */
interface PathNode {
  readonly up: PathNode | undefined;
  readonly key: string | number;
  /** The path given by the caller (the root). */
  readonly root?: string;
}

function pathText(at: PathNode): string {
  if (at.up === undefined) return at.root ?? '';
  const parent = pathText(at.up);
  return typeof at.key === 'number' ? `${parent}[${at.key}]` : parent ? `${parent}.${at.key}` : at.key;
}

/**
 * Deep-copies `value` into fresh, deep-frozen plain JSON. Object properties whose value is
 * `undefined` are dropped (as JSON.stringify does); anything that is not JSON (functions,
 * symbols, bigint, non-finite numbers, class instances such as Date or Map, cycles, undefined
 * array items) is a 400 BadRequest naming the path.
 *
 * `prior` is an already stored value (deep-frozen JSON this module produced), e.g. the stored
 * object a patch or update is about: a part of `value` that IS the part of `prior` at the same
 * path is reused as it is instead of copied. Requests built from a cached object (`{ ...obj,
 * metadata: { ... } }`) then copy only what they changed, and equality checks against the
 * stored object short-circuit on identity.
 */
export function toFrozenJson(value: unknown, path: string, seen: Set<object> = new Set(), prior?: unknown): Json {
  return copyJson(value, { up: undefined, key: '', root: path }, seen, prior);
}

function copyJson(value: unknown, at: PathNode, seen: Set<object>, prior: unknown): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw badRequest(`${pathText(at)}: ${String(value)} is not a valid JSON number`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (value === prior) return value as Json;
      if (seen.has(value)) throw badRequest(`${pathText(at)}: the request body contains a cycle`);
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          const p = Array.isArray(prior) ? prior : undefined;
          const out: Json[] = new Array(value.length);
          for (let i = 0; i < value.length; i++) {
            const item: unknown = value[i];
            if (item === undefined) throw badRequest(`${pathText({ up: at, key: i })}: undefined is not a JSON value`);
            out[i] = copyJson(item, { up: at, key: i }, seen, p?.[i]);
          }
          return Object.freeze(out);
        }
        if (!isPlainObject(value)) {
          const ctor = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
          throw badRequest(`${pathText(at)}: a ${ctor} is not a JSON value`);
        }
        const p = isPlainObject(prior) ? prior : undefined;
        const out: Record<string, Json> = {};
        for (const k of Object.keys(value)) {
          const v = value[k];
          if (v === undefined) continue;
          if (k === '__proto__') {
            const where = pathText(at);
            throw badRequest(`${where ? `${where}.` : ''}__proto__ is not allowed as a field name`);
          }
          out[k] = copyJson(v, { up: at, key: k }, seen, p !== undefined && Object.hasOwn(p, k) ? p[k] : undefined);
        }
        return Object.freeze(out);
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw badRequest(`${pathText(at)}: a ${typeof value} is not a JSON value`);
  }
}

/**
 * Structural equality of two JSON values (object key order is irrelevant), the check a Go
 * controller makes with `reflect.DeepEqual` / `equality.Semantic.DeepEqual` before it skips a
 * write that would change nothing.
 *
 * @example
 * ```ts
 * const status = { phase: 'Ready', used: 1 };
 * if (!jsonEqual(status, cached.status ?? {})) yield* ctx.client.updateStatus({ ...cached, status });
 * ```
 *
 * @category Objects
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  let bn = 0;
  for (const k in bo) if (Object.prototype.hasOwnProperty.call(bo, k)) bn++;
  if (ak.length !== bn) return false;
  for (const k of ak) {
    if (!Object.prototype.hasOwnProperty.call(bo, k)) return false;
    if (!jsonEqual(ao[k], bo[k])) return false;
  }
  return true;
}

/**
 * RFC 7386 JSON merge patch of already-validated JSON: a `null` member removes the key, an
 * object merges recursively, anything else (arrays included) replaces the target value.
 * Returns a new (not frozen) value; `target` is never mutated.
 */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const base: Record<string, Json> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as JsonObject) } : {};
  const p = patch as JsonObject;
  for (const k of Object.keys(p)) {
    const v = p[k];
    if (v === null) delete base[k];
    else base[k] = mergePatch(base[k], v);
  }
  return base;
}

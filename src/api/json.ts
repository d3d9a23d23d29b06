/**
 * Plain-JSON helpers: defensive deep copy into frozen JSON, structural equality and
 * RFC 7386 JSON merge patch. Internal to src/api.
 */
import { badRequest } from './errors.ts';

export type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };
export type JsonObject = { readonly [k: string]: Json };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies `value` into fresh, deep-frozen plain JSON. Object properties whose value is
 * `undefined` are dropped (as JSON.stringify does); anything that is not JSON (functions,
 * symbols, bigint, non-finite numbers, class instances such as Date or Map, cycles, undefined
 * array items) is a 400 BadRequest naming the path.
 */
export function toFrozenJson(value: unknown, path: string, seen: Set<object> = new Set()): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw badRequest(`${path}: ${String(value)} is not a valid JSON number`);
      return value;
    case 'object': {
      if (value === null) return null;
      if (seen.has(value)) throw badRequest(`${path}: the request body contains a cycle`);
      // Already frozen values stored by this module are reused as they are.
      seen.add(value);
      try {
        if (Array.isArray(value)) {
          const out: Json[] = new Array(value.length);
          for (let i = 0; i < value.length; i++) {
            const item: unknown = value[i];
            if (item === undefined) throw badRequest(`${path}[${i}]: undefined is not a JSON value`);
            out[i] = toFrozenJson(item, `${path}[${i}]`, seen);
          }
          return Object.freeze(out);
        }
        if (!isPlainObject(value)) {
          const ctor = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
          throw badRequest(`${path}: a ${ctor} is not a JSON value`);
        }
        const out: Record<string, Json> = {};
        for (const k of Object.keys(value)) {
          const v = value[k];
          if (v === undefined) continue;
          if (k === '__proto__') throw badRequest(`${path ? `${path}.` : ''}__proto__ is not allowed as a field name`);
          out[k] = toFrozenJson(v, path ? `${path}.${k}` : k, seen);
        }
        return Object.freeze(out);
      } finally {
        seen.delete(value);
      }
    }
    default:
      throw badRequest(`${path}: a ${typeof value} is not a JSON value`);
  }
}

/** Structural equality of two JSON values (object key order is irrelevant). */
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

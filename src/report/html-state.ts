/**
 * What the HTML viewer shows besides the API objects, as plain data computed here (so that it
 * is tested without a browser): per step each controller's informer caches against the API
 * server, its pending watch events, work queues, in-flight handlers, locks and memory; a
 * field-level diff of every object a step wrote; and the objects the violation names.
 */
import type { StoredObject } from '../api/types.ts';
import { describeEffect } from '../engine/describe.ts';
import type { ControllerState, World } from '../engine/world.ts';

/** One changed field: dotted path, old and new value (undefined: absent). */
export interface FieldChange {
  readonly path: string;
  readonly old?: unknown;
  readonly new?: unknown;
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Field-level differences between two JSON values (objects recursed into, arrays compared whole). */
export function fieldDiff(a: unknown, b: unknown, path = '', out: FieldChange[] = []): FieldChange[] {
  if (a === b) return out;
  if (isPlain(a) && isPlain(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.prototype.hasOwnProperty.call(a, k))];
    for (const k of keys) fieldDiff(a[k], b[k], path ? `${path}.${k}` : k, out);
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, ...(a === undefined ? {} : { old: a }), ...(b === undefined ? {} : { new: b }) });
  return out;
}

/** How one cached object compares with the API server's. */
export interface CacheEntry {
  readonly key: string;
  /** `stale`: an older resourceVersion; `missing`: on the server, not in the cache; `gone`: in the cache, deleted on the server. */
  readonly state: 'in-sync' | 'stale' | 'missing' | 'gone';
  readonly cacheRv?: string;
  readonly serverRv?: string;
  /** Cache -> server, for a stale entry. */
  readonly diff?: readonly FieldChange[];
}

export interface InformerView {
  readonly kind: string;
  readonly entries: readonly CacheEntry[];
  /** Watch events not yet delivered, in order (`MODIFIED IP/p1.vm`). */
  readonly pending: readonly string[];
  /** Initial-list events not yet delivered (the cache has not synced). */
  readonly unsynced: number;
}

export interface QueueView {
  readonly name: string;
  readonly waiting: readonly string[];
  readonly processing: readonly string[];
  readonly delayed: readonly { readonly item: string; readonly readyAt: number }[];
  readonly failures: Readonly<Record<string, number>>;
}

export interface InflightView {
  readonly id: string;
  /** `queue NAME` or `task NAME`. */
  readonly where: string;
  readonly key: string;
  readonly handler: string;
  /** The effect it waits at (`PATCH IP/p1.vm`). */
  readonly pending: string;
  readonly steps: number;
}

export interface ControllerView {
  readonly name: string;
  readonly started: boolean;
  readonly restarts: number;
  readonly informers: readonly InformerView[];
  readonly queues: readonly QueueView[];
  readonly inflight: readonly InflightView[];
  /** `mutex/key` -> holder (in-flight id). */
  readonly locks: Readonly<Record<string, string>>;
  readonly memory: unknown;
}

const sorted = (keys: Iterable<string>) => [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

function informerView(kind: string, inf: ControllerState['informers'][string], server: Readonly<Record<string, StoredObject>>): InformerView {
  const serverKeys = Object.keys(server).filter((k) => server[k].kind === kind);
  const entries: CacheEntry[] = [];
  for (const key of sorted(new Set([...Object.keys(inf.cache), ...serverKeys]))) {
    const c = inf.cache[key];
    const s = server[key];
    const cacheRv = c?.metadata.resourceVersion;
    const serverRv = s?.metadata.resourceVersion;
    const rvs = { ...(cacheRv !== undefined ? { cacheRv } : {}), ...(serverRv !== undefined ? { serverRv } : {}) };
    if (c && !s) entries.push({ key, state: 'gone', ...rvs });
    else if (!c && s) entries.push({ key, state: 'missing', ...rvs });
    else if (c && s && (c === s || cacheRv === serverRv)) entries.push({ key, state: 'in-sync', ...rvs });
    else if (c && s) entries.push({ key, state: 'stale', ...rvs, diff: fieldDiff(c, s) });
  }
  return { kind, entries, pending: inf.pending.map((e) => `${e.tombstone ? 'DELETED (tombstone)' : e.type} ${e.key}${e.initial ? ' (initial list)' : ''}`), unsynced: inf.unsynced };
}

/** The controllers of a world, as the viewer shows them. */
export function controllerViews(world: World): ControllerView[] {
  return Object.keys(world.controllers).map((name) => {
    const c = world.controllers[name];
    return {
      name,
      started: c.started,
      restarts: c.restarts,
      informers: sorted(Object.keys(c.informers)).map((kind) => informerView(kind, c.informers[kind], world.api.objects)),
      queues: sorted(Object.keys(c.queues)).map((q) => {
        const s = c.queues[q];
        return { name: q, waiting: [...s.queue], processing: sorted(Object.keys(s.processing)), delayed: s.delayed.map((d) => ({ item: d.item, readyAt: d.readyAt })), failures: { ...s.failures } };
      }),
      inflight: sorted(Object.keys(c.inflight)).map((id) => {
        const f = c.inflight[id];
        return { id, where: f.queue !== undefined ? `queue ${f.queue}` : `task ${f.task ?? '?'}`, key: f.key, handler: f.handler, pending: describeEffect(f.pending), steps: f.steps };
      }),
      locks: { ...c.locks },
      memory: c.memory,
    };
  });
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The objects a violation message (or its classification evidence) names: `Kind/ns/name`,
 * `Kind/name`, `Kind name`, `kind ns/name` (kind in any case), as Kube-OVN's and the guide's
 * properties write them. A heuristic for highlighting only.
 */
export function objectsNamed(text: string, objects: Readonly<Record<string, StoredObject>>): string[] {
  const out: string[] = [];
  for (const key of sorted(Object.keys(objects))) {
    const o = objects[key];
    const kind = escapeRe(o.kind);
    const name = escapeRe(o.metadata.name);
    const ns = o.metadata.namespace ? `${escapeRe(o.metadata.namespace)}/` : '';
    const forms = [`${kind}/${ns}${name}`, `${kind}[ ]${ns}${name}`, ...(ns ? [`${kind}[ ]${name}`] : [])];
    const re = new RegExp(`(?:^|[^\\w./-])(?:${forms.join('|')})(?![\\w-]|\\.\\w)`, 'i');
    if (re.test(text)) out.push(key);
  }
  return out;
}

/**
 * kubectl-style tables of a cluster state (`kubectl get pods -A`, `kubectl get subnets`, ...).
 *
 * Every kind gets the generic columns (NAMESPACE for namespaced kinds, NAME, FINALIZERS,
 * DELETING); a kind may add its own columns after NAME through {@link registerColumns}
 * (Pod, Subnet, IP and Namespace are built in, like the printer columns of their CRDs).
 */
import { parseTimestamp } from '../api/keys.ts';
import { pluralOf } from '../api/kinds.ts';
import type { KindDef, StoredObject } from '../api/types.ts';

/**
 * What a kubectl-style table needs besides the objects: the simulated clock, for AGE columns.
 *
 * @example
 * ```ts
 * const ctx: TableContext = { clock: timeline.final.clock };
 * ```
 *
 * @category Reports
 */
export interface TableContext {
  /** Simulated clock (ms) of the state shown, for AGE columns. */
  readonly clock: number;
}

/**
 * One extra column of a kubectl-style table: a header and how to print an object's value.
 *
 * @example
 * ```ts
 * const ready: Column = { header: 'READY', value: (o) => String((o.status as { ready?: number } | undefined)?.ready ?? 0) };
 * ```
 *
 * @category Reports
 */
export interface Column {
  readonly header: string;
  readonly value: (obj: StoredObject, ctx: TableContext) => string;
}

/** A value by dotted path (`status.v4usingIPs`); `<none>` for an absent or empty one, like kubectl. */
export function pathValue(obj: unknown, path: string): string {
  let v: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return '<none>';
    v = (v as Record<string, unknown>)[part];
  }
  if (v === undefined || v === null || v === '') return '<none>';
  if (Array.isArray(v)) return v.length ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(',') : '<none>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * A {@link Column} that prints a dotted path (`<none>` when absent, like kubectl).
 *
 * @example
 * ```ts
 * registerColumns('ReplicaSet', [pathColumn('DESIRED', 'spec.replicas'), pathColumn('READY', 'status.readyReplicas')]);
 * ```
 *
 * @category Reports
 */
export function pathColumn(header: string, path: string): Column {
  return { header, value: (o) => pathValue(o, path) };
}

/** kubectl's human duration (k8s.io/apimachinery duration.HumanDuration): `45s`, `6m30s`, `125m`, `2h5m`, `20h`, `3d4h`, `30d`. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 192) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** Age of a timestamp at the table's clock. */
export function ageOf(ts: string | Date | undefined, ctx: TableContext): string {
  if (ts === undefined) return '<none>';
  const t = typeof ts === 'string' ? parseTimestamp(ts) : undefined;
  return t === undefined ? '<unknown>' : shortDuration(ctx.clock - t);
}

const age: Column = { header: 'AGE', value: (o, ctx) => ageOf(o.metadata.creationTimestamp, ctx) };

const registry = new Map<string, readonly Column[]>([
  [
    'Pod',
    [
      { header: 'STATUS', value: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : pathValue(o, 'status.phase')) },
      age,
      pathColumn('NODE', 'spec.nodeName'),
    ],
  ],
  [
    'Subnet',
    [
      pathColumn('PROVIDER', 'spec.provider'),
      pathColumn('CIDR', 'spec.cidrBlock'),
      { header: 'V4USED', value: (o) => pathValue(o, 'status.v4usingIPs').replace('<none>', '0') },
      { header: 'V4AVAILABLE', value: (o) => pathValue(o, 'status.v4availableIPs').replace('<none>', '0') },
    ],
  ],
  ['IP', [pathColumn('V4IP', 'spec.v4IpAddress'), pathColumn('MAC', 'spec.macAddress'), pathColumn('NODE', 'spec.nodeName'), pathColumn('SUBNET', 'spec.subnet')]],
  ['Namespace', [{ header: 'STATUS', value: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : pathValue(o, 'status.phase')) }, age]],
]);

/**
 * Register (or replace) the extra columns of a kind in the text report's kubectl tables.
 *
 * @example
 * ```ts
 * registerColumns('Backup', [pathColumn('VOLUME', 'spec.volume')]);
 * ```
 *
 * @category Reports
 */
export function registerColumns(kind: string, columns: readonly Column[]): void {
  registry.set(kind, columns);
}

/** The extra columns of a kind (none for an unregistered one). */
export function columnsOf(kind: string): readonly Column[] {
  return registry.get(kind) ?? [];
}

/** Kinds shown first, in this order; the others follow alphabetically. */
const FIRST = ['Pod', 'Subnet', 'IP'];

/** Order kinds for display. */
export function orderKinds(kinds: Iterable<string>): string[] {
  const all = [...new Set(kinds)];
  const first = FIRST.filter((k) => all.includes(k));
  return [...first, ...all.filter((k) => !FIRST.includes(k)).sort()];
}

/**
 * A kubectl-style table: the command it mirrors (`kubectl get subnets`), the headers and rows.
 *
 * @example
 * ```ts
 * const t: Table = tablesOf(timeline.final.api.objects, ['Subnet'], { clock: 0 })[0];
 * console.log(t.command, t.rows.length);
 * ```
 *
 * @category Reports
 */
export interface Table {
  /** e.g. `kubectl get pods -A`. */
  readonly command: string;
  readonly kind: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The table of one kind; `def` decides the plural and whether NAMESPACE is shown (else: any object has a namespace). */
export function tableOf(kind: string, objects: readonly StoredObject[], ctx: TableContext, def?: Pick<KindDef, 'kind' | 'plural' | 'namespaced'>): Table {
  const objs = objects.filter((o) => o.kind === kind);
  const namespaced = def?.namespaced ?? objs.some((o) => !!o.metadata.namespace);
  const plural = pluralOf(def ?? { kind });
  const extra = columnsOf(kind);
  const headers = [...(namespaced ? ['NAMESPACE'] : []), 'NAME', ...extra.map((c) => c.header), 'FINALIZERS', 'DELETING'];
  const rows = objs.map((o) => [
    ...(namespaced ? [o.metadata.namespace ?? ''] : []),
    o.metadata.name,
    ...extra.map((c) => c.value(o, ctx)),
    o.metadata.finalizers?.length ? o.metadata.finalizers.join(',') : '<none>',
    o.metadata.deletionTimestamp ? `yes (${ageOf(o.metadata.deletionTimestamp, ctx)})` : 'no',
  ]);
  return { command: `kubectl get ${plural}${namespaced ? ' -A' : ''}`, kind, headers, rows };
}

/**
 * kubectl-style tables for `kinds` (Pod, Subnet, IP first, the others alphabetically) over a
 * state's objects; `defs` gives each kind's plural and scope.
 *
 * @example
 * ```ts
 * const w = timeline.final;
 * for (const t of tablesOf(w.api.objects, Object.keys(w.api.kinds), { clock: w.clock }, w.api.kinds)) console.log(formatTable(t));
 * ```
 *
 * @category Reports
 */
export function tablesOf(
  objects: Readonly<Record<string, StoredObject>>,
  kinds: Iterable<string>,
  ctx: TableContext,
  defs: Readonly<Record<string, Pick<KindDef, 'kind' | 'plural' | 'namespaced'>>> = {},
): Table[] {
  const list = Object.keys(objects)
    .sort()
    .map((k) => objects[k]);
  return orderKinds(kinds).map((kind) => tableOf(kind, list, ctx, defs[kind]));
}

/**
 * A {@link Table} as text: `$ kubectl get …`, then columns separated by three spaces like
 * kubectl; "No resources found" for an empty table.
 *
 * @example
 * ```ts
 * console.log(formatTable(tablesOf(objects, ['Pod'], { clock: 0 })[0], { bold: ansi.bold }));
 * ```
 *
 * @category Reports
 */
export function formatTable(t: Table, style: { bold?: (s: string) => string } = {}): string {
  const lines = [`$ ${t.command}`];
  if (t.rows.length === 0) {
    lines.push('No resources found');
    return lines.join('\n');
  }
  const widths = t.headers.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('   ')
      .trimEnd();
  const header = line(t.headers);
  lines.push(style.bold ? style.bold(header) : header);
  for (const r of t.rows) lines.push(line(r));
  return lines.join('\n');
}

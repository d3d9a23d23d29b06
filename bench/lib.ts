/**
 * Shared helpers of the benchmark suite. Only bench/ reads the wall clock: simulated code
 * never does (its time is the world's virtual clock).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/** Monotonic wall clock in ms. */
export function now(): number {
  return performance.now();
}

/** CPU time of this process (user + system) in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function max(xs: readonly number[]): number {
  return xs.length ? Math.max(...xs) : Number.NaN;
}

export function round(x: number, digits = 1): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** 12345 -> "12,345"; NaN/undefined -> "-". */
export function fmt(x: number | undefined, digits = 0): string {
  if (x === undefined || Number.isNaN(x)) return '-';
  if (!Number.isFinite(x)) return String(x);
  return x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function mb(bytes: number): number {
  return round(bytes / (1024 * 1024), 1);
}

export interface Machine {
  readonly date: string;
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryMb: number;
  readonly loadAverage: readonly number[];
}

export function machine(): Machine {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMb: Math.round(os.totalmem() / (1024 * 1024)),
    loadAverage: os.loadavg().map((x) => round(x, 2)),
  };
}

/** One target of the issue, with the measured value and whether it is met. */
export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** What limits it (when not met) or a caveat. */
  readonly note?: string;
}

/** A printable result of one group. */
export interface GroupResult {
  readonly id: string;
  readonly title: string;
  /** Table: header row then data rows. */
  readonly table: readonly (readonly string[])[];
  readonly targets: readonly TargetCheck[];
  readonly notes: readonly string[];
  /** Everything measured, for --json. */
  readonly data: unknown;
  readonly elapsedMs: number;
}

/** Run a bench module in a child Node process (through tsx) and parse the last JSON line it prints. */
export function runChild<T>(script: string, arg: unknown, timeoutMs = 600_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), JSON.stringify(arg)], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(last) as T);
      } catch (e) {
        reject(new Error(`bench child ${script} failed (${(e as Error).message}): ${err.trim().split('\n').slice(-5).join(' | ')}`));
      }
    });
  });
}

/** Render rows as an aligned text table. */
export function renderTable(rows: readonly (readonly string[])[], leftColumns: readonly number[] = [0]): string {
  if (rows.length === 0) return '';
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((c, i) => (leftColumns.includes(i) ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const sep = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}

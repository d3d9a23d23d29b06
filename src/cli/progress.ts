/**
 * Wall-clock code of the CLI: timings printed by the demo and the matrix, and progress lines
 * on stderr (only when stderr is a terminal). Nothing here reaches a simulation or a result
 * that is written to a file.
 */
import type { CliIo } from './io.ts';

/** Milliseconds since an arbitrary origin (monotonic). */
export function now(): number {
  return globalThis.performance.now();
}

/** A stopwatch: elapsed ms since creation. */
export function stopwatch(): () => number {
  const t0 = now();
  return () => now() - t0;
}

/** `850 ms`, `12.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * One self-overwriting status line on stderr. Does nothing unless stderr is a terminal, so
 * pipes, files and tests see no progress output at all.
 */
export class ProgressLine {
  private readonly enabled: boolean;
  private last = -Infinity;
  private shown = false;
  private readonly started = now();

  constructor(private readonly io: CliIo) {
    this.enabled = io.stderrIsTTY;
  }

  /** Milliseconds since the line was created. */
  elapsed(): number {
    return now() - this.started;
  }

  /** Show `text` (throttled to ~10 updates a second unless `force`). */
  update(text: string, force = false): void {
    if (!this.enabled) return;
    const t = now();
    if (!force && t - this.last < 100) return;
    this.last = t;
    this.shown = true;
    this.io.stderr(`\r\u001b[K${text}`);
  }

  /** Rate and ETA text for `done` of `total` units (`bound`: total is a budget, so the ETA is an upper bound). */
  rate(done: number, unit: string, total?: number, bound = false): string {
    const secs = Math.max(this.elapsed() / 1000, 1e-3);
    const perSec = done / secs;
    let eta = '';
    if (total !== undefined && total > done && perSec > 0) eta = `, ETA ${bound ? '≤ ' : ''}${formatDuration(((total - done) / perSec) * 1000)}`;
    return `${formatCount(done)}${total !== undefined ? `/${formatCount(total)}` : ''} ${unit} (${formatCount(Math.round(perSec))} ${unit}/s${eta})`;
  }

  /** Erase the line. */
  clear(): void {
    if (this.enabled && this.shown) this.io.stderr('\r\u001b[K');
    this.shown = false;
  }
}

/** Run the CLI in-process with captured output, in a fresh temporary directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import type { CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd?: string;
  readonly stdoutIsTTY?: boolean;
  readonly stderrIsTTY?: boolean;
  readonly env?: Record<string, string | undefined>;
  /**
   * Simulated Ctrl-C: given, the CLI gets an `onInterrupt` (so searches run in a worker), and
   * the handler fires at the first stderr write for which this returns true.
   */
  readonly interruptWhen?: (stderrSoFar: string) => boolean;
}

export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  let handler: (() => void) | undefined;
  const when = opts.interruptWhen;
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => {
      stderr += t;
      if (handler && when?.(stderr)) {
        const h = handler;
        handler = undefined;
        h();
      }
    },
    stdoutIsTTY: opts.stdoutIsTTY ?? false,
    stderrIsTTY: opts.stderrIsTTY ?? false,
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    ...(when
      ? {
          onInterrupt: (h: () => void) => {
            handler = h;
            return () => void (handler = undefined);
          },
        }
      : {}),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** A temporary directory removed after the file's tests. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kuberace-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Exit 2, nothing on stdout, exactly one line on stderr starting `kuberace: `, no stack trace. */
export function expectUsageError(r: RunResult, pattern?: RegExp): void {
  expect(r.code, `stderr: ${r.stderr}`).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.slice(0, -1).split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^kuberace: \S/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).not.toMatch(/internal error/);
  if (pattern) expect(lines[0]).toMatch(pattern);
}

/** Remove every `durationMs` field (wall-clock statistics) from parsed JSON. */
export function withoutDurations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDurations);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'durationMs').map(([k, v]) => [k, withoutDurations(v)]));
  }
  return value;
}

/**
 * The counterexample file: versioned JSON that replays deterministically.
 *
 * ```json
 * { "format": "kuberace-trace/1", "model": "kube-ovn", "variant": "v1.12.28",
 *   "engine": { "seed": 0, "faults": {} }, "scenario": { "setup": [], "ops": [] },
 *   "steps": ["user: delete Subnet/s1", "..."],
 *   "violation": { "property": "ip-outlives-pod-and-subnet", "kind": "atStable", "message": "...", "step": 23 },
 *   "found": { "mode": "random", "seed": 42, "path": "3:1:0" } }
 * ```
 */
import type { EngineOptions, Scenario } from '../engine/system.ts';
import type { Violation } from '../check/execute.ts';

export const TRACE_FORMAT = 'kuberace-trace/1';

export interface TraceFile {
  readonly format: typeof TRACE_FORMAT;
  readonly model: string;
  readonly variant: string;
  readonly engine: EngineOptions;
  readonly scenarioName?: string;
  readonly scenario: Scenario;
  /** Stable action ids executed after the scenario's setup. */
  readonly steps: readonly string[];
  readonly violation: Violation;
  /** How it was found: fast-check seed/path for random mode, or exhaustive search stats. */
  readonly found?: {
    readonly mode: 'random' | 'exhaustive' | 'manual';
    readonly seed?: number;
    readonly path?: string;
    readonly shrunkFrom?: number;
  };
}

/** A malformed or unsupported trace file. */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
}

function fail(msg: string): never {
  throw new TraceFormatError(msg);
}

/** Parse and validate a trace file's text. Every problem is one clear line. */
export function parseTrace(text: string, source = 'trace'): TraceFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    fail(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail(`${source}: expected a JSON object`);
  const t = data as Record<string, unknown>;
  if (t.format !== TRACE_FORMAT) {
    fail(
      typeof t.format === 'string' && t.format.startsWith('kuberace-trace/')
        ? `${source}: unsupported trace format "${t.format}" (this kuberace reads "${TRACE_FORMAT}")`
        : `${source}: not a kuberace trace (missing "format": "${TRACE_FORMAT}")`,
    );
  }
  if (typeof t.model !== 'string' || !t.model) fail(`${source}: "model" must be a non-empty string`);
  if (typeof t.variant !== 'string' || !t.variant) fail(`${source}: "variant" must be a non-empty string`);
  if (!Array.isArray(t.steps) || !t.steps.every((s) => typeof s === 'string')) fail(`${source}: "steps" must be an array of action ids`);
  const sc = t.scenario as Record<string, unknown> | undefined;
  if (typeof sc !== 'object' || sc === null || !Array.isArray(sc.ops) || (sc.setup !== undefined && !Array.isArray(sc.setup))) {
    fail(`${source}: "scenario" must be an object with an "ops" array`);
  }
  const v = t.violation as Record<string, unknown> | undefined;
  if (typeof v !== 'object' || v === null || typeof v.property !== 'string' || typeof v.step !== 'number') {
    fail(`${source}: "violation" must name a property and a step`);
  }
  if (t.engine !== undefined && (typeof t.engine !== 'object' || t.engine === null)) fail(`${source}: "engine" must be an object`);
  return { ...(t as unknown as TraceFile), engine: (t.engine as EngineOptions) ?? {} };
}

/** Serialise a trace: stable key order, two-space indentation, trailing newline. */
export function formatTrace(trace: TraceFile): string {
  return `${JSON.stringify(trace, null, 2)}\n`;
}

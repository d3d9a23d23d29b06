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
import type { Definitions } from './definitions.ts';

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
  /** Fingerprints of the variant config and the violated property (./definitions.ts); absent in older traces. */
  readonly definitions?: Definitions;
}

/** A malformed or unsupported trace file. */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
}

/** Throw a TraceFormatError; the message is kept to one line (JSON parser messages may quote newlines). */
function fail(msg: string): never {
  throw new TraceFormatError(msg.replace(/\s*[\r\n]+\s*/g, ' '));
}

const VIOLATION_KINDS: ReadonlySet<unknown> = new Set(['always', 'atStable', 'sometimes', 'engine']);

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
  if (typeof v !== 'object' || v === null || typeof v.property !== 'string' || !Number.isInteger(v.step) || (v.step as number) < 0) {
    fail(`${source}: "violation" must name a property and a step`);
  }
  if (!VIOLATION_KINDS.has(v.kind)) fail(`${source}: "violation.kind" must be one of always, atStable, sometimes, engine`);
  if (typeof v.message !== 'string') fail(`${source}: "violation.message" must be a string`);
  if ((v.step as number) > (t.steps as unknown[]).length) fail(`${source}: "violation.step" ${v.step} is past the last of ${(t.steps as unknown[]).length} steps`);
  if (t.engine !== undefined && (typeof t.engine !== 'object' || t.engine === null)) fail(`${source}: "engine" must be an object`);
  const d = t.definitions as Record<string, unknown> | undefined;
  if (d !== undefined && (typeof d !== 'object' || d === null || typeof d.config !== 'string' || (d.property !== undefined && typeof d.property !== 'string'))) {
    fail(`${source}: "definitions" must be an object with a "config" fingerprint (and optionally "property")`);
  }
  return { ...(t as unknown as TraceFile), engine: (t.engine as EngineOptions) ?? {} };
}

/** Serialise a trace: stable key order, two-space indentation, trailing newline. */
export function formatTrace(trace: TraceFile): string {
  return `${JSON.stringify(trace, null, 2)}\n`;
}

export interface DescribeOptions {
  /** Where the trace was written (adds the replay command). */
  readonly file?: string;
  /** The replay command prefix (default `npx kuberace replay`). */
  readonly replayCommand?: string;
  /** Show at most this many steps (default all); the rest are elided in the middle. */
  readonly maxSteps?: number;
}

/**
 * A counterexample for people: the violated property and its message, the numbered steps,
 * and how to replay it.
 *
 * ```text
 * toy/buggy: property "no-leaked-lease" (atStable) violated after step 7: lease child outlives its parent
 * scenario race, 7 steps (minimised from 23):
 *    1. user: create ConfigMap/default/child
 *    ...
 * replay: npx kuberace replay .kuberace/toy-buggy-no-leaked-lease-1a2b3c4d.json
 * ```
 */
export function describeTrace(trace: TraceFile, opts: DescribeOptions = {}): string {
  const v = trace.violation;
  const where = v.step === 0 ? 'in the initial world' : `after step ${v.step}`;
  const lines = [`${trace.model}/${trace.variant}: property "${v.property}" (${v.kind}) violated ${where}: ${v.message}`];
  const from = trace.found?.shrunkFrom !== undefined && trace.found.shrunkFrom !== trace.steps.length ? ` (minimised from ${trace.found.shrunkFrom})` : '';
  const scenario = trace.scenarioName ? `scenario ${trace.scenarioName}` : 'generated scenario';
  lines.push(`${scenario}, ${trace.steps.length} step${trace.steps.length === 1 ? '' : 's'}${from}:`);
  const width = String(trace.steps.length).length;
  const max = opts.maxSteps ?? Infinity;
  const head = trace.steps.length > max ? Math.ceil(max / 2) : trace.steps.length;
  const tail = trace.steps.length > max ? Math.floor(max / 2) : 0;
  trace.steps.forEach((id, i) => {
    if (i === head && tail < trace.steps.length - head) lines.push(`  ${' '.repeat(width)}  ... ${trace.steps.length - head - tail} more steps ...`);
    if (i >= head && i < trace.steps.length - tail) return;
    lines.push(`  ${String(i + 1).padStart(width)}. ${id}`);
  });
  if (opts.file) lines.push(`replay: ${opts.replayCommand ?? 'npx kuberace replay'} ${opts.file}`);
  return lines.join('\n');
}

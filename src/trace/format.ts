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

/**
 * The format tag of trace files this version reads and writes (`'kuberace-trace/1'`).
 *
 * @example
 * ```ts
 * if (JSON.parse(text).format !== TRACE_FORMAT) throw new Error('not a kuberace trace');
 * ```
 *
 * @category Counterexample files and replay
 */
export const TRACE_FORMAT = 'kuberace-trace/1';

/**
 * A counterexample file (`kuberace-trace/1`): model, variant, engine options, scenario, the
 * action ids executed after setup, the violation, and how it was found. Plain JSON; commit it
 * and replay it in CI.
 *
 * @example
 * ```ts
 * const trace: TraceFile = report.counterexample!;
 * console.log(trace.steps.length, trace.violation.property);
 * ```
 *
 * @category Counterexample files and replay
 */
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

/**
 * A malformed or unsupported trace file (one-line message naming the file).
 *
 * @example
 * ```ts
 * expect(() => readTraceFile('missing.json')).toThrow(TraceFormatError);
 * ```
 *
 * @category Counterexample files and replay
 */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
}

/** Throw a TraceFormatError; the message is kept to one line (JSON parser messages may quote newlines). */
function fail(msg: string): never {
  throw new TraceFormatError(msg.replace(/\s*[\r\n]+\s*/g, ' '));
}

const VIOLATION_KINDS: ReadonlySet<unknown> = new Set(['always', 'atStable', 'sometimes', 'engine']);

/**
 * Parse and validate a trace file's text; every problem is a {@link TraceFormatError} with a
 * one-line message.
 *
 * @example
 * ```ts
 * const trace = parseTrace(await fs.readFile('cx.json', 'utf8'), 'cx.json');
 * ```
 *
 * @category Counterexample files and replay
 */
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

/**
 * Serialise a trace: stable key order, two-space indentation, trailing newline.
 *
 * @example
 * ```ts
 * fs.writeFileSync('cx.json', formatTrace(report.counterexample!));
 * ```
 *
 * @category Counterexample files and replay
 */
export function formatTrace(trace: TraceFile): string {
  return `${JSON.stringify(trace, null, 2)}\n`;
}

/**
 * Options of {@link describeTrace}: `file`, `replayCommand`, `maxSteps`.
 *
 * @example
 * ```ts
 * const opts: DescribeOptions = { file: 'test/counterexamples/backup-v1.json', maxSteps: 20 };
 * ```
 *
 * @category Counterexample files and replay
 */
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
 * and (given `file`) the replay command:
 *
 * ```text
 * toy/buggy: property "no-leaked-lease" (atStable) violated after step 7: lease child outlives its parent
 * scenario race, 7 steps (minimised from 23):
 *    1. user: create ConfigMap/default/child
 *    ...
 * replay: npx kuberace replay .kuberace/toy-buggy-no-leaked-lease-1a2b3c4d.json
 * ```
 *
 * @example
 * ```ts
 * console.log(describeTrace(report.counterexample!, { maxSteps: 40 }));
 * ```
 *
 * @category Counterexample files and replay
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

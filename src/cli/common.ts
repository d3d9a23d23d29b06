/** Pieces shared by the CLI commands: scenarios from flags, timelines of traces, the --json shape. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { target } from '../check/context.ts';
import { type ModelDef, UsageError } from '../check/model.ts';
import type { CheckReport } from '../check/random.ts';
import type { Scenario } from '../engine/system.ts';
import { kubeList } from '../report/json.ts';
import { type Timeline, timelineOf } from '../report/timeline.ts';

export { timelineOf };
import { type TraceFile, TraceFormatError } from '../trace/format.ts';
import { fsReason } from '../trace/fs-error.ts';
import { readTraceFile, writeTraceFile } from '../trace/replay.ts';
import type { Coverage } from './budget.ts';
import type { CliIo } from './io.ts';
import { checkScenarioKinds, looksLikeFile, readScenarioFile } from './scenario-file.ts';

/** A --scenario argument resolved: a model scenario name, or a scenario read from a file. */
export interface ScenarioChoice {
  /** What checkRandom / checkExhaustive take. */
  readonly scenario: Scenario | string | undefined;
  /** Shown in reports and written into traces (a file's `name:` or base name). */
  readonly name?: string;
  readonly file?: string;
}

/** Resolve `--scenario NAME|FILE` for a model and variant (kinds in a file are checked against the model). */
export function scenarioChoice(model: ModelDef<any>, variant: string | undefined, arg: string | undefined, io: CliIo): ScenarioChoice {
  if (arg === undefined) return { scenario: undefined };
  if (Object.prototype.hasOwnProperty.call(model.scenarios, arg)) return { scenario: arg, name: arg };
  if (!looksLikeFile(arg)) {
    throw new UsageError(`unknown scenario "${arg}" of model ${model.name} (known: ${Object.keys(model.scenarios).join(', ')}; or a .yaml file)`);
  }
  const sf = readScenarioFile(arg, io.cwd);
  const t = target(model, { variant });
  checkScenarioKinds(sf, t.sim.initialWorld().api.kinds, arg);
  return { scenario: sf.scenario, name: sf.name, file: arg };
}

/** The trace with its scenario named after a scenario file. */
export function namedTrace(trace: TraceFile, choice: ScenarioChoice): TraceFile {
  if (!choice.file || trace.scenarioName) return trace;
  return { ...trace, scenarioName: choice.name };
}

/** Where a counterexample's trace went: the file asked for, a fallback, or nowhere. */
export interface SavedTrace {
  /** The file written (as the user wrote it, or the fallback's absolute path); undefined if none could be. */
  readonly file?: string;
  /** Why the requested file was not written (one line, for stderr). */
  readonly problem?: string;
}

/**
 * Write a trace file (relative to cwd). A found counterexample must not be lost: when the
 * file cannot be written, the trace goes to a fresh temporary directory instead, and
 * `problem` says so in words ("permission denied", "is a directory").
 */
export function saveTraceWithFallback(io: CliIo, path: string, trace: TraceFile): SavedTrace {
  try {
    writeTraceFile(resolve(io.cwd, path), trace);
    return { file: path };
  } catch (e) {
    const why = `cannot write ${path}: ${fsReason(e)}`;
    try {
      const name = /\.json$/i.test(basename(path)) ? basename(path) : 'kuberace-counterexample.json';
      // A directory of our own: a predictable name in a shared /tmp could be a planted link.
      const file = join(mkdtempSync(join(tmpdir(), 'kuberace-')), name);
      writeTraceFile(file, trace);
      return { file, problem: `${why}; trace written to ${file} instead` };
    } catch (e2) {
      return { problem: `${why}; nor to a temporary file (${fsReason(e2)})` };
    }
  }
}

/** The one JSON object `check --json` and `explore --json` print. */
export function reportJson(
  report: CheckReport,
  extra: { scenario?: string; properties: readonly string[]; timeline?: Timeline; traceFile?: string; search?: Coverage },
): Record<string, unknown> {
  const { runs, steps, states, durationMs, ...rest } = report.stats;
  const violated = report.result === 'violated';
  return {
    model: report.model,
    variant: report.variant,
    mode: report.mode,
    scenario: extra.scenario ?? null,
    result: report.result,
    property: report.violation?.property ?? null,
    properties: extra.properties,
    violation: report.violation ?? null,
    stats: { runs: runs ?? null, steps, states: states ?? null, durationMs, ...rest },
    coverage: report.coverage,
    ...(extra.search ? { search: extra.search } : {}),
    ...(violated
      ? {
          counterexample: report.counterexample ?? null,
          finalState: extra.timeline ? kubeList(extra.timeline.final.api.objects) : null,
          traceFile: extra.traceFile ?? null,
        }
      : {}),
  };
}

/** The kuberace version from package.json. */
/** Read the trace file a user named on the command line; errors name it as the user wrote it. */
export function readTraceArg(io: CliIo, file: string): TraceFile {
  const full = resolve(io.cwd, file);
  try {
    return readTraceFile(full);
  } catch (e) {
    if (e instanceof TraceFormatError) throw new TraceFormatError(e.message.split(full).join(file));
    throw e;
  }
}

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Names of the properties a check looks at (all safety properties of the model, or the given ones). */
export function checkedProperties(model: ModelDef<any>, names: readonly string[]): string[] {
  const safety = model.properties.filter((p) => p.kind !== 'sometimes').map((p) => p.name);
  return names.length ? safety.filter((n) => names.includes(n)).concat(names.filter((n) => !safety.includes(n))) : safety;
}

/** `kuberace replay <trace.json>`: re-execute a counterexample and render it. */
import { resolve } from 'node:path';
import { UsageError } from '../check/model.ts';
import { renderHtml } from '../report/html.ts';
import { renderJson } from '../report/json.ts';
import { renderMermaid } from '../report/mermaid.ts';
import { renderText } from '../report/text.ts';
import { renderYaml } from '../report/yaml.ts';
import { fsReason } from '../trace/fs-error.ts';
import { writeFileSafely } from '../trace/write-file.ts';
import { type ReplayResult, describeReplay, replayTrace } from '../trace/replay.ts';
import { type OptionSpec, oneOf, parseFlags, str } from './args.ts';
import { EXIT_HOLDS, EXIT_NOT_REPRODUCED, EXIT_VIOLATED } from './exit-codes.ts';
import { describeDefinitions } from '../trace/definitions.ts';
import { readTraceArg, timelineOf } from './common.ts';
import { type CliIo, stdoutStyle } from './io.ts';
import type { ModelCatalog } from './models.ts';

const NOT_REPRODUCED = '✗ not reproduced on the variant the trace was recorded on: the model or a property changed since (exit 4)';

export const FORMATS = ['text', 'json', 'mermaid', 'yaml', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const REPLAY_OPTIONS: OptionSpec = {
  variant: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

/** On the variant it was recorded on, the recorded violation did not happen at all: the model or a property changed. */
function notReproduced(r: ReplayResult): boolean {
  return r.variant === r.recordedVariant && (r.status === 'holds' || r.status === 'no-stable-state');
}

function replayData(r: ReplayResult): Record<string, unknown> {
  return {
    replay: {
      status: r.status,
      variant: r.variant,
      recordedVariant: r.recordedVariant,
      strict: r.strict,
      reproduced: r.reproduced,
      stillViolated: r.stillViolated,
      skipped: r.skipped,
      summary: describeReplay(r),
      notReproducedOnOwnVariant: notReproduced(r),
      definitions: r.definitions,
    },
  };
}

export async function replayCommand(args: readonly string[], io: CliIo, catalog: ModelCatalog): Promise<number> {
  const p = parseFlags('replay', args, REPLAY_OPTIONS, 1);
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError('replay: missing <trace.json>');
  const format: Format = oneOf(p, 'format', FORMATS) ?? 'text';
  const trace = readTraceArg(io, file);
  const variant = str(p, 'variant');
  const model = catalog.modelOfTrace(trace);
  const result = replayTrace(trace, catalog.models, variant !== undefined ? { variant } : {});
  // The timeline re-runs exactly what the replay ran (for another variant: without the skipped steps).
  const timeline = result.variant === trace.variant ? timelineOf(model, trace) : timelineOf(model, trace, result.variant, result.steps);
  let out: string;
  switch (format) {
    case 'text': {
      const style = stdoutStyle(io);
      const line = describeReplay(result);
      const verdict = result.stillViolated ? style.red(line) : result.status === 'holds' ? style.green(line) : style.yellow(line);
      const skipped = result.skipped.map((s) => `  skipped recorded step ${s.step} (not enabled on ${result.variant}): ${s.id}`);
      const drift = describeDefinitions(result.definitions, result.recordedVariant, result.expected.property);
      const lines = [verdict, ...skipped, result.definitions.status === 'changed' ? style.yellow(drift) : drift];
      if (notReproduced(result)) lines.push(style.red(NOT_REPRODUCED));
      out = `${renderText(timeline, { style })}\n${lines.join('\n')}\n`;
      break;
    }
    case 'json':
      out = renderJson(timeline, replayData(result));
      break;
    case 'yaml':
      out = renderYaml(timeline, replayData(result));
      break;
    case 'mermaid':
      out = renderMermaid(timeline);
      break;
    case 'html':
      out = renderHtml(timeline, { traceFile: file });
      break;
  }
  const target = str(p, 'out');
  if (target !== undefined) {
    try {
      writeFileSafely(resolve(io.cwd, target), out);
    } catch (e) {
      throw new UsageError(`cannot write ${target}: ${fsReason(e)}`);
    }
    // One summary line, plus what needs attention: drift, a trace without fingerprints, no reproduction.
    const extra = [
      ...(result.definitions.status === 'unchanged' ? [] : [describeDefinitions(result.definitions, result.recordedVariant, result.expected.property)]),
      ...(notReproduced(result) ? [NOT_REPRODUCED] : []),
    ];
    io.stdout(`${[describeReplay(result), ...extra].join('\n')}\nwrote ${format} report to ${target}\n`);
  } else {
    io.stdout(out);
  }
  if (notReproduced(result)) return EXIT_NOT_REPRODUCED;
  return result.status === 'holds' ? EXIT_HOLDS : EXIT_VIOLATED;
}

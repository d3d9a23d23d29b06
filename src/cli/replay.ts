/** `kuberace replay <trace.json>`: re-execute a counterexample and render it. */
import { resolve } from 'node:path';
import { UsageError } from '../check/model.ts';
import { renderHtml } from '../report/html.ts';
import { renderJson } from '../report/json.ts';
import { renderMermaid } from '../report/mermaid.ts';
import { renderText } from '../report/text.ts';
import { renderYaml } from '../report/yaml.ts';
import { TraceFormatError } from '../trace/format.ts';
import { fsReason } from '../trace/fs-error.ts';
import { writeFileSafely } from '../trace/write-file.ts';
import { type ReplayResult, describeReplay, readTraceFile, replayTrace } from '../trace/replay.ts';
import { type OptionSpec, oneOf, parseFlags, str } from './args.ts';
import { timelineOf } from './common.ts';
import { type CliIo, stdoutStyle } from './io.ts';
import { modelOf, models } from './models.ts';

export const FORMATS = ['text', 'json', 'mermaid', 'yaml', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export const REPLAY_OPTIONS: OptionSpec = {
  variant: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

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
    },
  };
}

export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  const p = parseFlags('replay', args, REPLAY_OPTIONS, 1);
  const file = p.positionals[0];
  if (file === undefined) throw new UsageError('replay: missing <trace.json>');
  const format: Format = oneOf(p, 'format', FORMATS) ?? 'text';
  const full = resolve(io.cwd, file);
  let trace;
  try {
    trace = readTraceFile(full);
  } catch (e) {
    // Name the file as the user wrote it.
    if (e instanceof TraceFormatError) throw new TraceFormatError(e.message.split(full).join(file));
    throw e;
  }
  const variant = str(p, 'variant');
  const result = replayTrace(trace, models, variant !== undefined ? { variant } : {});
  const model = modelOf(trace.model, 'replay');
  // The timeline re-runs exactly what the replay ran (for another variant: without the skipped steps).
  const timeline = result.variant === trace.variant ? timelineOf(model, trace) : timelineOf(model, trace, result.variant, result.steps);
  let out: string;
  switch (format) {
    case 'text': {
      const style = stdoutStyle(io);
      const line = describeReplay(result);
      const verdict = result.stillViolated ? style.red(line) : result.status === 'holds' ? style.green(line) : style.yellow(line);
      const skipped = result.skipped.map((s) => `  skipped recorded step ${s.step} (not enabled on ${result.variant}): ${s.id}`);
      out = `${renderText(timeline, { style })}\n${[verdict, ...skipped].join('\n')}\n`;
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
      out = renderHtml(timeline);
      break;
  }
  const target = str(p, 'out');
  if (target !== undefined) {
    try {
      writeFileSafely(resolve(io.cwd, target), out);
    } catch (e) {
      throw new UsageError(`cannot write ${target}: ${fsReason(e)}`);
    }
    io.stdout(`${describeReplay(result)}\nwrote ${format} report to ${target}\n`);
  } else {
    io.stdout(out);
  }
  return result.status === 'holds' ? 0 : 1;
}

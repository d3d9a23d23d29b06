/** A served Kube-OVN counterexample and small HTTP helpers for the `kuberace serve` tests. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { models } from '../../models/index.ts';
import { ModelChangedError } from '../../src/check/execute.ts';
import { checkRandom } from '../../src/check/random.ts';
import { type ServedTrace, serveTrace } from '../../src/serve/snapshots.ts';
import { type TraceFile, formatTrace } from '../../src/trace/format.ts';
import { readTraceFile } from '../../src/trace/replay.ts';

/** The saved counterexample the serve tests look at (scenario A on v1.12.28: pod, subnet, IP CRs). */
export const SAVED_TRACE_FILE = join(import.meta.dirname, '..', 'counterexamples', 'a-v1.12.28-issue-4898.json');

let chosen: string | undefined;

/**
 * The trace file to serve: the saved counterexample while it replays on the current engine;
 * when the engine changed and the saved files are not regenerated yet, the same search as
 * scripts/counterexamples.ts (issue-4898, seed 4898) finds a fresh one, saved to a temporary
 * file, with a notice. Either way the tests look at a trace file that replays.
 */
export function traceFile(): string {
  if (chosen) return chosen;
  const saved = readTraceFile(SAVED_TRACE_FILE);
  try {
    serveTrace(models[saved.model], saved);
    chosen = SAVED_TRACE_FILE;
  } catch (e) {
    if (!(e instanceof ModelChangedError)) throw e;
    const r = checkRandom(models[saved.model], { variant: saved.variant, scenario: saved.scenarioName, properties: [saved.violation.property], numRuns: 2000, seed: 4898 });
    if (!r.counterexample) throw new Error(`${SAVED_TRACE_FILE} no longer replays and no fresh counterexample was found (${r.result})`);
    const dir = mkdtempSync(join(tmpdir(), 'kuberace-serve-trace-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    chosen = join(dir, 'a-v1.12.28-issue-4898.json');
    writeFileSync(chosen, formatTrace(r.counterexample));
    console.warn(`serve tests: ${SAVED_TRACE_FILE} no longer replays (${(e as Error).message}); using a fresh counterexample ${chosen}`);
  }
  return chosen;
}

export function loadTrace(): TraceFile {
  return readTraceFile(traceFile());
}

export function served(trace: TraceFile = loadTrace()): ServedTrace {
  return serveTrace(models[trace.model], trace);
}

/**
 * Steps chosen by what the replay shows, not by number (the saved traces are regenerated when
 * the engine changes): the first step at which an IP CR exists with a finalizer, and the first
 * at which subnet s1 is terminating.
 */
export function interestingSteps(s: ServedTrace): { ipWithFinalizer: number; subnetTerminating: number; podExists: number } {
  const find = (pred: (objs: ServedTrace['steps'][number]['api']['objects']) => boolean): number => {
    const i = s.steps.findIndex((st) => pred(st.api.objects));
    if (i < 0) throw new Error('the counterexample no longer shows the expected state');
    return i;
  };
  return {
    ipWithFinalizer: find((objs) => Object.values(objs).some((o) => o.kind === 'IP' && (o.metadata.finalizers?.length ?? 0) > 0)),
    subnetTerminating: find((objs) => objs['Subnet/s1']?.metadata.deletionTimestamp !== undefined),
    podExists: find((objs) => Object.values(objs).some((o) => o.kind === 'Pod')),
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any;
}

export async function call(url: string, init: RequestInit = {}): Promise<Reply> {
  const r = await fetch(url, init);
  const text = await r.text();
  let body: unknown = text;
  if ((r.headers.get('content-type') ?? '').startsWith('application/json')) body = JSON.parse(text);
  return { status: r.status, headers: r.headers, body };
}

/**
 * Read newline-delimited JSON watch events until `count` arrived, the stream ended or
 * `timeoutMs` passed (`timedOut`: the stream was still open); then abort.
 */
export async function watchEvents(
  url: string,
  count: number,
  init: RequestInit = {},
  timeoutMs = 10_000,
  onEvent?: (event: any, index: number) => void,
): Promise<{ events: any[]; ended: boolean; timedOut: boolean }> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  const r = await fetch(url, { ...init, signal: ac.signal });
  const reader = r.body!.getReader();
  const decoder = new TextDecoder();
  const events: any[] = [];
  let buf = '';
  let ended = false;
  let timedOut = false;
  try {
    while (events.length < count) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buf += decoder.decode(value, { stream: true });
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, nl)));
        onEvent?.(events[events.length - 1], events.length - 1);
        buf = buf.slice(nl + 1);
      }
    }
  } catch (e) {
    if ((e as Error).name !== 'AbortError') throw e;
    timedOut = true;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return { events, ended, timedOut };
}

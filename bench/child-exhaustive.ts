/**
 * One exhaustive check in its own process, so its memory can be measured alone: prints one
 * JSON line with the report's stats, the counterexample length and memory figures
 * (max RSS from the OS, peak RSS and heapUsed sampled every 10,000 states).
 */
import { kubeOvnModel } from '../models/kube-ovn/index.ts';
import { checkExhaustive } from '../src/check/exhaustive.ts';
import { type ScenarioShape, scaledScenario } from './scenarios.ts';

export interface ExhaustiveJob {
  readonly variant: string;
  readonly scenario?: string;
  readonly shape?: ScenarioShape;
  readonly properties?: readonly string[];
  readonly por?: boolean;
  readonly bfsStates?: number;
  readonly shortest?: boolean;
  readonly stopAtFirst?: boolean;
  readonly maxStates?: number;
  readonly maxTimeMs?: number;
  readonly maxDepth?: number;
}

export interface ExhaustiveOutcome {
  readonly result: 'holds' | 'violated';
  readonly violation?: string;
  readonly states: number;
  readonly transitions: number;
  readonly maxDepth: number;
  readonly complete: boolean;
  readonly durationMs: number;
  readonly counterexampleLength?: number;
  readonly rssStartMb: number;
  readonly peakRssMb: number;
  readonly maxRssMb: number;
  readonly peakHeapUsedMb: number;
}

export function runExhaustiveJob(job: ExhaustiveJob): ExhaustiveOutcome {
  const toMb = (b: number) => Math.round((b / (1024 * 1024)) * 10) / 10;
  const rssStart = process.memoryUsage().rss;
  let peakRss = rssStart;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const r = checkExhaustive(kubeOvnModel, {
    variant: job.variant,
    scenario: job.shape ? scaledScenario(job.shape) : job.scenario,
    properties: job.properties,
    por: job.por,
    bfsStates: job.bfsStates,
    shortest: job.shortest,
    stopAtFirst: job.stopAtFirst,
    maxStates: job.maxStates,
    maxTimeMs: job.maxTimeMs,
    maxDepth: job.maxDepth,
    onProgress: sample,
  });
  sample();
  return {
    result: r.result,
    violation: r.violation ? `${r.violation.property}: ${r.violation.message}` : undefined,
    states: r.stats.states ?? 0,
    transitions: r.stats.transitions ?? 0,
    maxDepth: r.stats.maxDepth ?? 0,
    complete: r.stats.complete ?? false,
    durationMs: r.stats.durationMs,
    counterexampleLength: r.counterexample?.steps.length,
    rssStartMb: toMb(rssStart),
    peakRssMb: toMb(peakRss),
    // resourceUsage().maxRSS is in kilobytes.
    maxRssMb: Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10,
    peakHeapUsedMb: toMb(peakHeap),
  };
}

if (process.argv[2] && import.meta.url === new URL(process.argv[1], 'file://').href) {
  process.stdout.write(`${JSON.stringify(runExhaustiveJob(JSON.parse(process.argv[2]) as ExhaustiveJob))}\n`);
}

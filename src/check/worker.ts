/**
 * Worker-thread entry of ./parallel.ts: import the model by its reference (module and export or model name), run one
 * shard of a random or exhaustive check, post the report back. Started with
 * `execArgv: ['--import', tsx]` so that it can load TypeScript.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ExploreProgress, checkExhaustiveShared } from './exhaustive.ts';
import { checkRandom } from './random.ts';
import { SharedSearch } from './shared-visited.ts';
import { type WorkerRequest, type WorkerMessage, loadModel } from './parallel.ts';

const req = workerData as WorkerRequest;
const post = (m: WorkerMessage) => parentPort!.postMessage(m);

try {
  const model = await loadModel(req.ref);
  const onProgress = req.progress ? (p: ExploreProgress) => post({ type: 'progress', progress: p }) : undefined;
  // Random runs are short: report at most every 100 ms.
  let lastRunsPost = -Infinity;
  const onRuns = req.progress
    ? (p: { runs: number; elapsedMs: number }) => {
        if (p.elapsedMs - lastRunsPost < 100) return;
        lastRunsPost = p.elapsedMs;
        post({ type: 'progress', progress: { states: 0, transitions: 0, depth: 0, elapsedMs: p.elapsedMs, runs: p.runs } });
      }
    : undefined;
  const report =
    req.kind === 'random'
      ? checkRandom(model, { ...req.options, shard: req.shard, noMinimize: true, ...(onRuns ? { onProgress: onRuns } : {}) })
      : checkExhaustiveShared(model, {
          ...req.options,
          shard: req.shard,
          ...(onProgress ? { onProgress } : {}),
          ...(req.shared ? { shared: { search: new SharedSearch(req.shared.buffers), worker: req.shared.worker } } : {}),
        });
  post({ type: 'report', report });
} catch (e) {
  const err = e instanceof Error ? e : new Error(String(e));
  post({ type: 'error', error: { name: err.name, message: err.message, stack: err.stack } });
}

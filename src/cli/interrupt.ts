/**
 * Ctrl-C during `check` and `explore`. The searches are synchronous, and a Node process
 * handles a signal only between tasks, so a search in the main thread cannot be interrupted
 * with a summary. When the CLI has a signal to listen to (`io.onInterrupt`, the real process)
 * the search therefore runs in worker threads (one unless --workers says more) and the main
 * thread stays free: SIGINT terminates the workers, and the command prints what was covered
 * and exits 130. Without it (tests, a model the workers cannot import) the search runs here.
 */
import type { ModelDef } from '../check/model.ts';
import { UsageError } from '../check/model.ts';
import { InterruptedError, type ModelRef, OutOfMemoryError } from '../check/parallel.ts';
import type { CheckReport } from '../check/random.ts';
import type { CliIo } from './io.ts';
import type { ModelCatalog } from './models.ts';

export const INTERRUPTED = Symbol('interrupted');
/** A worker ran out of JS heap: the command reports what was covered, as for Ctrl-C. */
export const OUT_OF_MEMORY = Symbol('out of memory');
export type SearchStop = typeof INTERRUPTED | typeof OUT_OF_MEMORY;

export interface SearchRunners {
  readonly inProcess: () => CheckReport;
  readonly parallel: (ref: ModelRef, workers: number, signal?: AbortSignal) => Promise<CheckReport>;
}

/** Run a search as described in the module comment; `workers` is the --workers value. */
export async function runSearch(io: CliIo, catalog: ModelCatalog, model: ModelDef<any>, workers: number | undefined, run: SearchRunners): Promise<CheckReport | SearchStop> {
  if (!io.onInterrupt) {
    if (!workers) return run.inProcess();
    return run.parallel(catalog.refOf(model), workers).catch(stopOf);
  }
  let ref: ModelRef;
  try {
    ref = catalog.refOf(model);
  } catch (e) {
    if (workers !== undefined || !(e instanceof UsageError)) throw e;
    return run.inProcess(); // not importable by a worker: uninterruptible, but it runs
  }
  const abort = new AbortController();
  const off = io.onInterrupt(() => abort.abort());
  try {
    const report = await run.parallel(ref, workers ?? 1, abort.signal);
    if (workers !== undefined) return report;
    // One worker only so that Ctrl-C works: report it as the single search it is.
    const { shards: _s, ...stats } = report.stats;
    return { ...report, stats };
  } catch (e) {
    return stopOf(e);
  } finally {
    off();
  }
}

/** A search's early stop as the value the commands report; any other error goes on up. */
function stopOf(e: unknown): SearchStop {
  if (e instanceof InterruptedError) return INTERRUPTED;
  if (e instanceof OutOfMemoryError) return OUT_OF_MEMORY;
  throw e;
}

/**
 * Counterexample minimisation after fast-check's shrinking: remove chunks of steps (largest
 * first, then single steps) while a lenient replay of what is left, completed by the default
 * policy, still violates the same property. Because fast-check shrinks choice indices, not
 * action ids, this pass is what makes the trace short and readable.
 */
import { type CheckContext, type Execution, execute } from './execute.ts';

export interface MinimizeOptions {
  /** Stop after this many candidate executions. */
  readonly maxAttempts?: number;
}

function sameViolation(a: Execution, property: string): boolean {
  return a.violation?.property === property;
}

export function minimize(ctx: CheckContext, failing: Execution, opts: MinimizeOptions = {}): Execution {
  const property = failing.violation?.property;
  if (!property) return failing;
  const maxAttempts = opts.maxAttempts ?? 5000;
  let best = failing;
  let attempts = 0;
  let chunk = Math.max(1, Math.floor(best.ids.length / 2));
  while (chunk >= 1 && attempts < maxAttempts) {
    let improved = false;
    for (let start = 0; start < best.ids.length && attempts < maxAttempts; ) {
      const candidateIds = [...best.ids.slice(0, start), ...best.ids.slice(start + chunk)];
      attempts++;
      const run = execute(ctx, { kind: 'ids', ids: candidateIds, strict: false });
      if (sameViolation(run, property) && run.ids.length < best.ids.length) {
        best = run;
        improved = true;
        // Retry at the same position: the trace shifted under us.
      } else {
        start += chunk;
      }
    }
    if (!improved) chunk = Math.floor(chunk / 2);
  }
  return best;
}

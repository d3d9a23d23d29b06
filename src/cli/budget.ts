/**
 * What a bounded exhaustive search that found nothing did not cover: which budgets (depth,
 * states, time) it ran into, and up to which depth every path was checked completely.
 *
 * Worked out from the report and the budgets the CLI passed, so that it does not depend on
 * how the search is written. The covered depth is conservative: a search that reports one
 * (`stats.coveredDepth`) is believed; breadth-first search stopped by the state or time
 * budget while expanding level d has classified every state up to level d - 1 (and the
 * root); depth-first search with a visited set covers no depth for sure (a state first seen
 * deep and cut at the depth bound is not revisited from a shallower path), nor do merged
 * worker shards (each stops at its own depth).
 */
import type { CheckReport } from '../check/random.ts';
import { formatCount } from './progress.ts';

export type Budget = 'depth' | 'states' | 'time';

export interface Budgets {
  readonly maxDepth: number;
  readonly maxStates: number;
  readonly maxTimeMs?: number;
  /** Breadth-first search (--shortest). */
  readonly shortest: boolean;
  /** Reports merged from several worker threads. */
  readonly merged: boolean;
}

export interface Coverage {
  /** Every state was explored; with `lagBound` set, every state within that fairness bound. */
  readonly complete: boolean;
  /** The fairness bound the search was complete within (ExhaustiveOptions.maxInformerLag), if it pruned anything. */
  readonly lagBound?: number;
  readonly lagUnit?: 'writes';
  /** States beyond the bound that were not expanded. */
  readonly lagPruned?: number;
  /** Budgets the search ran into (empty when complete). */
  readonly budgets: readonly Budget[];
  /** Every path of at most this many steps was checked; null when no depth is known to be. */
  readonly coveredDepth: number | null;
}

export function searchCoverage(report: CheckReport, b: Budgets): Coverage {
  const s = report.stats as CheckReport['stats'] & { readonly coveredDepth?: number; readonly completeDepth?: number };
  // The search's own count (exhaustive.ts `completeDepth`) is believed when it gives one.
  const known = s.completeDepth ?? s.coveredDepth;
  const deepest = s.maxDepth ?? 0;
  if (s.complete === true) return { complete: true, budgets: [], coveredDepth: known ?? deepest };
  // Only the fairness bound pruned: complete within it (a stated model assumption, not a budget).
  if (s.completeWithinLag === true) return { complete: true, budgets: [], coveredDepth: known ?? deepest, lagBound: s.lagBound, ...(s.lagUnit ? { lagUnit: s.lagUnit } : {}), lagPruned: s.lagPruned };
  const budgets: Budget[] = [];
  if ((s.states ?? 0) >= b.maxStates) budgets.push('states');
  if (b.maxTimeMs !== undefined && s.durationMs >= b.maxTimeMs) budgets.push('time');
  if (deepest >= b.maxDepth) budgets.push('depth');
  let coveredDepth: number | null = null;
  if (typeof known === 'number') coveredDepth = known;
  else if (b.shortest && !b.merged) {
    const stopped = budgets.includes('states') || budgets.includes('time');
    coveredDepth = stopped ? Math.max(0, deepest - 2) : b.maxDepth;
  }
  return { complete: false, budgets, coveredDepth };
}

/** The line saying a search was complete only within the fairness bound, if it was. */
export function describeLagBound(c: Coverage): string | undefined {
  if (c.lagBound === undefined || !c.lagPruned) return undefined;
  return `complete within the fairness bound: informers at most ${c.lagBound} ${c.lagUnit ?? 'events'} behind (--max-lag); ${formatCount(c.lagPruned)} states beyond it not expanded`;
}

/** Lines for the report of an incomplete search. */
export function describeCoverage(c: Coverage, b: Budgets): string[] {
  const lines: string[] = [];
  const stops: string[] = [];
  if (c.budgets.includes('states')) stops.push(`the state budget (--max-states ${formatCount(b.maxStates)})`);
  if (c.budgets.includes('time')) stops.push(`the time budget (--max-time ${(b.maxTimeMs ?? 0) / 1000})`);
  if (stops.length) lines.push(`stopped by ${stops.join(' and ')}`);
  if (c.budgets.includes('depth')) lines.push(`paths were cut at the depth budget (--max-depth ${b.maxDepth})`);
  if (!c.budgets.length) lines.push('a budget cut the search short');
  if (c.coveredDepth !== null) {
    lines.push(`every path of up to ${c.coveredDepth} step${c.coveredDepth === 1 ? '' : 's'} was checked completely`);
  } else {
    const why = b.merged ? 'worker shards stop at different depths' : 'depth-first search; --shortest searches breadth-first and can tell';
    lines.push(`no depth is known to be covered completely (${why})`);
  }
  return lines;
}

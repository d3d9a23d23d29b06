/**
 * Label selectors over informer caches and views, with the API server's own parser and
 * matcher (src/api/validation.ts), so a lister filters exactly as a LIST would. A malformed
 * selector throws the same ApiError BadRequest.
 */
import { type LabelRequirement, matchesSelector as matches, parseLabelSelector } from '../api/validation.ts';

const parsed = new Map<string, readonly LabelRequirement[]>();

export function matchesSelector(labels: Readonly<Record<string, string>>, selector: string): boolean {
  let reqs = parsed.get(selector);
  if (!reqs) {
    reqs = parseLabelSelector(selector);
    if (parsed.size < 10_000) parsed.set(selector, reqs);
  }
  return matches(labels, reqs);
}

/** Equality-based label selectors (`a=b`, `a==b`, `a!=b`, `a`, `!a`, comma-separated) over a label map. */
export function matchesSelector(labels: Readonly<Record<string, string>>, selector: string): boolean {
  for (const raw of selector.split(',')) {
    const term = raw.trim();
    if (!term) continue;
    if (term.startsWith('!')) {
      if (term.slice(1).trim() in labels) return false;
    } else if (term.includes('!=')) {
      const [k, v] = term.split('!=').map((x) => x.trim());
      if (labels[k] === v) return false;
    } else if (term.includes('=')) {
      const [k, v] = term.split(/==?/).map((x) => x.trim());
      if (labels[k] !== v) return false;
    } else if (!(term in labels)) return false;
  }
  return true;
}

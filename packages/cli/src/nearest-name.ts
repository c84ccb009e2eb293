/** The edit distance between two names (insertions, deletions and substitutions). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The name closest to `given`, for a "did you mean" hint.
 *
 * The nearest by edit distance if it is within a third of its length, else the only name that
 * `given` begins (`fact_sales`), else undefined (a guess further off misleads more than it helps).
 */
export function nearestName(given: string, names: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(given.toLowerCase(), name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (best && best.distance <= Math.max(2, Math.ceil(given.length / 3))) return best.name;
  const completions = names.filter((name) => name.toLowerCase().startsWith(given.toLowerCase()));
  return completions.length === 1 ? completions[0] : undefined;
}

// Suggestions for a misspelt id: the known id a person most likely meant.

/** The nearest known id to a misspelt one (case, a typo or two), or undefined when none is close. */
export function nearestId(id: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const row = [i];
      for (let j = 1; j <= b.length; j++)
        row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = row;
    }
    return previous[b.length]!;
  };
  let best: { id: string; d: number } | undefined;
  for (const candidate of known) {
    const d = distance(id.toLowerCase(), candidate.toLowerCase());
    if (d <= Math.max(1, Math.floor(id.length / 4)) && (!best || d < best.d)) best = { id: candidate, d };
  }
  return best?.id;
}

// "Did you mean ...?" for unknown option keys: the declared key with the smallest edit distance, when it is close
// enough to be a typo rather than a different option.

/** Levenshtein distance (insertions, deletions, substitutions), in O(a × b) time and O(b) memory. @internal */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to `key`, if it is within a third of the key's length (at least 2 edits): a typo or a
 * wrong separator, not another option that merely shares a prefix. Ties go to the earlier candidate. Plugins use it
 * for their own "did you mean" messages (field names, identifiers).
 *
 * @public
 */
export function closestKey(key: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(key.length / 3));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = editDistance(key.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

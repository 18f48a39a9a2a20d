/**
 * "Did you mean …?" suggestions for misspelt names (config keys, file keys, environments).
 */

/** Optimal string alignment distance: Levenshtein plus adjacent transpositions ("retnetion"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)))
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[rows - 1][cols - 1]
}

/**
 * The candidate nearest to `word`, or undefined when nothing is plausibly meant.
 * Case is ignored; the allowed distance grows with the word so that "retention" finds
 * "retention.ms" but "foo" does not find "flush.ms"; a candidate the word is the start of also
 * matches. Ties go to the earlier candidate.
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const needle = word.toLowerCase()
  const allowed = Math.max(2, Math.floor(needle.length / 3))
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase())
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  if (bestDistance <= allowed) return best
  // A truncated name ("replication" for "replicationFactor") is far by distance but clearly meant.
  return needle.length >= 4 ? candidates.find((candidate) => candidate.toLowerCase().startsWith(needle)) : undefined
}

/** ` (did you mean "x"?)` or the empty string, ready to append to a message. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates)
  return match === undefined ? '' : ` (did you mean "${match}"?)`
}

// Average ranks with tie bookkeeping, shared by the rank tests.

export interface Ranked {
  /** 1-based average ranks, in the input's order. */
  ranks: Float64Array;
  /** The size of every group of equal values (1 for a value that is not tied). */
  tieSizes: number[];
}

/** Ranks the values; equal values share the average of the ranks they occupy. */
export function averageRanks(values: readonly number[]): Ranked {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
  const ranks = new Float64Array(n);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < n) {
    let end = start + 1;
    const v = values[order[start] ?? 0];
    while (end < n && values[order[end] ?? 0] === v) end++;
    // Positions start..end-1 hold equal values: ranks start+1..end, average (start+1+end)/2.
    const average = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) ranks[order[i] ?? 0] = average;
    tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/** Σ (t³ − t) over tie groups: the tie correction term of rank-test variances. */
export function tieTerm(tieSizes: readonly number[]): number {
  let sum = 0;
  for (const t of tieSizes) sum += t * t * t - t;
  return sum;
}

/** Tie group sizes of one sample on its own (used when the other sample is shifted off it). */
export function tieSizesOf(values: readonly number[]): number[] {
  return averageRanks(values).tieSizes;
}

/** Throws on NaN or an empty sample: a test on them has no meaning. */
export function checkSample(name: string, values: readonly number[]): void {
  if (values.length === 0) throw new RangeError(`${name}: the sample is empty`);
  if (values.some((v) => Number.isNaN(v))) throw new RangeError(`${name}: the sample contains NaN`);
}

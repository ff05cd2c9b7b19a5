// The Hodges-Lehmann estimate of the shift between two samples and its distribution-free
// confidence interval (Moses), both from the pairwise differences y_i − x_j.
//
// The interval is exactly the set of shifts δ that the two-sided Mann-Whitney test of (y − δ)
// against x does not reject at 1 − confidence, with the same method choice as the test: when δ lies
// strictly between the j-th and (j+1)-th smallest difference, U(y − δ) = N − j (N = n1·n2). With k
// the smallest j whose p-value exceeds α, the interval is [D(k), D(N−k+1)] (1-based order
// statistics of the differences); k = 0 means no finite bound exists at this confidence.

import { chooseMwuMethod, mwuZ } from './mann-whitney.js';
import { mwuExactCdf } from './mwu-exact.js';
import { checkSample, tieSizesOf, tieTerm } from './ranks.js';
import { normalSf } from './special.js';

export interface HodgesLehmannResult {
  /** Median of y_i − x_j: how much larger the second sample is. */
  shift: number;
  /** Confidence bounds; ±Infinity when the samples are too small for a bound. */
  lower: number;
  upper: number;
  confidence: number;
  method: 'exact' | 'asymptotic';
}

/** Beyond this many pairs the differences would not fit in memory comfortably. */
export const MAX_PAIRS = 4_000_000;

function sortedDifferences(x: readonly number[], y: readonly number[]): Float64Array {
  const diffs = new Float64Array(x.length * y.length);
  let k = 0;
  for (const yi of y) for (const xj of x) diffs[k++] = yi - xj;
  return diffs.sort();
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/**
 * hodgesLehmann(baseline, canary): shift of canary over baseline with a `confidence` interval.
 * The method is SciPy's 'auto' rule applied to the shifted samples: exact for small samples without
 * ties inside either sample, else the tie-corrected normal approximation with continuity correction.
 */
export function hodgesLehmann(
  x: readonly number[],
  y: readonly number[],
  confidence = 0.95,
): HodgesLehmannResult {
  checkSample('hodgesLehmann x', x);
  checkSample('hodgesLehmann y', y);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must be in (0, 1)');
  const n1 = x.length;
  const n2 = y.length;
  const pairs = n1 * n2;
  if (pairs > MAX_PAIRS) throw new RangeError(`hodgesLehmann: ${pairs} pairs exceed ${MAX_PAIRS}`);
  const diffs = sortedDifferences(x, y);
  const alpha = 1 - confidence;
  // Shifting y by δ off every difference leaves only the ties inside each sample.
  const withinTies = [...tieSizesOf(x), ...tieSizesOf(y)];
  const method = chooseMwuMethod(
    n1,
    n2,
    withinTies.some((t) => t > 1),
  );
  const ties = tieTerm(withinTies);
  // Two-sided p-value when j differences lie below δ (j ≤ N/2, so U = N − j is the larger U).
  const pValue = (j: number): number =>
    method === 'exact'
      ? Math.min(1, 2 * mwuExactCdf(j, n1, n2))
      : Math.min(1, 2 * normalSf(mwuZ(pairs - j, n1, n2, ties, true)));
  // p grows with j and is ≥ 1 at j = ⌊N/2⌋ (U at its centre): binary search the smallest j with p > α.
  let lo = 0;
  let hi = Math.floor(pairs / 2);
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pValue(mid) > alpha) hi = mid;
    else lo = mid + 1;
  }
  const k = lo;
  const lower = k === 0 ? -Infinity : (diffs[k - 1] ?? NaN);
  const upper = k === 0 ? Infinity : (diffs[pairs - k] ?? NaN);
  return { shift: median(diffs), lower, upper, confidence, method };
}

// The Mann-Whitney U (Wilcoxon rank-sum) test with scipy.stats.mannwhitneyu's semantics:
// statistic = U of the first sample; method 'auto' is exact when either sample has at most 8
// values and there are no ties, the normal approximation (tie-corrected variance, optional
// continuity correction) otherwise.

import { averageRanks, checkSample, tieTerm } from './ranks.js';
import { mwuExactSf } from './mwu-exact.js';
import { clipProbability, normalSf } from './special.js';
import type { Alternative } from './types.js';

export type MwuMethod = 'auto' | 'exact' | 'asymptotic';

export interface MannWhitneyOptions {
  alternative?: Alternative;
  method?: MwuMethod;
  continuity?: boolean;
}

export interface MannWhitneyResult {
  /** U of the first sample: the number of pairs (x, y) with x > y, ties counting ½. */
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymptotic';
  /** The standardized statistic (asymptotic method only). */
  z: number | null;
  n1: number;
  n2: number;
}

/** SciPy's rule for method 'auto'. */
export function chooseMwuMethod(n1: number, n2: number, ties: boolean): 'exact' | 'asymptotic' {
  if (n1 > 8 && n2 > 8) return 'asymptotic';
  return ties ? 'asymptotic' : 'exact';
}

/** Standardized U with the tie-corrected variance; continuity subtracts ½ (p-values use the upper tail). */
export function mwuZ(u: number, n1: number, n2: number, ties: number, continuity: boolean): number {
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))));
  const numerator = u - (n1 * n2) / 2 - (continuity ? 0.5 : 0);
  return numerator / sd;
}

export function mannWhitneyU(
  x: readonly number[],
  y: readonly number[],
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  checkSample('mannWhitneyU x', x);
  checkSample('mannWhitneyU y', y);
  const alternative = options.alternative ?? 'two-sided';
  const continuity = options.continuity ?? true;
  const n1 = x.length;
  const n2 = y.length;
  const { ranks, tieSizes } = averageRanks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i] ?? 0;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  // Every alternative is an upper-tail probability of some U (the null law is symmetric).
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const factor = alternative === 'two-sided' ? 2 : 1;
  const requested = options.method ?? 'auto';
  const method =
    requested === 'auto'
      ? chooseMwuMethod(
          n1,
          n2,
          tieSizes.some((t) => t > 1),
        )
      : requested;
  if (method === 'exact') {
    // SciPy truncates a half-integer U (possible only with ties) before the exact lookup.
    const p = mwuExactSf(Math.trunc(u), n1, n2);
    return { statistic: u1, pvalue: clipProbability(factor * p), method, z: null, n1, n2 };
  }
  const z = mwuZ(u, n1, n2, tieTerm(tieSizes), continuity);
  return { statistic: u1, pvalue: clipProbability(factor * normalSf(z)), method, z, n1, n2 };
}

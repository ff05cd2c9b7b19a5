// Tests on raw event counts, for error-like counters (docs/judge.md, "Counts"):
//
// - fisherExact: errors out of requests in each cohort. Conditional on the total number of
//   errors, the canary's share is hypergeometric under "same error probability"; the one-sided
//   tail is Fisher's exact test (scipy.stats.fisher_exact). It is exact for sparse counters —
//   0 errors against 3 is judged on those counts, not on a normal approximation that needs ≥ 5.
// - poissonRateTest: event counts with exposures (e.g. errors over the seconds each cohort was
//   observed, when no request total exists). Conditional on the sum, the canary's count is
//   Binomial(sum, E_c / (E_c + E_b)) under equal rates (scipy.stats.binomtest).
//
// Only one-sided alternatives: the judge asks "is the canary worse", never "different".

import {
  binomialLowerTail,
  binomialUpperTail,
  hypergeometricLowerTail,
  hypergeometricUpperTail,
} from './discrete.js';
import type { OneSided } from './types.js';

export interface FisherResult {
  /** Sample odds ratio (a·d)/(b·c); NaN when a margin is zero. */
  oddsRatio: number;
  pvalue: number;
}

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer, got ${v}`);
}

/**
 * Fisher's exact test on [[a, b], [c, d]]. 'greater': the first row's odds of the first column are
 * larger (for [[canaryErrors, canaryOk], [baselineErrors, baselineOk]]: the canary fails more).
 */
export function fisherExact(
  table: readonly [readonly [number, number], readonly [number, number]],
  alternative: OneSided,
): FisherResult {
  const [[a, b], [c, d]] = table;
  for (const [name, v] of [
    ['a', a],
    ['b', b],
    ['c', c],
    ['d', d],
  ] as const)
    checkCount(name, v);
  const row1 = a + b;
  const row2 = c + d;
  const col1 = a + c;
  if (row1 === 0 || row2 === 0 || col1 === 0 || b + d === 0) return { oddsRatio: NaN, pvalue: 1 };
  const oddsRatio = (a * d) / (b * c);
  const total = row1 + row2;
  const pvalue =
    alternative === 'greater'
      ? hypergeometricUpperTail(a, total, row1, col1)
      : hypergeometricLowerTail(a, total, row1, col1);
  return { oddsRatio, pvalue: Math.min(1, Math.max(0, pvalue)) };
}

export interface RateTestResult {
  /** The first count's share of all events. */
  proportion: number;
  /** The share expected under equal rates: E1 / (E1 + E2). */
  expected: number;
  pvalue: number;
}

/** Conditional binomial test of two Poisson counts k1, k2 observed over exposures e1, e2. */
export function poissonRateTest(
  k1: number,
  e1: number,
  k2: number,
  e2: number,
  alternative: OneSided,
): RateTestResult {
  checkCount('k1', k1);
  checkCount('k2', k2);
  if (!(e1 > 0 && e2 > 0)) throw new RangeError('exposures must be > 0');
  const n = k1 + k2;
  const expected = e1 / (e1 + e2);
  if (n === 0) return { proportion: NaN, expected, pvalue: 1 };
  const pvalue =
    alternative === 'greater' ? binomialUpperTail(k1, n, expected) : binomialLowerTail(k1, n, expected);
  return { proportion: k1 / n, expected, pvalue: Math.min(1, Math.max(0, pvalue)) };
}

// The two-sample Kolmogorov-Smirnov test with scipy.stats.ks_2samp's semantics.
//
// SciPy's alternatives refer to the CDFs, not the values: 'greater' means the first sample's CDF
// lies above the second's somewhere (the first tends to be SMALLER there), statistic
// max(F1 − F2); 'less' the reverse. Method 'auto' is exact when both samples have at most 10 000
// values. The exact p-values come from lattice paths (ks-exact.ts); the one-sided asymptotic one
// is Hodges' approximation (his eq. 5.3), as in SciPy.
//
// Not implemented: the two-sided asymptotic p-value (SciPy evaluates the finite-n Kolmogorov
// distribution `kstwo`); it is refused with an error instead of being approximated differently.
// The judge uses the one-sided test (only "canary worse" fails), which is complete.

import { checkSample } from './ranks.js';
import { ksExceedProbability } from './ks-exact.js';
import { logChoose } from './special.js';
import type { Alternative } from './types.js';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface Ks2SampResult {
  statistic: number;
  pvalue: number;
  method: 'exact' | 'asymp';
  /** +1 when the statistic is max(F1 − F2), −1 when it is max(F2 − F1). */
  sign: 1 | -1;
  /** The value at which the CDFs are furthest apart. */
  location: number;
}

const MAX_AUTO_N = 10_000;
const LOG_MAX_DOUBLE = Math.log(Number.MAX_VALUE);

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

interface Extremes {
  maxS: number;
  minS: number;
  locMax: number;
  locMin: number;
}

/** Largest positive and negative ECDF differences F1 − F2 over the pooled values. */
function ecdfExtremes(a: Float64Array, b: Float64Array): Extremes {
  const count = (sorted: Float64Array, v: number): number => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((sorted[mid] ?? 0) <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const ext: Extremes = { maxS: -Infinity, minS: Infinity, locMax: NaN, locMin: NaN };
  // Pooled order as SciPy's (first sample, then second) so ties of the extreme resolve alike.
  for (const v of [...a, ...b]) {
    const diff = count(a, v) / a.length - count(b, v) / b.length;
    if (diff > ext.maxS) [ext.maxS, ext.locMax] = [diff, v];
    if (diff < ext.minS) [ext.minS, ext.locMin] = [diff, v];
  }
  return ext;
}

function exactPValue(n1: number, n2: number, h: number, twoSided: boolean): number | null {
  if (!twoSided && n1 !== n2 && logChoose(n1 + n2, n1) > LOG_MAX_DOUBLE) {
    return null; // SciPy's path count overflows here and it falls back to the asymptotic formula
  }
  return ksExceedProbability(n1, n2, h * gcd(n1, n2), twoSided);
}

function asympPValue(n1: number, n2: number, d: number, twoSided: boolean): number {
  if (twoSided) {
    throw new RangeError(
      `ks2samp: the two-sided asymptotic p-value (sizes ${n1}, ${n2}) is not implemented; use a one-sided test`,
    );
  }
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  const z = Math.sqrt(en) * d;
  const exponent = -2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3;
  return Math.exp(exponent);
}

export function ks2samp(
  x: readonly number[],
  y: readonly number[],
  options: { alternative?: Alternative; method?: KsMethod } = {},
): Ks2SampResult {
  checkSample('ks2samp x', x);
  checkSample('ks2samp y', y);
  const alternative = options.alternative ?? 'two-sided';
  const a = Float64Array.from(x).sort();
  const b = Float64Array.from(y).sort();
  const n1 = a.length;
  const n2 = b.length;
  const ext = ecdfExtremes(a, b);
  const minS = Math.min(1, Math.max(0, -ext.minS));
  const useMin = alternative === 'less' || (alternative === 'two-sided' && minS > ext.maxS);
  let d = useMin ? minS : ext.maxS;
  const sign: 1 | -1 = useMin ? -1 : 1;
  const location = useMin ? ext.locMin : ext.locMax;
  const twoSided = alternative === 'two-sided';
  const requested = options.method ?? 'auto';
  let method: 'exact' | 'asymp' =
    requested === 'auto' ? (Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp') : requested;
  const g = gcd(n1, n2);
  if (method === 'exact' && n1 / g >= 2147483647 / (n2 / g)) method = 'asymp'; // SciPy's lcm limit
  let p = NaN;
  if (method === 'exact') {
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm; // the statistic is a multiple of 1/lcm; rounding removes floating noise
    const exact = h === 0 ? 1 : exactPValue(n1, n2, h, twoSided);
    if (exact === null) method = 'asymp';
    else p = exact;
  }
  if (method === 'asymp') p = asympPValue(n1, n2, d, twoSided);
  return { statistic: d, pvalue: Math.min(1, Math.max(0, p)), method, sign, location };
}

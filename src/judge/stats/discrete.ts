// Tail probabilities of the binomial and hypergeometric laws, summed term by term from the
// requested end: the pmf at the first term comes from log-gammas, the rest from the ratio of
// consecutive terms. When the requested tail holds the mode the complement is summed instead, so
// small p-values keep their relative accuracy and large ones their absolute accuracy.

import { logChoose } from './special.js';

interface Law {
  lo: number;
  hi: number;
  mode: number;
  logPmf(k: number): number;
  /** pmf(k + 1) / pmf(k) */
  ratioUp(k: number): number;
}

/** Σ pmf(j) for j from `from` moving away from the mode (up when `up`), until terms vanish. */
function sumAway(law: Law, from: number, up: boolean): number {
  let term = Math.exp(law.logPmf(from));
  let sum = 0;
  let k = from;
  for (;;) {
    sum += term;
    if (up ? k >= law.hi : k <= law.lo) break;
    if (term < sum * 1e-18 || term === 0) break;
    term = up ? term * law.ratioUp(k) : term / law.ratioUp(k - 1);
    k += up ? 1 : -1;
  }
  return sum;
}

/** P(X ≥ k). */
function upperTail(law: Law, k: number): number {
  if (k <= law.lo) return 1;
  if (k > law.hi) return 0;
  if (k > law.mode) return sumAway(law, k, true);
  return Math.max(0, 1 - sumAway(law, k - 1, false));
}

/** P(X ≤ k). */
function lowerTail(law: Law, k: number): number {
  if (k >= law.hi) return 1;
  if (k < law.lo) return 0;
  if (k < law.mode) return sumAway(law, k, false);
  return Math.max(0, 1 - sumAway(law, k + 1, true));
}

function binomialLaw(n: number, p: number): Law {
  const odds = p / (1 - p);
  return {
    lo: 0,
    hi: n,
    mode: Math.min(n, Math.floor((n + 1) * p)),
    logPmf: (k) => logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p),
    ratioUp: (k) => ((n - k) / (k + 1)) * odds,
  };
}

/** Degenerate p (0 or 1) puts all mass on one point. */
function pointMass(at: number, k: number, upper: boolean): number {
  return upper ? (at >= k ? 1 : 0) : at <= k ? 1 : 0;
}

/** P(X ≥ k), X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (p <= 0 || p >= 1) return pointMass(p <= 0 ? 0 : n, k, true);
  return upperTail(binomialLaw(n, p), k);
}

/** P(X ≤ k), X ~ Binomial(n, p). */
export function binomialLowerTail(k: number, n: number, p: number): number {
  if (p <= 0 || p >= 1) return pointMass(p <= 0 ? 0 : n, k, false);
  return lowerTail(binomialLaw(n, p), k);
}

/** Hypergeometric: `draws` items from `total`, of which `marked` are marked; X = marked drawn. */
function hypergeometricLaw(total: number, marked: number, draws: number): Law {
  const lo = Math.max(0, draws - (total - marked));
  const hi = Math.min(marked, draws);
  const mode = Math.floor(((draws + 1) * (marked + 1)) / (total + 2));
  return {
    lo,
    hi,
    mode: Math.min(hi, Math.max(lo, mode)),
    logPmf: (k) => logChoose(marked, k) + logChoose(total - marked, draws - k) - logChoose(total, draws),
    ratioUp: (k) => ((marked - k) * (draws - k)) / ((k + 1) * (total - marked - draws + k + 1)),
  };
}

export function hypergeometricUpperTail(k: number, total: number, marked: number, draws: number): number {
  return upperTail(hypergeometricLaw(total, marked, draws), k);
}

export function hypergeometricLowerTail(k: number, total: number, marked: number, draws: number): number {
  return lowerTail(hypergeometricLaw(total, marked, draws), k);
}

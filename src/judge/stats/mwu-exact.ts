// The exact null distribution of the Mann-Whitney U statistic without ties.
//
// The number of arrangements of m x's and n y's with U = u is the coefficient of q^u in the
// Gaussian binomial coefficient [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i).
// Multiplying by (1 − q^a) and dividing by (1 − q^b) are each one pass over the coefficients, so
// the whole distribution costs O(m · mn) with m = min(sizes) — cheap for the small samples the
// exact method is chosen for.

const cache = new Map<string, Float64Array>();
const MAX_LOG_TOTAL = 700; // C(m+n, m) must stay a finite double

/** Probability of U = 0..m·n under H0 for sample sizes m and n (order does not matter). */
export function mwuNullPmf(n1: number, n2: number): Float64Array {
  const m = Math.min(n1, n2);
  const n = Math.max(n1, n2);
  const key = `${m}:${n}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const size = m * n + 1;
  const poly = new Float64Array(size);
  poly[0] = 1;
  let degree = 0;
  let logTotal = 0;
  for (let i = 1; i <= m; i++) {
    logTotal += Math.log((n + i) / i);
    if (logTotal > MAX_LOG_TOTAL) {
      throw new RangeError(`exact Mann-Whitney distribution too large for sizes ${n1} and ${n2}`);
    }
    const a = n + i;
    // × (1 − q^a): descending so each p[j − a] is still the old coefficient.
    for (let j = degree + a; j >= a; j--) poly[j] = (poly[j] ?? 0) - (poly[j - a] ?? 0);
    // ÷ (1 − q^i): ascending, the inverse of × (1 − q^i); the quotient is again a polynomial.
    for (let j = i; j <= degree + a; j++) poly[j] = (poly[j] ?? 0) + (poly[j - i] ?? 0);
    degree += n;
  }
  let total = 0;
  for (let j = 0; j < size; j++) total += poly[j] ?? 0;
  for (let j = 0; j < size; j++) poly[j] = (poly[j] ?? 0) / total;
  if (cache.size > 64) cache.clear();
  cache.set(key, poly);
  return poly;
}

/** P(U ≥ k) under H0, summed as P(U ≤ mn − k): the law is symmetric about mn/2 and all terms are positive. */
export function mwuExactSf(k: number, n1: number, n2: number): number {
  const pmf = mwuNullPmf(n1, n2);
  const top = n1 * n2;
  if (k <= 0) return 1;
  if (k > top) return 0;
  const mirrored = top - k; // P(U ≥ k) = P(U ≤ mn − k)
  let sum = 0;
  for (let u = 0; u <= mirrored; u++) sum += pmf[u] ?? 0;
  return sum;
}

/** P(U ≤ k) under H0. */
export function mwuExactCdf(k: number, n1: number, n2: number): number {
  return mwuExactSf(n1 * n2 - k, n1, n2);
}

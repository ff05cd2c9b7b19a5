// Special functions the tests need: log-gamma, log-binomial coefficients and the normal
// distribution. Written from textbook identities (Stirling's series, the power series of erf and
// Laplace's continued fraction for erfc), so the judge needs no numeric dependency.

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * ln Γ(x) for x > 0. The recurrence Γ(z+1) = zΓ(z) moves z to ≥ 15, where Stirling's series with
 * five Bernoulli terms is accurate to about 1e-16 relative (the next term is below 2e-16 / z¹¹).
 */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: argument must be > 0, got ${x}`);
  let z = x;
  let product = 1;
  while (z < 15) {
    product *= z;
    z += 1;
  }
  const r = 1 / (z * z);
  // Bernoulli terms B2k / (2k(2k-1) z^(2k-1)): 1/12, -1/360, 1/1260, -1/1680, 1/1188.
  const series = (1 / 12 - r * (1 / 360 - r * (1 / 1260 - r * (1 / 1680 - r / 1188)))) / z;
  return (z - 0.5) * Math.log(z) - z + HALF_LOG_2PI + series - Math.log(product);
}

/** ln n! */
export function logFactorial(n: number): number {
  return n < 2 ? 0 : logGamma(n + 1);
}

/** ln C(n, k) for integers 0 ≤ k ≤ n. */
export function logChoose(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** erf(x) e^{x²} √π / 2 as a series of positive terms (no cancellation), used for |x| < 2. */
function erfSeriesScaled(x: number): number {
  const x2 = 2 * x * x;
  let term = x;
  let sum = x;
  for (let n = 1; n < 200 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
  }
  return sum;
}

/** erfc(x) e^{x²} √π for x ≥ 2: Laplace's continued fraction 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))). */
function erfcContinuedFraction(x: number): number {
  // Modified Lentz evaluation of b0 + a1/(b1 + a2/(b2 + ...)) with b = x, a_k = k/2.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = x + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}

/** The complementary error function, accurate in relative terms far into the upper tail. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x === Infinity) return 0;
  if (x < 2) return 1 - TWO_OVER_SQRT_PI * Math.exp(-x * x) * erfSeriesScaled(x);
  return (Math.exp(-x * x) / Math.sqrt(Math.PI)) * erfcContinuedFraction(x);
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/** p clipped to [0, 1]; NaN stays NaN (an undefined test is not a pass). */
export function clipProbability(p: number): number {
  return Number.isNaN(p) ? p : Math.min(1, Math.max(0, p));
}

// Exact null probabilities of the two-sample Kolmogorov-Smirnov statistic by lattice paths.
//
// Merging the sorted samples is a path from (0, 0) to (m, n): a step right per value of the
// first sample, up per value of the second; every path is equally likely under H0. At (x, y) the
// ECDF difference is x/m − y/n = (n·x − m·y)/(m·n). With g = gcd(m, n) and D = h / lcm(m, n),
// "D reached" means n·x − m·y ≥ h·g (one-sided) or |n·x − m·y| ≥ h·g (two-sided). We propagate the
// probability of a uniformly random path reaching (x, y) without having reached D — step
// probabilities (m − x)/(remaining) and (n − y)/(remaining) keep every number in [0, 1], so there
// is no overflow and no cancellation — and return 1 − P(never reached).

/** P(max over the path of (n·x − m·y) ≥ bound) (twoSided: of |n·x − m·y|). */
export function ksExceedProbability(m: number, n: number, bound: number, twoSided: boolean): number {
  // prev[y] = P(at (x−1, y) without crossing); rows of x.
  let prev = new Float64Array(n + 1);
  let next = new Float64Array(n + 1);
  const inside = (x: number, y: number): boolean => {
    const diff = n * x - m * y;
    return diff < bound && (!twoSided || -diff < bound);
  };
  for (let x = 0; x <= m; x++) {
    next.fill(0);
    // Only y near the diagonal can be inside the band; bounds keep the cost O(m · band width).
    const yLow = Math.max(0, Math.floor((n * x - bound) / m));
    const yHigh = twoSided ? Math.min(n, Math.ceil((n * x + bound) / m)) : n;
    for (let y = yLow; y <= yHigh; y++) {
      if (!inside(x, y)) continue;
      if (x === 0 && y === 0) {
        next[0] = 1;
        continue;
      }
      let p = 0;
      if (x > 0) {
        // from (x−1, y) stepping right: probability (m − x + 1) / (m − x + 1 + n − y)
        p += (prev[y] ?? 0) * ((m - x + 1) / (m - x + 1 + n - y));
      }
      if (y > 0) {
        p += (next[y - 1] ?? 0) * ((n - y + 1) / (m - x + n - y + 1));
      }
      next[y] = p;
    }
    [prev, next] = [next, prev];
  }
  const stayed = prev[n] ?? 0;
  return Math.min(1, Math.max(0, 1 - stayed));
}

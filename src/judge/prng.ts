// A small seeded generator (splitmix32 core) for deterministic simulations: the judge's
// false-positive/power tests and `flagger-ts simulate` scripted cohorts. Not for secrets.

export class Prng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  }

  /** Standard normal (Box-Muller; the second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    const u = 1 - this.next(); // (0, 1]
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal with the given median and log-space standard deviation. */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Binomial(n, p) by inversion for small n·p, normal approximation otherwise (simulation only). */
  binomial(n: number, p: number): number {
    const mean = n * p;
    if (mean < 30) {
      let k = 0;
      // count successes via geometric gaps: O(mean) draws instead of O(n)
      let position = 0;
      const logq = Math.log1p(-p);
      if (logq === 0) return 0;
      for (;;) {
        position += Math.floor(Math.log(1 - this.next()) / logq) + 1;
        if (position > n) return k;
        k++;
      }
    }
    const draw = Math.round(mean + Math.sqrt(mean * (1 - p)) * this.normal());
    return Math.min(n, Math.max(0, draw));
  }
}

// Token buckets keyed by user (actions) or client address (logins): a burst is
// allowed, then one more every `refillMs`. Bounded: idle keys are forgotten.
export interface RateLimit {
  readonly burst: number;
  readonly refillMs: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MAX_KEYS = 10_000;

export class RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #limit: RateLimit;
  readonly #now: () => number;

  constructor(limit: RateLimit, now: () => number = Date.now) {
    this.#limit = limit;
    this.#now = now;
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until the next one. */
  take(key: string): number {
    const now = this.#now();
    const { burst, refillMs } = this.#limit;
    const b = this.#buckets.get(key) ?? { tokens: burst, at: now };
    const refilled = Math.min(burst, b.tokens + (now - b.at) / refillMs);
    if (refilled < 1) {
      this.#buckets.set(key, { tokens: refilled, at: now });
      return Math.ceil((1 - refilled) * refillMs);
    }
    if (this.#buckets.size >= MAX_KEYS && !this.#buckets.has(key)) this.#buckets.clear();
    this.#buckets.set(key, { tokens: refilled - 1, at: now });
    return 0;
  }
}

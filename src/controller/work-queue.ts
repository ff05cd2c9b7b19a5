// A keyed work queue: at most one reconcile per key at a time, a key added while
// it is being processed runs again afterwards, delayed re-adds (requeue-after)
// replace longer pending delays, and failures back off exponentially per key.
// This replaces Flagger's per-canary ticker goroutines.

export interface WorkQueueOptions {
  readonly concurrency: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export type Handler = (key: string, signal: AbortSignal) => Promise<void>;

const DEFAULTS: WorkQueueOptions = { concurrency: 2, baseBackoffMs: 500, maxBackoffMs: 60_000 };

export class WorkQueue {
  readonly #opts: WorkQueueOptions;
  readonly #handler: Handler;
  readonly #ready: string[] = [];
  readonly #queued = new Set<string>();
  readonly #active = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  readonly #failures = new Map<string, number>();
  readonly #abort = new AbortController();
  #running = 0;
  #idleWaiters: (() => void)[] = [];

  constructor(handler: Handler, opts: Partial<WorkQueueOptions> = {}) {
    this.#handler = handler;
    this.#opts = { ...DEFAULTS, ...opts };
  }

  /** Schedules `key` now (or after `delayMs`); an earlier schedule wins over a later one. */
  add(key: string, delayMs = 0): void {
    if (this.#abort.signal.aborted) return;
    if (delayMs <= 0) {
      this.#clearTimer(key);
      this.#enqueue(key);
      return;
    }
    const at = Date.now() + delayMs;
    const existing = this.#timers.get(key);
    if (existing && existing.at <= at) return;
    this.#clearTimer(key);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.#enqueue(key);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  /** Forgets a key (deleted object): drops pending timers and back-off state. */
  forget(key: string): void {
    this.#clearTimer(key);
    this.#failures.delete(key);
  }

  get pending(): number {
    return this.#ready.length + this.#running;
  }

  /** Resolves when nothing is queued or running (timers may still be pending). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  stop(): void {
    this.#abort.abort();
    for (const key of [...this.#timers.keys()]) this.#clearTimer(key);
    this.#ready.length = 0;
    this.#queued.clear();
  }

  #clearTimer(key: string): void {
    const t = this.#timers.get(key);
    if (t) clearTimeout(t.timer);
    this.#timers.delete(key);
  }

  #enqueue(key: string): void {
    if (this.#active.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#ready.push(key);
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#opts.concurrency && this.#ready.length > 0) {
      const key = this.#ready.shift();
      if (key === undefined) break;
      this.#queued.delete(key);
      this.#active.add(key);
      this.#running++;
      void this.#process(key);
    }
    if (this.pending === 0) {
      const waiters = this.#idleWaiters;
      this.#idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  async #process(key: string): Promise<void> {
    try {
      await this.#handler(key, this.#abort.signal);
      this.#failures.delete(key);
    } catch {
      // The handler logs its own errors; the queue only decides when to retry.
      const n = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, n);
      this.add(key, Math.min(this.#opts.maxBackoffMs, this.#opts.baseBackoffMs * 2 ** (n - 1)));
    } finally {
      this.#active.delete(key);
      this.#running--;
      if (this.#dirty.delete(key)) this.#enqueue(key);
      this.#pump();
    }
  }
}

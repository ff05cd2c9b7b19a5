// A keyed work queue: at most one reconcile per key at a time, a key added while
// it is being processed runs again afterwards, delayed re-adds (requeue-after)
// replace longer pending delays, and failures back off exponentially per key.
// This replaces Flagger's per-canary ticker goroutines.
//
// Keys do not wait for each other: a reconcile spends nearly all its time awaiting I/O
// (API requests, webhooks, metric queries), so by default every key runs as soon as it is
// ready. One canary's hanging webhook then holds only that canary. The API server is
// protected by the client's in-flight request bound, not by starving canaries here.

export interface WorkQueueOptions {
  /** Keys processed at once; Infinity (the default) lets every ready key run. */
  readonly concurrency: number;
  readonly baseBackoffMs: number;
  readonly maxBackoffMs: number;
}

export type Handler = (key: string, signal: AbortSignal) => Promise<void>;

const DEFAULTS: WorkQueueOptions = { concurrency: Infinity, baseBackoffMs: 500, maxBackoffMs: 60_000 };

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
  #stopping = false;
  #idleWaiters: (() => void)[] = [];

  constructor(handler: Handler, opts: Partial<WorkQueueOptions> = {}) {
    this.#handler = handler;
    this.#opts = { ...DEFAULTS, ...opts };
  }

  /** Schedules `key` now (or after `delayMs`); an earlier schedule wins over a later one. */
  add(key: string, delayMs = 0): void {
    if (this.#stopping) return;
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

  /**
   * Runs now every key that is waiting out a failure back-off, with its back-off reset. Called
   * when the API server answers again after an outage (a watch is re-established): the
   * back-offs grew while it was down (up to maxBackoffMs), and canaries should resume at once,
   * not tens of seconds later. Keys that fail again back off from the start.
   */
  retryFailedNow(): void {
    for (const key of [...this.#failures.keys()]) {
      this.#failures.delete(key);
      if (this.#timers.has(key)) this.add(key);
    }
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

  /** Keys whose handler is running now. */
  get active(): number {
    return this.#running;
  }

  /** True once stop() was called. */
  get stopped(): boolean {
    return this.#stopping;
  }

  /**
   * Stops taking work. Running handlers get `graceMs` to finish (a reconcile cut between
   * its effects and its status write must be redone by the next leader); then their signals
   * are aborted. Resolves when they have all returned or the grace has run out.
   */
  async stop(graceMs = 0): Promise<void> {
    this.#stopping = true;
    for (const key of [...this.#timers.keys()]) this.#clearTimer(key);
    this.#ready.length = 0;
    this.#queued.clear();
    this.#dirty.clear();
    if (this.#running > 0 && graceMs > 0) {
      await new Promise<void>((resolve) => {
        // Not unref'd: the grace is bounded, and a shutdown waits for it.
        const timer = setTimeout(resolve, graceMs);
        this.#idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    this.#abort.abort();
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
      if (this.#stopping) return;
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

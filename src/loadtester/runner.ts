// Runs tasks with a per-task timeout and a concurrency limit. Async tasks are queued and
// de-duplicated by hash while queued or running (a rollout hook re-sent every interval
// does not stack up load tests); blocking tasks run at once or get a 429 when every slot
// is busy. close() aborts everything, which kills child process groups.
import type { Logger } from '../telemetry/logger.js';
import { HttpError, errorMessage } from './errors.js';
import type { LoadtesterMetrics } from './metrics.js';
import type { Task, TaskResult } from './tasks/task.js';

export interface RunnerOptions {
  readonly timeoutMs: number;
  /** 0 = unlimited. */
  readonly maxConcurrent: number;
  readonly maxQueued: number;
  readonly logger: Logger;
  readonly metrics: LoadtesterMetrics;
}

export type SubmitOutcome = 'started' | 'queued' | 'duplicate';

export class TaskRunner {
  readonly #opts: RunnerOptions;
  readonly #queue: Task[] = [];
  /** Hashes of async tasks queued or running. */
  readonly #pending = new Set<string>();
  readonly #inFlight = new Set<Promise<TaskResult>>();
  readonly #shutdown = new AbortController();
  #running = 0;

  constructor(opts: RunnerOptions) {
    this.#opts = opts;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#queue.length;
  }

  #hasSlot(): boolean {
    return this.#opts.maxConcurrent <= 0 || this.#running < this.#opts.maxConcurrent;
  }

  #checkOpen(): void {
    if (this.#shutdown.signal.aborted) throw new HttpError(503, 'the load tester is shutting down');
  }

  /** Queues an async task unless the same task is already queued or running. */
  submit(task: Task): SubmitOutcome {
    this.#checkOpen();
    if (this.#pending.has(task.hash)) return 'duplicate';
    if (this.#hasSlot()) {
      this.#pending.add(task.hash);
      void this.#start(task);
      return 'started';
    }
    if (this.#queue.length >= this.#opts.maxQueued)
      throw new HttpError(429, `task queue is full (${this.#opts.maxQueued} tasks)`);
    this.#pending.add(task.hash);
    this.#queue.push(task);
    this.#opts.metrics.queued.set(this.#queue.length);
    return 'queued';
  }

  /** Runs a blocking task now; 429 when all slots are busy. */
  runBlocking(task: Task): Promise<TaskResult> {
    this.#checkOpen();
    if (!this.#hasSlot())
      throw new HttpError(429, `too many tasks running (limit ${this.#opts.maxConcurrent})`);
    return this.#start(task);
  }

  #start(task: Task): Promise<TaskResult> {
    const run = this.#execute(task).finally(() => {
      this.#inFlight.delete(run);
      if (!task.blocking) this.#pending.delete(task.hash);
      this.#drain();
    });
    this.#inFlight.add(run);
    return run;
  }

  #drain(): void {
    while (this.#queue.length > 0 && this.#hasSlot() && !this.#shutdown.signal.aborted) {
      const next = this.#queue.shift();
      if (next) void this.#start(next);
    }
    this.#opts.metrics.queued.set(this.#queue.length);
  }

  async #execute(task: Task): Promise<TaskResult> {
    const { metrics, timeoutMs } = this.#opts;
    const logger = this.#opts.logger.child({ canary: task.canary, type: task.type });
    const signal = AbortSignal.any([this.#shutdown.signal, AbortSignal.timeout(timeoutMs)]);
    this.#running++;
    metrics.started.inc({ type: task.type });
    metrics.running.inc({ type: task.type });
    logger.info({ task: task.description }, 'task started');
    let result: TaskResult;
    try {
      result = await task.run({ signal, timeoutMs, logger });
    } catch (err) {
      result = { ok: false, output: '', error: `task ${task.description} failed: ${errorMessage(err)}` };
    } finally {
      this.#running--;
      metrics.running.dec({ type: task.type });
    }
    (result.ok ? metrics.succeeded : metrics.failed).inc({ type: task.type });
    if (result.ok) logger.info({ task: task.description }, 'task finished');
    else logger.warn({ task: task.description, error: result.error }, 'task failed');
    return result;
  }

  /** Drops queued tasks, aborts running ones (killing their processes) and waits for them. */
  async close(): Promise<void> {
    this.#shutdown.abort();
    for (const t of this.#queue.splice(0)) this.#pending.delete(t.hash);
    this.#opts.metrics.queued.set(0);
    await Promise.allSettled([...this.#inFlight]);
  }
}

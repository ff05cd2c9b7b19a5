// The built-in HTTP load generator behind `hey` commands: `concurrency` workers, each
// issuing requests back to back (or paced at -q per worker), until -n requests are done
// or the -z duration ends. Every run is bounded: by maxDurationMs (the task timeout), by
// LOAD_HARD_MAX_MS, and by the caller's abort signal.
import { setMaxListeners } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { HeyPlan } from './hey-flags.js';
import { type LoadReport, LoadStats } from './load-report.js';

export const LOAD_HARD_MAX_MS = 3_600_000;
const MAX_REDIRECTS = 10;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

export interface LoadRunOptions {
  /** Cuts the run short (task timeout, shutdown); the report is marked interrupted. */
  readonly signal?: AbortSignal;
  /** Upper bound on the run's length; -z is capped to it. */
  readonly maxDurationMs: number;
}

interface Agents {
  readonly http: http.Agent;
  readonly https: https.Agent;
}

interface Hop {
  readonly status: number;
  readonly location: string | undefined;
}

interface HopRequest {
  readonly target: URL;
  readonly method: string;
  readonly body: Buffer | undefined;
}

function sendOnce(plan: HeyPlan, hop: HopRequest, agents: Agents, stop: AbortSignal): Promise<Hop> {
  const { target, method, body } = hop;
  return new Promise((resolve, reject) => {
    const secure = target.protocol === 'https:';
    const headers = body ? { ...plan.headers, 'content-length': String(body.length) } : plan.headers;
    const req = (secure ? https : http).request(target, {
      method,
      headers,
      agent: secure ? agents.https : agents.http,
      signal: stop,
    });
    const timer =
      plan.requestTimeoutMs > 0
        ? setTimeout(
            () => req.destroy(new Error(`request timeout after ${plan.requestTimeoutMs}ms`)),
            plan.requestTimeoutMs,
          )
        : undefined;
    const fail = (err: Error): void => {
      clearTimeout(timer);
      reject(err);
    };
    req.once('error', fail);
    req.once('response', (res) => {
      let ended = false;
      res.once('end', () => {
        ended = true;
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      res.once('error', fail);
      res.once('close', () => {
        if (!ended) fail(new Error('response aborted'));
      });
      res.resume();
    });
    req.end(body);
  });
}

/** One logical request, following redirects like Go's http.Client unless -disable-redirects. */
async function request(plan: HeyPlan, agents: Agents, stop: AbortSignal): Promise<number> {
  let target = plan.url;
  let method = plan.method;
  let body = plan.body;
  for (let hop = 0; ; hop++) {
    const res = await sendOnce(plan, { target, method, body }, agents, stop);
    if (plan.disableRedirects || !REDIRECT_CODES.has(res.status) || res.location === undefined)
      return res.status;
    if (hop >= MAX_REDIRECTS) throw new Error(`stopped after ${MAX_REDIRECTS} redirects`);
    target = new URL(res.location, target);
    if (res.status <= 303 && method !== 'GET' && method !== 'HEAD') {
      method = 'GET';
      body = undefined;
    }
  }
}

/** Reads the flag through a call, so narrowing from the loop condition does not apply. */
const isAborted = (signal: AbortSignal): boolean => signal.aborted;

async function worker(
  quota: number,
  plan: HeyPlan,
  agents: Agents,
  stats: LoadStats,
  stop: AbortSignal,
): Promise<void> {
  const interval = plan.qpsPerWorker > 0 ? 1000 / plan.qpsPerWorker : 0;
  let next = performance.now();
  for (let done = 0; done < quota && !stop.aborted; done++) {
    if (interval > 0) {
      const wait = next - performance.now();
      next = Math.max(next, performance.now()) + interval;
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal: stop });
        } catch {
          return;
        }
      }
    }
    const t0 = performance.now();
    try {
      const status = await request(plan, agents, stop);
      stats.response(status, performance.now() - t0);
    } catch (err) {
      // requests cut off by the end of the run are not counted
      if (!isAborted(stop))
        stats.error(err instanceof Error ? err.message : String(err), performance.now() - t0);
    }
  }
}

/** Splits `total` requests over `workers` so that exactly `total` are sent. */
function quotas(plan: HeyPlan): number[] {
  const workers = plan.concurrency;
  if (plan.durationMs !== undefined) return Array.from({ length: workers }, () => Infinity);
  const base = Math.floor(plan.requests / workers);
  const extra = plan.requests % workers;
  return Array.from({ length: workers }, (_, i) => base + (i < extra ? 1 : 0));
}

export async function runLoad(plan: HeyPlan, opts: LoadRunOptions): Promise<LoadReport> {
  const cap = Math.max(0, Math.min(opts.maxDurationMs, LOAD_HARD_MAX_MS));
  const notes = [...plan.notes];
  if (plan.durationMs !== undefined && plan.durationMs > cap)
    notes.push(`-z ${plan.durationMs}ms capped at ${cap}ms`);
  const runFor = plan.durationMs === undefined ? cap : Math.min(plan.durationMs, cap);
  const stop = new AbortController();
  setMaxListeners(plan.concurrency * 2 + 16, stop.signal);
  let interrupted: string | undefined;
  const timer = setTimeout(() => {
    if (plan.durationMs === undefined) interrupted = `time cap of ${cap}ms reached`;
    stop.abort();
  }, runFor);
  const onAbort = (): void => {
    interrupted ??= 'cancelled by the task timeout or shutdown';
    stop.abort();
  };
  if (opts.signal?.aborted) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  const keepAlive = !plan.disableKeepAlive;
  const agents: Agents = {
    http: new http.Agent({ keepAlive, maxSockets: plan.concurrency }),
    // like hey, TLS certificates are not verified: load tests often target in-cluster services
    https: new https.Agent({ keepAlive, maxSockets: plan.concurrency, rejectUnauthorized: false }),
  };
  const stats = new LoadStats();
  const start = performance.now();
  try {
    await Promise.all(quotas(plan).map((q) => worker(q, plan, agents, stats, stop.signal)));
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onAbort);
    agents.http.destroy();
    agents.https.destroy();
  }
  return stats.report(performance.now() - start, interrupted, notes);
}

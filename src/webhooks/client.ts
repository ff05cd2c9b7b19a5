// Calls one webhook: POST of the JSON payload, success iff the status is <= 202.
//
// Timing follows Flagger: `timeout` (10s when unset) bounds the whole call, retries
// included, and `retries` extra attempts are made on connection errors, 429 and 5xx
// (except 501) with exponential backoff (1s, 2s, 4s … capped at 30s; a Retry-After in
// seconds is honoured up to the cap). A retry that cannot start before the deadline is
// not attempted.
//
// Error messages never contain the hook URL's user info or query string (they may hold
// tokens): only the response body, status, or the connection error are reported.
import { setTimeout as delay } from 'node:timers/promises';
import type { CanaryWebhook } from '../api/canary.js';
import { webhookRetries, webhookTimeoutMs } from '../api/defaults.js';
import { HttpConnectionError, HttpTimeoutError, httpRequest, shortBody } from './http.js';
import type { WebhookPayload } from './payloads.js';

export interface CallWebhookOptions {
  readonly signal?: AbortSignal | undefined;
  /** First retry delay; doubles per retry. Default 1000 (tests use a few ms). */
  readonly retryBaseDelayMs?: number | undefined;
  /** Longest retry delay. Default 30000. */
  readonly retryMaxDelayMs?: number | undefined;
  /** Longest response-body excerpt kept in results and errors. Default 512. */
  readonly maxBodyChars?: number | undefined;
}

export interface WebhookSuccess {
  readonly status: number;
  /** Shortened response body. */
  readonly body: string;
  readonly attempts: number;
}

export type WebhookFailureKind = 'status' | 'unreachable' | 'timeout' | 'config';

export class WebhookError extends Error {
  override readonly name = 'WebhookError';
  readonly kind: WebhookFailureKind;
  /** The last HTTP status, for kind 'status'. */
  readonly status: number | undefined;
  readonly attempts: number;
  constructor(message: string, kind: WebhookFailureKind, attempts: number, status?: number) {
    super(message);
    this.kind = kind;
    this.attempts = attempts;
    this.status = status;
  }
}

const DEFAULT_BASE_DELAY_MS = 1000;
const DEFAULT_MAX_DELAY_MS = 30_000;

/** The statuses a retrying HTTP client retries (Flagger uses go-retryablehttp's policy). */
const isRetryableStatus = (s: number): boolean => s === 429 || (s >= 500 && s !== 501);

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim()) * 1000;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

type Attempt =
  | { readonly done: true; readonly result: WebhookSuccess }
  | {
      readonly done: false;
      readonly retryable: boolean;
      readonly error: WebhookError;
      readonly waitMs?: number;
    };

interface CallPlan {
  readonly url: URL;
  readonly body: string;
  readonly insecure: boolean;
  readonly deadline: number;
  readonly timeoutMs: number;
  readonly maxBodyChars: number;
  readonly signal: AbortSignal | undefined;
}

async function attempt(plan: CallPlan, n: number): Promise<Attempt> {
  try {
    const res = await httpRequest({
      method: 'POST',
      url: plan.url,
      headers: { 'content-type': 'application/json' },
      body: plan.body,
      timeoutMs: Math.max(1, plan.deadline - Date.now()),
      insecureSkipVerify: plan.insecure,
      signal: plan.signal,
    });
    const body = shortBody(res.body, plan.maxBodyChars);
    if (res.status <= 202) return { done: true, result: { status: res.status, body, attempts: n } };
    const message = body === '' ? `HTTP ${res.status}` : `HTTP ${res.status}: ${body}`;
    const waitMs =
      res.status === 429 || res.status === 503 ? retryAfterMs(res.headers['retry-after']) : undefined;
    return {
      done: false,
      retryable: isRetryableStatus(res.status),
      error: new WebhookError(message, 'status', n, res.status),
      ...(waitMs === undefined ? {} : { waitMs }),
    };
  } catch (err) {
    if (err instanceof HttpTimeoutError) {
      return {
        done: false,
        retryable: false,
        error: new WebhookError(`timed out after ${plan.timeoutMs}ms`, 'timeout', n),
      };
    }
    if (err instanceof HttpConnectionError) {
      return { done: false, retryable: true, error: new WebhookError(err.message, 'unreachable', n) };
    }
    throw err; // the caller's abort
  }
}

/** Parses the hook's URL and timeout; problems are 'config' errors, never retried. */
function planFor(hook: CanaryWebhook, payload: WebhookPayload, opts: CallWebhookOptions): CallPlan {
  let url: URL;
  try {
    url = new URL(hook.url);
  } catch {
    throw new WebhookError(`webhook ${hook.name} has an invalid URL`, 'config', 0);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookError(`webhook ${hook.name} URL must be http or https`, 'config', 0);
  }
  const timeoutMs = webhookTimeoutMs(hook);
  if (timeoutMs === undefined || timeoutMs <= 0) {
    throw new WebhookError(
      `webhook ${hook.name} has an invalid timeout "${hook.timeout ?? ''}"`,
      'config',
      0,
    );
  }
  return {
    url,
    body: JSON.stringify(payload),
    insecure: hook.disableTLS === true,
    deadline: Date.now() + timeoutMs,
    timeoutMs,
    maxBodyChars: opts.maxBodyChars ?? 512,
    signal: opts.signal,
  };
}

/**
 * POSTs `payload` to `hook.url`. Resolves when the status is <= 202; otherwise rejects
 * with a WebhookError whose message is the (shortened) response body, or the connection
 * or timeout error. When `retries` is set and a retryable failure persists, the message is
 * prefixed with "giving up after N attempt(s)".
 * An abort of `opts.signal` rejects with the signal's reason.
 */
export async function callWebhook(
  hook: CanaryWebhook,
  payload: WebhookPayload,
  opts: CallWebhookOptions = {},
): Promise<WebhookSuccess> {
  const plan = planFor(hook, payload, opts);
  const retries = webhookRetries(hook);
  const base = opts.retryBaseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const cap = opts.retryMaxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  for (let n = 1; ; n++) {
    if (plan.signal?.aborted === true) throw abortError(plan.signal);
    const a = await attempt(plan, n);
    if (a.done) return a.result;
    const wait = Math.min(cap, a.waitMs ?? base * 2 ** (n - 1));
    const outOfTime = Date.now() + wait >= plan.deadline;
    if (!a.retryable || n > retries || outOfTime) {
      // Without retries configured the error is the bare body, as Flagger reports it.
      if (retries === 0 || !a.retryable) throw a.error;
      const reason = outOfTime && n <= retries ? ' (timeout reached)' : '';
      throw new WebhookError(
        `giving up after ${n} attempt(s)${reason}: ${a.error.message}`,
        a.error.kind,
        n,
        a.error.status,
      );
    }
    try {
      await delay(wait, undefined, plan.signal ? { signal: plan.signal } : {});
    } catch (err) {
      // The wait only rejects when the signal aborts; report the signal's reason.
      throw plan.signal ? abortError(plan.signal) : err;
    }
  }
}

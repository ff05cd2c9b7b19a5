// The one HTTP call every notifier makes: POST JSON, 2xx = delivered. Built on the shared
// helper in src/webhooks/http.ts (deadline, abort, capped body).
//
// Error messages name the service host only: chat webhook URLs carry their secret in the
// path (Slack, Discord, Teams) or the query (Google Chat), so neither is ever shown.
import type { AlertProviderType } from '../api/alert-provider.js';
import { HttpConnectionError, HttpTimeoutError, httpRequest, shortBody } from '../webhooks/http.js';
import { DEFAULT_NOTIFIER_TIMEOUT_MS, NotifierError, parseNotifierUrl } from './notifier.js';
import type { AlertMessage, Notifier } from './notifier.js';

export interface PostJsonOptions {
  readonly type: AlertProviderType;
  readonly url: URL;
  readonly payload: unknown;
  readonly token?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly proxy?: URL | undefined;
}

/** Chat services answer with short text ("ok", "invalid_token"); more is never needed. */
const MAX_ANSWER_BYTES = 64 * 1024;

export async function postJson(opts: PostJsonOptions): Promise<void> {
  const { type, url } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_NOTIFIER_TIMEOUT_MS;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
  let status: number;
  let body: string;
  try {
    const res = await httpRequest({
      method: 'POST',
      url,
      headers,
      body: JSON.stringify(opts.payload),
      timeoutMs,
      signal: opts.signal,
      maxBodyBytes: MAX_ANSWER_BYTES,
      proxy: opts.proxy,
    });
    ({ status, body } = res);
  } catch (err) {
    if (err instanceof HttpTimeoutError) {
      throw new NotifierError(
        `${type} notifier: ${url.host} did not answer within ${timeoutMs}ms`,
        'timeout',
      );
    }
    if (err instanceof HttpConnectionError) {
      throw new NotifierError(`${type} notifier: ${url.host} unreachable: ${err.message}`, 'unreachable');
    }
    const reason = err instanceof Error ? err.message : String(err);
    throw new NotifierError(`${type} notifier: post to ${url.host} aborted: ${reason}`, 'aborted');
  }
  if (status < 200 || status > 299) {
    const answer = shortBody(body, 200);
    const suffix = answer === '' ? '' : `: ${answer}`;
    throw new NotifierError(
      `${type} notifier: ${url.host} answered HTTP ${status}${suffix}`,
      'status',
      status,
    );
  }
}

/** A notifier that posts `payload(message)` to one URL: what every chat service here is. */
export function jsonNotifier(opts: {
  readonly type: AlertProviderType;
  readonly url: URL;
  readonly payload: (message: AlertMessage) => unknown;
  readonly token?: string | undefined;
  readonly timeoutMs?: number | undefined;
  /** Validated here, so a bad proxy is a configuration error before anything is sent. */
  readonly proxy?: string | undefined;
}): Notifier {
  const { type, url, token, timeoutMs } = opts;
  const proxy = opts.proxy ? parseNotifierUrl(type, opts.proxy, 'proxy') : undefined;
  return {
    type,
    post: (message, signal) =>
      postJson({ type, url, payload: opts.payload(message), token, timeoutMs, signal, proxy }),
  };
}

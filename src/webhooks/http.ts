// One outbound HTTP request with a hard deadline, an optional per-request "skip TLS
// verification" switch and a capped response body. Used by webhooks and the Prometheus
// provider (and later notifiers).
//
// Why node:http/https and not fetch: Node 20's fetch cannot take a per-request TLS agent
// without importing undici, and skipping verification must apply to one request only,
// never to the process (no NODE_TLS_REJECT_UNAUTHORIZED).
import http from 'node:http';
import https from 'node:https';
import { proxiedRequest } from './proxy.js';

export interface HttpRequestOptions {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Deadline for connect + send + full response body. */
  readonly timeoutMs: number;
  /** Skip TLS certificate verification for this request only. */
  readonly insecureSkipVerify?: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Body bytes kept; the rest is not read and `truncated` is set (default 4 MiB). */
  readonly maxBodyBytes?: number;
  /** Send through this HTTP proxy (CONNECT tunnel for https targets). */
  readonly proxy?: URL | undefined;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  /** The body was longer than maxBodyBytes and was cut there. */
  readonly truncated: boolean;
}

/** The server did not answer (fully) within the deadline. */
export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
  readonly timeoutMs: number;
  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs}ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** Connection-level failure (refused, reset, DNS, TLS). `code` is Node's error code. */
export class HttpConnectionError extends Error {
  override readonly name = 'HttpConnectionError';
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.code = code;
  }
}

const DEFAULT_MAX_BODY = 4 * 1024 * 1024;

// Created lazily and shared: an agent per request would defeat connection reuse, and the
// verifying global agent must never be touched.
let insecureAgent: https.Agent | undefined;
function agentFor(url: URL, insecure: boolean): https.Agent | undefined {
  if (url.protocol !== 'https:' || !insecure) return undefined;
  insecureAgent ??= new https.Agent({ rejectUnauthorized: false, keepAlive: true });
  return insecureAgent;
}

/**
 * A URL safe to show in logs and error messages: scheme, host and path only. User info
 * and the query string can hold tokens, so they are dropped.
 */
export function redactUrl(url: URL | string): string {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return '<invalid url>';
  }
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** Shortens a body for an error message: one line, at most `max` characters. */
export function shortBody(body: string, max = 256): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : new DOMException('The operation was aborted', 'AbortError');
}

function connectionError(err: unknown): HttpConnectionError {
  const code =
    typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
      ? err.code
      : undefined;
  // Node's messages name the address (e.g. "connect ECONNREFUSED 127.0.0.1:9090"); they do
  // not contain user info or query strings, so they are safe to pass on.
  const message = err instanceof Error ? err.message : String(err);
  return new HttpConnectionError(message, code);
}

function startRequest(
  opts: HttpRequestOptions,
  headers: Record<string, string>,
  onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  const { url, method } = opts;
  if (opts.proxy) {
    const p = proxiedRequest(url, opts.proxy, headers);
    return (p.secure ? https : http).request({ ...p.options, method }, onResponse);
  }
  const agent = agentFor(url, opts.insecureSkipVerify === true);
  const mod = url.protocol === 'https:' ? https : http;
  return mod.request(url, { method, headers, ...(agent ? { agent } : {}) }, onResponse);
}

export function httpRequest(opts: HttpRequestOptions): Promise<HttpResponse> {
  const { url, signal } = opts;
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_BODY;
  if (signal?.aborted === true) return Promise.reject(abortReason(signal));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(new HttpConnectionError(`unsupported URL scheme ${url.protocol}`, undefined));
  }
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.body !== undefined) headers['content-length'] = String(Buffer.byteLength(opts.body));

  return new Promise<HttpResponse>((resolve, reject) => {
    let done = false;
    // Handlers refer to each other; none runs before this executor returns. The request is
    // created before the timer so a synchronous throw leaves nothing running.
    const stop = (err: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(err);
      req.destroy();
    };
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      const finish = (truncated: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const body = Buffer.concat(chunks).subarray(0, maxBody).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, truncated });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size > maxBody) {
          // Enough for any message or answer we use; do not buffer an unbounded body.
          finish(true);
          res.destroy();
        }
      });
      res.on('end', () => {
        finish(false);
      });
      res.on('error', (err) => {
        stop(connectionError(err));
      });
    };
    const req = startRequest(opts, headers, onResponse);
    req.on('error', (err) => {
      stop(connectionError(err));
    });
    const timer = setTimeout(() => {
      stop(new HttpTimeoutError(opts.timeoutMs));
    }, opts.timeoutMs);
    const onAbort = (): void => {
      if (signal) stop(abortReason(signal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    req.end(opts.body);
  });
}

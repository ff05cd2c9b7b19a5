// Plumbing shared by the providers that are one authenticated HTTP request (Datadog,
// New Relic, Dynatrace, Graphite, Splunk's IsOnline): send with a deadline, map
// transport failures to ProviderUnreachableError, and Flagger's error texts for bad
// statuses and bodies. Secrets travel only in headers and are never part of a message.
import {
  type HttpResponse,
  HttpConnectionError,
  HttpTimeoutError,
  httpRequest,
  redactUrl,
  shortBody,
} from '../../webhooks/http.js';
import {
  NoValuesError,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from './provider.js';

/** Flagger's timeout for every HTTP provider but InfluxDB. */
export const HTTP_PROVIDER_TIMEOUT_MS = 5_000;
/** Windowed providers look back 10 metric intervals (Flagger's *DeltaMultiplierOnMetricInterval). */
export const WINDOW_INTERVALS = 10;
/** Flagger's CRD leaves a metric's interval empty; 1m is the documented default. */
export const DEFAULT_METRIC_INTERVAL_MS = 60_000;

export interface ProviderHttpOptions {
  /** The provider type, for messages ("datadog at https://… did not answer"). */
  readonly type: string;
  readonly url: URL;
  readonly method?: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export async function providerHttp(o: ProviderHttpOptions): Promise<HttpResponse> {
  try {
    return await httpRequest({
      method: o.method ?? 'GET',
      url: o.url,
      headers: o.headers,
      ...(o.body === undefined ? {} : { body: o.body }),
      timeoutMs: o.timeoutMs,
      insecureSkipVerify: o.insecureSkipVerify === true,
      signal: o.signal,
    });
  } catch (err) {
    const where = `${o.type} at ${redactUrl(o.url)}`;
    if (err instanceof HttpTimeoutError) {
      throw new ProviderUnreachableError(`${where} did not answer within ${o.timeoutMs}ms`, true);
    }
    if (err instanceof HttpConnectionError) {
      throw new ProviderUnreachableError(`request failed: ${where} is unreachable: ${err.message}`);
    }
    throw err; // the caller's abort
  }
}

/** Flagger's "error response: <body>: <status>" for a status other than the accepted ones. */
export function requireStatus(res: HttpResponse, ok: (status: number) => boolean): void {
  if (ok(res.status)) return;
  const body = shortBody(res.body);
  throw new ProviderHttpError(`error response: ${body}: HTTP ${res.status}`, res.status, body);
}

export const is200 = (s: number): boolean => s === 200;

/** JSON body or Flagger's "error unmarshaling result: …, '<body>'". */
export function jsonBody(res: HttpResponse): unknown {
  if (res.truncated)
    throw new ProviderHttpError('response is too large to be a single value', res.status, '');
  try {
    return JSON.parse(res.body) as unknown;
  } catch (err) {
    const body = shortBody(res.body);
    const why = err instanceof Error ? err.message : String(err);
    throw new ProviderHttpError(`error unmarshaling result: ${why}, '${body}'`, res.status, body);
  }
}

/** Flagger's "invalid response: <body>: no values found". */
export function noValues(res: HttpResponse): NoValuesError {
  return new NoValuesError(`invalid response: ${shortBody(res.body, 160)}`);
}

/** A number from JSON; null or a non-number is "no values" (Go would silently read 0). */
export function finiteOrNoValues(v: unknown, res: HttpResponse): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw noValues(res);
}

/** A required secret key, with Flagger's message when it is missing. */
export function secretKey(
  credentials: Readonly<Record<string, string>> | undefined,
  key: string,
  message: string,
): string {
  const v = credentials?.[key];
  if (v === undefined) throw new ProviderConfigError(message);
  return v;
}

/** Joins an address (which may carry a path prefix) and an API path. */
export function endpoint(type: string, address: string, path: string): URL {
  let base: URL;
  try {
    base = new URL(address);
  } catch {
    throw new ProviderConfigError(`${type} address ${redactUrl(address)} is not a valid URL`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new ProviderConfigError(`${type} address must be http or https, got ${base.protocol}`);
  }
  const [p, q] = path.split('?', 2);
  base.pathname = `${base.pathname.replace(/\/+$/, '')}${p ?? ''}`;
  base.search = q === undefined ? '' : `?${q}`;
  return base;
}

/** The look-back window in ms: 10 × the metric interval. */
export function windowMs(metricIntervalMs: number | undefined): number {
  return WINDOW_INTERVALS * (metricIntervalMs ?? DEFAULT_METRIC_INTERVAL_MS);
}

/** Headers from MetricTemplate spec.provider.headers, list values joined as in one field line. */
export function extraHeaders(
  headers: Readonly<Record<string, readonly string[]>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, values] of Object.entries(headers ?? {})) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || values.some((v) => /[\r\n\0]/.test(v))) {
      throw new ProviderConfigError(`header "${shortBody(name, 60)}" has an invalid name or value`);
    }
    out[name.toLowerCase()] = values.join(', ');
  }
  return out;
}

/** A secret value headed for a header must not be able to inject another header. */
export function headerSafe(type: string, key: string, value: string): string {
  if (/[\r\n\0]/.test(value))
    throw new ProviderConfigError(`${type} credential ${key} contains a line break`);
  return value;
}

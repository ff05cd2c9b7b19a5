// Prometheus metric provider: GET <address>/api/v1/query?query=… (an instant query).
//
// Differences from Flagger, on purpose:
// - More than one series is a MultipleValuesError. Flagger loops over the vector and keeps
//   the last value, so a query missing a sum() passes or fails on whichever series the
//   server happened to list last.
// - Any non-2xx status is an error (Flagger: >= 400), since node:http does not follow
//   redirects and a redirect body is never a query answer.
import { z } from 'zod';
import {
  type HttpResponse,
  HttpConnectionError,
  HttpTimeoutError,
  httpRequest,
  redactUrl,
  shortBody,
} from '../../webhooks/http.js';
import { collapseWhitespace } from '../render.js';
import {
  type MetricProvider,
  MultipleValuesError,
  NoValuesError,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from './provider.js';

export const PROMETHEUS_ONLINE_QUERY = 'vector(1)';
export const PROMETHEUS_DEFAULT_TIMEOUT_MS = 5_000;

export interface PrometheusProviderOptions {
  /** Base URL, e.g. http://prometheus:9090 or https://host/prometheus (a path prefix is kept). */
  readonly address: string;
  /** Extra request headers (MetricTemplate spec.provider.headers); list values are joined with ", ". */
  readonly headers?: Readonly<Record<string, string | readonly string[]>> | undefined;
  /**
   * Decoded Secret data. `token` → Authorization: Bearer; otherwise `username` and
   * `password` → basic auth. A secret with neither is a configuration error.
   */
  readonly credentials?: Readonly<Record<string, string>> | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
}

// ---- response validation ------------------------------------------------------------

/** [ <unix time>, "<sample value>" ]: values are strings so NaN and ±Inf survive JSON. */
const SampleSchema = z.tuple([z.number(), z.string()]);

const DataSchema = z.discriminatedUnion('resultType', [
  z.object({
    resultType: z.literal('vector'),
    result: z.array(z.object({ metric: z.record(z.string(), z.string()).optional(), value: SampleSchema })),
  }),
  z.object({ resultType: z.literal('scalar'), result: SampleSchema }),
  z.object({ resultType: z.literal('matrix'), result: z.array(z.unknown()) }),
  z.object({ resultType: z.literal('string'), result: z.unknown() }),
]);

const SuccessSchema = z.object({ status: z.literal('success'), data: DataSchema });
const ErrorSchema = z.object({
  status: z.literal('error'),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** Prometheus's error JSON gives "errorType: error"; anything else is shown shortened. */
function errorDetail(body: string): string {
  const parsed = ErrorSchema.safeParse(parseJson(body));
  if (parsed.success) {
    const { errorType, error } = parsed.data;
    return shortBody([errorType, error].filter((s) => s !== undefined && s !== '').join(': '));
  }
  return shortBody(body);
}

/** Go's ParseFloat accepts NaN and ±Inf; Number() does not accept "+Inf" or "Inf". */
function parseSampleValue(raw: string, status: number): number {
  const s = raw.trim();
  if (/^[+]?inf(inity)?$/i.test(s)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(s)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(s)) return Number.NaN;
  const n = s === '' ? Number.NaN : Number(s);
  if (Number.isNaN(n)) {
    throw new ProviderHttpError(`prometheus returned a non-numeric sample "${shortBody(s, 40)}"`, status, '');
  }
  return n;
}

// ---- provider -----------------------------------------------------------------------

export class PrometheusProvider implements MetricProvider {
  readonly #base: URL;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #insecure: boolean;
  readonly #timeoutMs: number;

  constructor(opts: PrometheusProviderOptions) {
    this.#base = parseAddress(opts.address);
    this.#headers = buildHeaders(opts);
    this.#insecure = opts.insecureSkipVerify === true;
    this.#timeoutMs = opts.timeoutMs ?? PROMETHEUS_DEFAULT_TIMEOUT_MS;
  }

  /** Where queries go, without credentials or query string (for logs and messages). */
  get displayAddress(): string {
    return redactUrl(this.#base);
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const url = new URL(this.#base);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/query`;
    url.search = '';
    url.searchParams.set('query', collapseWhitespace(query));

    const res = await this.#send(url, signal);
    if (res.status < 200 || res.status > 299) {
      const detail = errorDetail(res.body);
      throw new ProviderHttpError(
        `prometheus query failed: HTTP ${res.status}${detail === '' ? '' : `: ${detail}`}`,
        res.status,
        detail,
      );
    }
    if (res.truncated) {
      throw new ProviderHttpError('prometheus response is too large to be a single value', res.status, '');
    }
    return extractValue(res.body, res.status);
  }

  /**
   * GET <address>/api/v1/<endpoint> with these parameters and return the `data` of a success
   * answer, unparsed: the judge's range and vector queries (src/judge/samples-prometheus.ts) reuse
   * this address, authentication, TLS, timeout and error mapping.
   */
  async apiGet(
    endpoint: 'query' | 'query_range',
    params: Readonly<Record<string, string>>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const url = new URL(this.#base);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/${endpoint}`;
    url.search = '';
    for (const [k, v] of Object.entries(params))
      url.searchParams.set(k, k === 'query' ? collapseWhitespace(v) : v);
    const res = await this.#send(url, signal);
    const parsed = z
      .object({ status: z.literal('success'), data: z.unknown() })
      .safeParse(parseJson(res.body));
    if (res.status < 200 || res.status > 299 || res.truncated || !parsed.success) {
      const detail = errorDetail(res.body);
      throw new ProviderHttpError(
        `prometheus ${endpoint} failed: HTTP ${res.status}${detail === '' ? '' : `: ${detail}`}`,
        res.status,
        detail,
      );
    }
    return parsed.data.data;
  }

  async isOnline(signal?: AbortSignal): Promise<boolean> {
    const value = await this.runQuery(PROMETHEUS_ONLINE_QUERY, signal);
    return value === 1;
  }

  async #send(url: URL, signal: AbortSignal | undefined): Promise<HttpResponse> {
    try {
      return await httpRequest({
        method: 'GET',
        url,
        headers: this.#headers,
        timeoutMs: this.#timeoutMs,
        insecureSkipVerify: this.#insecure,
        signal,
      });
    } catch (err) {
      const where = `prometheus at ${this.displayAddress}`;
      if (err instanceof HttpTimeoutError) {
        throw new ProviderUnreachableError(`${where} did not answer within ${this.#timeoutMs}ms`, true);
      }
      if (err instanceof HttpConnectionError) {
        throw new ProviderUnreachableError(`${where} is unreachable: ${err.message}`);
      }
      throw err; // the caller's abort, passed through unchanged
    }
  }
}

function extractValue(body: string, status: number): number {
  const parsed = SuccessSchema.safeParse(parseJson(body));
  if (!parsed.success) {
    throw new ProviderHttpError(
      `prometheus returned an unexpected response: ${errorDetail(body) || '<empty body>'}`,
      status,
      shortBody(body),
    );
  }
  const data = parsed.data.data;
  switch (data.resultType) {
    case 'vector': {
      const [first, ...rest] = data.result;
      if (first === undefined) throw new NoValuesError('empty result');
      if (rest.length > 0) {
        throw new MultipleValuesError(
          `query returned ${data.result.length} series, expected exactly one (aggregate with sum() or similar)`,
          data.result.length,
        );
      }
      return noNaN(parseSampleValue(first.value[1], status));
    }
    case 'scalar':
      return noNaN(parseSampleValue(data.result[1], status));
    case 'matrix':
      throw new MultipleValuesError('query returned a range vector (matrix), expected an instant vector');
    case 'string':
      throw new ProviderHttpError('query returned a string, expected a number', status, '');
  }
}

function noNaN(v: number): number {
  if (Number.isNaN(v)) throw new NoValuesError('value is NaN');
  return v;
}

function parseAddress(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new ProviderConfigError(`prometheus address "${redactUrl(address)}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProviderConfigError(`prometheus address must be http or https, got ${url.protocol}`);
  }
  return url;
}

// Header names and values end up on the wire; CR/LF would let a template inject headers.
const BAD_HEADER = /[\r\n\0]/;

function buildHeaders(opts: PrometheusProviderOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(opts.headers ?? {})) {
    const values = typeof value === 'string' ? [value] : [...value];
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || values.some((v) => BAD_HEADER.test(v))) {
      throw new ProviderConfigError(
        `prometheus header "${shortBody(name, 60)}" has an invalid name or value`,
      );
    }
    // Repeated values are joined into one field line, which RFC 9110 makes equivalent.
    headers[name.toLowerCase()] = values.join(', ');
  }
  const creds = opts.credentials;
  if (creds === undefined) return headers;
  // Credentials are applied last so a stray Authorization header cannot shadow them.
  const token = creds['token'];
  const username = creds['username'];
  const password = creds['password'];
  if (token !== undefined && token !== '') {
    headers['authorization'] = `Bearer ${token}`;
  } else if (username !== undefined && password !== undefined) {
    headers['authorization'] = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  } else {
    throw new ProviderConfigError(
      'prometheus credentials contain neither "token" nor both "username" and "password"',
    );
  }
  if (BAD_HEADER.test(headers['authorization'] ?? '')) {
    // Do not echo the secret: just say where the problem is.
    throw new ProviderConfigError('prometheus credentials contain a line break');
  }
  return headers;
}

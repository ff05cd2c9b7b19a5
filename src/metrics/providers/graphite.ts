// Graphite: GET <address>/render?<query>&format=json. The query is written as a query
// string ("target=sumSeries(…)&from=-5min"); whitespace runs are collapsed first, as
// Flagger does, so templates may wrap lines. Basic auth from `username`/`password`
// when the template has a secretRef. Returns the LAST non-null datapoint across all
// returned targets (Flagger's loop), so a series ending in nulls still yields its
// latest value.
import { shortBody } from '../../webhooks/http.js';
import {
  HTTP_PROVIDER_TIMEOUT_MS,
  endpoint,
  headerSafe,
  jsonBody,
  providerHttp,
  requireStatus,
  secretKey,
} from './http-common.js';
import { type MetricProvider, NoValuesError, ProviderConfigError, ProviderHttpError } from './provider.js';
import type { ProviderFactory } from './registry.js';

export const GRAPHITE_ONLINE_QUERY = 'target=test';

export interface GraphiteOptions {
  readonly address: string;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
}

/** One [value, timestamp] pair; Graphite (and proxies before it) may send numbers as strings. */
function pointValue(point: unknown, body: string, status: number): number | undefined {
  if (!Array.isArray(point) || point.length !== 2) {
    throw new ProviderHttpError(
      `error unmarshaling data point: ${shortBody(JSON.stringify(point), 80)}`,
      status,
      shortBody(body),
    );
  }
  const v: unknown = point[0];
  if (v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = v.trim() === '' ? Number.NaN : Number(v);
    if (!Number.isNaN(n) || /^nan$/i.test(v.trim())) return n;
  }
  throw new ProviderHttpError(
    `error unmarshaling value: ${shortBody(JSON.stringify(v), 40)}`,
    status,
    shortBody(body),
  );
}

export class GraphiteProvider implements MetricProvider {
  readonly #render: URL;
  readonly #headers: Record<string, string>;
  readonly #insecure: boolean;
  readonly #timeoutMs: number;

  constructor(o: GraphiteOptions) {
    this.#render = endpoint('graphite', o.address, '/render');
    this.#headers = { accept: 'application/json' };
    if (o.username && o.password) {
      const user = headerSafe('graphite', 'username', o.username);
      const pass = headerSafe('graphite', 'password', o.password);
      this.#headers['authorization'] = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    this.#insecure = o.insecureSkipVerify === true;
    this.#timeoutMs = o.timeoutMs ?? HTTP_PROVIDER_TIMEOUT_MS;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const url = new URL(this.#render);
    const params = new URLSearchParams(query.replace(/\s+/g, ' ').trim());
    params.set('format', 'json');
    params.sort(); // Go's url.Values.Encode() orders keys
    url.search = params.toString();
    const res = await providerHttp({
      type: 'graphite',
      url,
      headers: this.#headers,
      timeoutMs: this.#timeoutMs,
      insecureSkipVerify: this.#insecure,
      signal,
    });
    requireStatus(res, (s) => s < 400);
    const body = jsonBody(res);
    if (!Array.isArray(body)) {
      throw new ProviderHttpError(
        `error unmarshaling result: not a list, '${shortBody(res.body)}'`,
        res.status,
        shortBody(res.body),
      );
    }
    let value: number | undefined;
    for (const target of body as unknown[]) {
      const points = (target as { datapoints?: unknown } | null)?.datapoints;
      if (!Array.isArray(points)) continue;
      for (const p of points) {
        const v = pointValue(p, res.body, res.status);
        if (v !== undefined) value = v;
      }
    }
    if (value === undefined) throw new NoValuesError();
    return value;
  }

  /** Online when a query for a series that does not exist answers (with no values). */
  async isOnline(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.runQuery(GRAPHITE_ONLINE_QUERY, signal);
    } catch (err) {
      if (!(err instanceof NoValuesError)) throw err;
    }
    return true;
  }
}

export const createGraphite: ProviderFactory = ({ provider, credentials, timeoutMs }) => {
  if (!provider.address) throw new ProviderConfigError('graphite address  is not a valid URL');
  const withSecret = provider.secretRef !== undefined;
  return new GraphiteProvider({
    address: provider.address,
    username: withSecret
      ? secretKey(credentials, 'username', 'graphite credentials does not contain a username')
      : undefined,
    password: withSecret
      ? secretKey(credentials, 'password', 'graphite credentials does not contain a password')
      : undefined,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
  });
};

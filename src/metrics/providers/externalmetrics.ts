// Kubernetes External Metrics API (external.metrics.k8s.io/v1beta1) through the API
// server, with the operator's own kubeconfig (TLS and credentials); `address` replaces
// the server, `insecureSkipVerify` skips verification, a Secret's `token` replaces the
// credentials with a bearer token, as Flagger. Query: [<namespace>/]<metricName>
// [?labelSelector=<urlencoded>] (namespace "default"). Returns the first item's value.
import https from 'node:https';
import http from 'node:http';
import { redactUrl, shortBody } from '../../webhooks/http.js';
import {
  type MetricProvider,
  NoValuesError,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from './provider.js';
import type { ProviderFactory } from './registry.js';
import type { ApiServerAccess } from '../../kube/transport.js';

export const EXTERNAL_METRICS_TIMEOUT_MS = 5_000;
const GROUP_VERSION = '/apis/external.metrics.k8s.io/v1beta1';
const BAD_QUERY =
  'malformed query string, expected <namespace>/<metricName>?labelSelector=<urlencoded label selectors>, got';

export interface ExternalMetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly labelSelector: string;
}

export function parseExternalMetricsQuery(query: string): ExternalMetricQuery {
  let u: URL;
  try {
    u = new URL(`dummy:///${query.trim()}`);
  } catch {
    throw new ProviderHttpError(`error parsing metric query: ${BAD_QUERY} ${query}`, 0, '');
  }
  const parts = decodeURIComponent(u.pathname.replace(/^\/+/, '')).split('/');
  if (parts.length > 2) {
    throw new ProviderHttpError(
      `error parsing metric query: malformed query string, too many slashes, expected <namespace>/<metricName>?labelSelector=<urlencoded label selectors>, got ${query}`,
      0,
      '',
    );
  }
  const [a = '', b] = parts;
  const namespace = b === undefined || a === '' ? 'default' : a;
  const metricName = b === undefined ? a : b;
  if (metricName === '')
    throw new ProviderHttpError('error parsing metric query: metric name cannot be empty', 0, '');
  return { namespace, metricName, labelSelector: u.searchParams.get('labelSelector') ?? '' };
}

const SUFFIX: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A resource.Quantity string ("1500m", "2k", "1.5Gi", "1e3") as a float; NaN when malformed. */
export function parseQuantity(q: string): number {
  const m = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/.exec(q.trim());
  if (m === null) return Number.NaN;
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2].slice(1));
  return base * (SUFFIX[m[3] ?? ''] ?? Number.NaN);
}

export interface ExternalMetricsOptions {
  readonly kubeConfig: ApiServerAccess;
  readonly address?: string | undefined;
  readonly token?: string | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
}

interface MetricValueList {
  readonly items?: { readonly value?: unknown }[];
}

export class ExternalMetricsProvider implements MetricProvider {
  readonly #o: ExternalMetricsOptions;
  readonly #server: string;
  readonly #timeoutMs: number;

  constructor(o: ExternalMetricsOptions) {
    const server = o.address || o.kubeConfig.getCurrentCluster()?.server;
    if (!server)
      throw new ProviderConfigError('could not initialize ExternalMetricsProvider: rest config is nil');
    this.#o = o;
    this.#server = server.replace(/\/+$/, '');
    this.#timeoutMs = o.timeoutMs ?? EXTERNAL_METRICS_TIMEOUT_MS;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const q = parseExternalMetricsQuery(query);
    const list = await this.#list(q, signal, 'error querying external metrics API');
    const value = list.items?.[0]?.value;
    if (value === undefined) throw new NoValuesError('no external metrics found');
    const n = typeof value === 'string' ? parseQuantity(value) : Number.NaN;
    if (Number.isNaN(n))
      throw new ProviderHttpError(
        `error querying external metrics API: bad value ${shortBody(JSON.stringify(value), 40)}`,
        200,
        '',
      );
    return n;
  }

  async isOnline(signal?: AbortSignal): Promise<boolean> {
    const q = { namespace: 'kube-system', metricName: 'dummy-metric', labelSelector: '' };
    await this.#list(q, signal, 'external metrics service unavailable');
    return true;
  }

  async #list(
    q: ExternalMetricQuery,
    signal: AbortSignal | undefined,
    prefix: string,
  ): Promise<MetricValueList> {
    const url = new URL(
      `${this.#server}${GROUP_VERSION}/namespaces/${encodeURIComponent(q.namespace)}/${encodeURIComponent(q.metricName)}`,
    );
    if (q.labelSelector !== '') url.searchParams.set('labelSelector', q.labelSelector);
    const opts: https.RequestOptions = { method: 'GET', headers: { accept: 'application/json' } };
    await this.#o.kubeConfig.applyToHTTPSOptions(opts);
    if (this.#o.token !== undefined || this.#o.insecureSkipVerify === true) {
      // The kubeconfig's agent carries its TLS settings, client certificate included: drop it
      // so the options below apply (node then builds an agent from the request's TLS options).
      delete opts.agent;
    }
    if (this.#o.token !== undefined) {
      // The Secret's token replaces the kubeconfig's identity entirely: a client certificate
      // would authenticate first and the API server would never look at the token.
      delete opts.cert;
      delete opts.key;
      delete opts.auth;
      opts.headers = { accept: 'application/json', authorization: `Bearer ${this.#o.token}` };
    }
    if (this.#o.insecureSkipVerify === true) opts.rejectUnauthorized = false;
    const { status, body } = await this.#send(url, opts, signal);
    if (status !== 200) {
      let detail = shortBody(body);
      try {
        const s = JSON.parse(body) as { message?: unknown };
        if (typeof s.message === 'string') detail = shortBody(s.message);
      } catch {
        // not a Status object
      }
      throw new ProviderHttpError(`${prefix}: HTTP ${status}: ${detail}`, status, detail);
    }
    try {
      return JSON.parse(body) as MetricValueList;
    } catch {
      throw new ProviderHttpError(`${prefix}: not JSON: ${shortBody(body)}`, status, shortBody(body));
    }
  }

  #send(
    url: URL,
    opts: https.RequestOptions,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: string }> {
    const where = `external metrics API at ${redactUrl(url)}`;
    return new Promise((resolve, reject) => {
      const mod = url.protocol === 'http:' ? http : https;
      const req = mod.request(url, { ...opts, ...(signal ? { signal } : {}) }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(new ProviderUnreachableError(`${where}: ${err.message}`));
        });
      });
      const timer = setTimeout(() => {
        req.destroy();
        reject(new ProviderUnreachableError(`${where} did not answer within ${this.#timeoutMs}ms`, true));
      }, this.#timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        if (signal?.aborted === true) reject(err);
        else reject(new ProviderUnreachableError(`${where} is unreachable: ${err.message}`));
      });
      req.end();
    });
  }
}

export const createExternalMetrics: ProviderFactory = ({ provider, credentials, kube, timeoutMs }) => {
  if (kube === undefined)
    throw new ProviderConfigError('could not initialize ExternalMetricsProvider: rest config is nil');
  return new ExternalMetricsProvider({
    kubeConfig: kube.kubeConfig,
    address: provider.address,
    token: credentials?.['token'],
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
  });
};

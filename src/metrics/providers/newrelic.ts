// New Relic Insights: GET <address>/v1/accounts/<id>/query?nrql=<query> SINCE <n> seconds ago,
// key in X-Query-Key. Returns results[0].result; anything but exactly one result with a
// value is "no values found".
//
// The look-back is ONE metric interval, not ten: Flagger's New Relic provider sets
// fromDelta to the interval's seconds (unlike Datadog, Dynatrace, CloudWatch and Splunk).
import {
  HTTP_PROVIDER_TIMEOUT_MS,
  DEFAULT_METRIC_INTERVAL_MS,
  endpoint,
  finiteOrNoValues,
  headerSafe,
  is200,
  jsonBody,
  noValues,
  providerHttp,
  requireStatus,
  secretKey,
} from './http-common.js';
import type { MetricProvider } from './provider.js';
import type { ProviderFactory } from './registry.js';

export const NEWRELIC_DEFAULT_ADDRESS = 'https://insights-api.newrelic.com';
export const NEWRELIC_ONLINE_QUERY = 'SELECT * FROM Metric';

export interface NewRelicOptions {
  readonly address?: string | undefined;
  readonly accountId: string;
  readonly queryKey: string;
  readonly metricIntervalMs?: number | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
}

export class NewRelicProvider implements MetricProvider {
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #sinceS: number;
  readonly #timeoutMs: number;
  readonly #insecure: boolean;

  constructor(o: NewRelicOptions) {
    const address = o.address || NEWRELIC_DEFAULT_ADDRESS;
    this.#url = endpoint('newrelic', address, `/v1/accounts/${encodeURIComponent(o.accountId)}/query`);
    this.#headers = {
      accept: 'application/json',
      'x-query-key': headerSafe('newrelic', 'newrelic_query_key', o.queryKey),
    };
    this.#sinceS = Math.trunc((o.metricIntervalMs ?? DEFAULT_METRIC_INTERVAL_MS) / 1000);
    this.#timeoutMs = o.timeoutMs ?? HTTP_PROVIDER_TIMEOUT_MS;
    this.#insecure = o.insecureSkipVerify === true;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const res = await this.#get(query, signal);
    requireStatus(res, is200);
    const body = jsonBody(res) as { results?: { result?: unknown }[] } | null;
    const results = body?.results;
    if (!Array.isArray(results) || results.length !== 1) throw noValues(res);
    return finiteOrNoValues(results[0]?.result, res);
  }

  async isOnline(signal?: AbortSignal): Promise<boolean> {
    requireStatus(await this.#get(NEWRELIC_ONLINE_QUERY, signal), is200);
    return true;
  }

  #get(query: string, signal: AbortSignal | undefined): ReturnType<typeof providerHttp> {
    const url = new URL(this.#url);
    url.searchParams.set('nrql', `${query} SINCE ${this.#sinceS} seconds ago`);
    return providerHttp({
      type: 'newrelic',
      url,
      headers: this.#headers,
      timeoutMs: this.#timeoutMs,
      insecureSkipVerify: this.#insecure,
      signal,
    });
  }
}

export const createNewRelic: ProviderFactory = ({ provider, credentials, metricIntervalMs, timeoutMs }) =>
  new NewRelicProvider({
    address: provider.address,
    accountId: secretKey(
      credentials,
      'newrelic_account_id',
      "newrelic credentials does not contain the key 'newrelic_account_id'",
    ),
    queryKey: secretKey(
      credentials,
      'newrelic_query_key',
      "newrelic credentials does not contain the key 'newrelic_query_key'",
    ),
    metricIntervalMs,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
  });

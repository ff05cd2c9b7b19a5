// Dynatrace Metrics API v2: GET <address>/api/v2/metrics/query?metricSelector=…&resolution=Inf
// &from=<now-10×interval ms>&to=<now ms>, token as "Authorization: Api-Token <t>".
// Like Flagger: the first value of the LAST data entry of the first result. A null value
// (Dynatrace's "no data in this slot") is "no values found" instead of Go's 0.
import { ProviderConfigError } from './provider.js';
import {
  HTTP_PROVIDER_TIMEOUT_MS,
  endpoint,
  finiteOrNoValues,
  headerSafe,
  is200,
  jsonBody,
  noValues,
  providerHttp,
  requireStatus,
  secretKey,
  windowMs,
} from './http-common.js';
import type { MetricProvider } from './provider.js';
import type { ProviderFactory } from './registry.js';

export interface DynatraceOptions {
  readonly address: string;
  readonly token: string;
  readonly metricIntervalMs?: number | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

interface DynatraceAnswer {
  readonly result?: { readonly data?: { readonly values?: unknown[] }[] }[];
}

export class DynatraceProvider implements MetricProvider {
  readonly #query: URL;
  readonly #validate: URL;
  readonly #headers: Record<string, string>;
  readonly #windowMs: number;
  readonly #timeoutMs: number;
  readonly #insecure: boolean;
  readonly #now: () => number;

  constructor(o: DynatraceOptions) {
    this.#query = endpoint('dynatrace', o.address, '/api/v2/metrics/query');
    this.#validate = endpoint('dynatrace', o.address, '/api/v2/metrics?pageSize=1');
    this.#headers = {
      accept: 'application/json',
      authorization: `Api-Token ${headerSafe('dynatrace', 'dynatrace_token', o.token)}`,
    };
    this.#windowMs = windowMs(o.metricIntervalMs);
    this.#timeoutMs = o.timeoutMs ?? HTTP_PROVIDER_TIMEOUT_MS;
    this.#insecure = o.insecureSkipVerify === true;
    this.#now = o.now ?? Date.now;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    // Whole seconds in milliseconds, as Flagger computes now (Unix() * 1000).
    const now = Math.floor(this.#now() / 1000) * 1000;
    const url = new URL(this.#query);
    url.searchParams.set('from', String(now - this.#windowMs));
    url.searchParams.set('metricSelector', query);
    url.searchParams.set('resolution', 'Inf');
    url.searchParams.set('to', String(now));
    const res = await this.#get(url, signal);
    requireStatus(res, is200);
    const data = (jsonBody(res) as DynatraceAnswer | null)?.result?.[0]?.data;
    const last = Array.isArray(data) ? data.at(-1) : undefined;
    if (last === undefined || !Array.isArray(last.values) || last.values.length < 1) throw noValues(res);
    return finiteOrNoValues(last.values[0], res);
  }

  async isOnline(signal?: AbortSignal): Promise<boolean> {
    requireStatus(await this.#get(this.#validate, signal), is200);
    return true;
  }

  #get(url: URL, signal: AbortSignal | undefined): ReturnType<typeof providerHttp> {
    return providerHttp({
      type: 'dynatrace',
      url,
      headers: this.#headers,
      timeoutMs: this.#timeoutMs,
      insecureSkipVerify: this.#insecure,
      signal,
    });
  }
}

export const createDynatrace: ProviderFactory = ({
  provider,
  credentials,
  metricIntervalMs,
  timeoutMs,
  now,
}) => {
  if (!provider.address) throw new ProviderConfigError('dynatrace endpoint is not set');
  return new DynatraceProvider({
    address: provider.address,
    token: secretKey(
      credentials,
      'dynatrace_token',
      'dynatrace credentials does not contain dynatrace_token',
    ),
    metricIntervalMs,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
    now,
  });
};

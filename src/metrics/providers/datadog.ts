// Datadog: GET <address>/api/v1/query?query=…&from=<now-10×interval>&to=<now> (seconds),
// keys in the DD-API-KEY / DD-APPLICATION-KEY headers. Like Flagger it returns the
// first (oldest) point of the first series. A null point is "no values found" (Go
// decodes it as 0, which would let a gap in an error-rate series pass a check).
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

export const DATADOG_DEFAULT_ADDRESS = 'https://api.datadoghq.com';

export interface DatadogOptions {
  readonly address?: string | undefined;
  readonly apiKey: string;
  readonly applicationKey: string;
  readonly metricIntervalMs?: number | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

export class DatadogProvider implements MetricProvider {
  readonly #query: URL;
  readonly #validate: URL;
  readonly #headers: Record<string, string>;
  readonly #windowS: number;
  readonly #timeoutMs: number;
  readonly #insecure: boolean;
  readonly #now: () => number;

  constructor(o: DatadogOptions) {
    const address = o.address || DATADOG_DEFAULT_ADDRESS;
    this.#query = endpoint('datadog', address, '/api/v1/query');
    this.#validate = endpoint('datadog', address, '/api/v1/validate');
    this.#headers = {
      accept: 'application/json',
      'dd-api-key': headerSafe('datadog', 'datadog_api_key', o.apiKey),
      'dd-application-key': headerSafe('datadog', 'datadog_application_key', o.applicationKey),
    };
    this.#windowS = Math.trunc(windowMs(o.metricIntervalMs) / 1000);
    this.#timeoutMs = o.timeoutMs ?? HTTP_PROVIDER_TIMEOUT_MS;
    this.#insecure = o.insecureSkipVerify === true;
    this.#now = o.now ?? Date.now;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const now = Math.floor(this.#now() / 1000);
    const url = new URL(this.#query);
    url.searchParams.set('from', String(now - this.#windowS));
    url.searchParams.set('query', query);
    url.searchParams.set('to', String(now));
    const res = await this.#get(url, signal);
    requireStatus(res, is200);
    const body = jsonBody(res) as { series?: { pointlist?: unknown[][] }[] } | null;
    const point = body?.series?.[0]?.pointlist?.[0];
    if (!Array.isArray(point) || point.length < 2) throw noValues(res);
    return finiteOrNoValues(point[1], res);
  }

  /** /api/v1/validate answers 200 only for a valid API key. */
  async isOnline(signal?: AbortSignal): Promise<boolean> {
    requireStatus(await this.#get(this.#validate, signal), is200);
    return true;
  }

  #get(url: URL, signal: AbortSignal | undefined): ReturnType<typeof providerHttp> {
    return providerHttp({
      type: 'datadog',
      url,
      headers: this.#headers,
      timeoutMs: this.#timeoutMs,
      insecureSkipVerify: this.#insecure,
      signal,
    });
  }
}

export const createDatadog: ProviderFactory = ({ provider, credentials, metricIntervalMs, timeoutMs, now }) =>
  new DatadogProvider({
    address: provider.address,
    apiKey: secretKey(credentials, 'datadog_api_key', 'datadog credentials does not contain datadog_api_key'),
    applicationKey: secretKey(
      credentials,
      'datadog_application_key',
      'datadog credentials does not contain datadog_application_key',
    ),
    metricIntervalMs,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
    now,
  });

// InfluxDB (2.x API, also served by 1.8 with flux enabled): POST <address>/api/v2/query
// ?org=<org> with a Flux query, "Authorization: Token <token>", annotated CSV back,
// 15 s timeout (Flagger's). Returns the first record's _value when it is a number.
//
// Differences from Flagger, on purpose: an empty result is "no values found" (Flagger
// returns 0, which passes any "max" threshold), and integer columns (count(), sum() of
// integers) are accepted as numbers (Flagger rejects anything but float64).
import { shortBody } from '../../webhooks/http.js';
import { endpoint, headerSafe, providerHttp } from './http-common.js';
import { FluxCsvError, type FluxRecord, firstFluxRecord } from './influx-csv.js';
import { type MetricProvider, NoValuesError, ProviderConfigError, ProviderHttpError } from './provider.js';
import type { ProviderFactory } from './registry.js';

export const INFLUXDB_TIMEOUT_MS = 15_000;
export const INFLUXDB_ONLINE_QUERY = 'from(bucket: "default") |> range(start: -2h)';

export interface InfluxdbOptions {
  readonly address: string;
  readonly token?: string | undefined;
  readonly org?: string | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
}

/** "code: message" from InfluxDB's JSON error body, else the body itself. */
function influxError(body: string): string {
  try {
    const e = JSON.parse(body) as { code?: unknown; message?: unknown; error?: unknown };
    const msg = typeof e.message === 'string' ? e.message : typeof e.error === 'string' ? e.error : undefined;
    if (msg !== undefined) return shortBody(typeof e.code === 'string' ? `${e.code}: ${msg}` : msg);
  } catch {
    // not JSON
  }
  return shortBody(body);
}

export class InfluxdbProvider implements MetricProvider {
  readonly #url: URL;
  readonly #headers: Record<string, string>;
  readonly #insecure: boolean;
  readonly #timeoutMs: number;

  constructor(o: InfluxdbOptions) {
    this.#url = endpoint('influxdb', o.address, '/api/v2/query');
    if (o.org !== undefined) this.#url.searchParams.set('org', o.org);
    this.#headers = {
      accept: 'application/csv',
      'content-type': 'application/json',
      ...(o.token ? { authorization: `Token ${headerSafe('influxdb', 'token', o.token)}` } : {}),
    };
    this.#insecure = o.insecureSkipVerify === true;
    this.#timeoutMs = o.timeoutMs ?? INFLUXDB_TIMEOUT_MS;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const record = await this.#query(query, signal);
    if (record === undefined) throw new NoValuesError('empty result');
    const value = record.values['_value'];
    if (value === null || value === undefined) {
      throw new NoValuesError(`invalid response: ${shortBody(record.raw, 160)}`);
    }
    if (typeof value !== 'number' || Number.isNaN(value)) {
      throw new ProviderHttpError(`invalid response: ${shortBody(record.raw, 160)}`, 200, '');
    }
    return value;
  }

  async isOnline(signal?: AbortSignal): Promise<boolean> {
    await this.#query(INFLUXDB_ONLINE_QUERY, signal);
    return true;
  }

  async #query(query: string, signal: AbortSignal | undefined): Promise<FluxRecord | undefined> {
    const body = JSON.stringify({
      query,
      type: 'flux',
      dialect: { header: true, delimiter: ',', annotations: ['datatype', 'group', 'default'] },
    });
    const res = await providerHttp({
      type: 'influxdb',
      url: this.#url,
      method: 'POST',
      headers: this.#headers,
      body,
      timeoutMs: this.#timeoutMs,
      insecureSkipVerify: this.#insecure,
      signal,
    });
    if (res.status < 200 || res.status > 299) {
      const detail = influxError(res.body);
      throw new ProviderHttpError(
        `error accessing influxdb query api: HTTP ${res.status}: ${detail}`,
        res.status,
        detail,
      );
    }
    try {
      return firstFluxRecord(res.body);
    } catch (err) {
      if (err instanceof FluxCsvError) {
        throw new ProviderHttpError(
          `query error: ${shortBody(err.message)}`,
          res.status,
          shortBody(res.body),
        );
      }
      throw err;
    }
  }
}

export const createInfluxdb: ProviderFactory = ({ provider, credentials, timeoutMs }) => {
  if (!provider.address) throw new ProviderConfigError('influxdb address  is not a valid URL');
  let token: string | undefined;
  let org: string | undefined;
  if (provider.secretRef !== undefined) {
    token = credentials?.['token'];
    if (token === undefined) {
      throw new ProviderConfigError('influxdb credentials does not contain an authentication token');
    }
    org = credentials?.['org'];
    if (org === undefined)
      throw new ProviderConfigError('influxdb credentials does not contain an organisation');
  }
  return new InfluxdbProvider({
    address: provider.address,
    token,
    org,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
  });
};

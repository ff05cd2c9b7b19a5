// Splunk Observability (SignalFx): runs the SignalFlow program over the websocket stream
// API for the window now-10×interval..now, token in the authenticate message (and in
// X-SF-Token for IsOnline's REST call). The stream endpoint is derived from the address
// as Flagger does: the first "http" becomes "ws" and the first "api" becomes "stream"
// (https://api.us1.signalfx.com → wss://stream.us1.signalfx.com/v2/signalflow).
// Points without a value are dropped; points of more than one time series are an
// error; otherwise the last point's value is returned.
import {
  HTTP_PROVIDER_TIMEOUT_MS,
  endpoint,
  headerSafe,
  is200,
  providerHttp,
  requireStatus,
  secretKey,
  windowMs,
} from './http-common.js';
import {
  type MetricProvider,
  MultipleValuesError,
  NoValuesError,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from './provider.js';
import type { ProviderFactory } from './registry.js';
import { SignalFlowError, runSignalFlow } from './signalflow.js';

export interface SplunkOptions {
  readonly address: string;
  readonly token: string;
  readonly metricIntervalMs?: number | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

export class SplunkProvider implements MetricProvider {
  readonly #stream: string;
  readonly #validate: URL;
  readonly #token: string;
  readonly #windowMs: number;
  readonly #insecure: boolean;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(o: SplunkOptions) {
    this.#stream = `${o.address}/v2/signalflow`.replace('http', 'ws').replace('api', 'stream');
    this.#validate = endpoint(
      'splunk',
      o.address.replace('ws', 'http').replace('stream', 'api'),
      '/v2/metric?limit=1',
    );
    this.#token = headerSafe('splunk', 'sf_token_key', o.token);
    this.#windowMs = windowMs(o.metricIntervalMs);
    this.#insecure = o.insecureSkipVerify === true;
    this.#timeoutMs = o.timeoutMs ?? HTTP_PROVIDER_TIMEOUT_MS;
    this.#now = o.now ?? Date.now;
  }

  get streamEndpoint(): string {
    return this.#stream;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const now = this.#now();
    let points;
    try {
      points = await runSignalFlow({
        streamUrl: this.#stream,
        token: this.#token,
        program: query,
        startMs: now - this.#windowMs,
        stopMs: now,
        timeoutMs: this.#timeoutMs,
        insecureSkipVerify: this.#insecure,
        signal,
      });
    } catch (err) {
      if (!(err instanceof SignalFlowError)) throw err;
      if (err.timedOut || err.transport)
        throw new ProviderUnreachableError(`splunk: ${err.message}`, err.timedOut);
      throw new ProviderHttpError(err.message, 0, '');
    }
    const withValue = points.filter((p) => p.value !== undefined);
    const last = withValue.at(-1);
    if (last?.value === undefined) throw new NoValuesError('invalid response');
    const series = new Set(withValue.map((p) => p.tsId)).size;
    if (series > 1) {
      throw new MultipleValuesError(
        `invalid response: query returned ${series} time series, expected one`,
        series,
      );
    }
    return last.value;
  }

  async isOnline(signal?: AbortSignal): Promise<boolean> {
    const res = await providerHttp({
      type: 'splunk',
      url: this.#validate,
      headers: { 'x-sf-token': this.#token, accept: 'application/json' },
      timeoutMs: this.#timeoutMs,
      insecureSkipVerify: this.#insecure,
      signal,
    });
    requireStatus(res, is200);
    return true;
  }
}

export const createSplunk: ProviderFactory = ({
  provider,
  credentials,
  metricIntervalMs,
  timeoutMs,
  now,
}) => {
  if (!provider.address) throw new ProviderConfigError('splunk endpoint is not set');
  return new SplunkProvider({
    address: provider.address,
    token: secretKey(credentials, 'sf_token_key', 'splunk credentials does not contain sf_token_key'),
    metricIntervalMs,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
    now,
  });
};

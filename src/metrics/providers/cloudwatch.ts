// AWS CloudWatch: the query is a JSON array of MetricDataQuery; GetMetricData runs it
// over now-10×interval..now with MaxDatapoints 20 and 3 retries, through the official
// SDK (SigV4 signing and the default credential chain: env, shared config/SSO, IRSA web
// identity, ECS/EC2 metadata). Returns the first value of the first result (CloudWatch
// orders values newest first). `region` is required; `address` overrides the endpoint
// (flagger-ts only: VPC endpoints, tests).
import type {
  CloudWatchClient,
  GetMetricDataCommandInput,
  GetMetricDataCommandOutput,
  MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { shortBody } from '../../webhooks/http.js';
import { windowMs } from './http-common.js';
import {
  type MetricProvider,
  NoValuesError,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from './provider.js';
import type { ProviderFactory } from './registry.js';

// The SDK is loaded on the first query: most operators never use CloudWatch, and its
// module graph costs every process ≈ 8 MB of RSS.
let sdk: Promise<typeof import('@aws-sdk/client-cloudwatch')> | undefined;
const loadSdk = (): Promise<typeof import('@aws-sdk/client-cloudwatch')> =>
  (sdk ??= import('@aws-sdk/client-cloudwatch'));

export const CLOUDWATCH_MAX_RETRIES = 3;
export const CLOUDWATCH_TIMEOUT_MS = 5_000;

// Go's encoding/json matches field names case-insensitively; templates written for
// Flagger may say "id" or "metricStat". These are the SDK's names, by lower-case key.
const FIELD_NAMES = new Map(
  [
    'Id',
    'Expression',
    'Label',
    'MetricStat',
    'Period',
    'ReturnData',
    'AccountId',
    'Metric',
    'Stat',
    'Unit',
    'Dimensions',
    'MetricName',
    'Namespace',
    'Name',
    'Value',
  ].map((n) => [n.toLowerCase(), n]),
);

function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) out[FIELD_NAMES.get(k.toLowerCase()) ?? k] = canonical(val);
  return out;
}

export function parseCloudWatchQuery(query: string): MetricDataQuery[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(query);
  } catch (err) {
    throw new ProviderHttpError(
      `error unmarshaling query: ${err instanceof Error ? err.message : String(err)}`,
      0,
      '',
    );
  }
  if (!Array.isArray(parsed))
    throw new ProviderHttpError('error unmarshaling query: expected a JSON array of MetricDataQuery', 0, '');
  return canonical(parsed) as MetricDataQuery[];
}

export interface CloudWatchOptions {
  readonly region: string;
  readonly endpoint?: string | undefined;
  readonly metricIntervalMs?: number | undefined;
  readonly timeoutMs?: number | undefined;
  readonly now?: (() => number) | undefined;
}

interface AwsFailure {
  readonly name?: string;
  readonly message?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

export class CloudWatchProvider implements MetricProvider {
  readonly #region: string;
  readonly #endpoint: string | undefined;
  #client: CloudWatchClient | undefined;
  readonly #windowMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;

  constructor(o: CloudWatchOptions) {
    this.#region = o.region;
    this.#endpoint = o.endpoint;
    this.#windowMs = windowMs(o.metricIntervalMs);
    this.#timeoutMs = o.timeoutMs ?? CLOUDWATCH_TIMEOUT_MS;
    this.#now = o.now ?? Date.now;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const queries = parseCloudWatchQuery(query);
    const end = this.#now();
    const out = await this.#send(
      {
        StartTime: new Date(end - this.#windowMs),
        EndTime: new Date(end),
        MaxDatapoints: 20,
        MetricDataQueries: queries,
      },
      signal,
    );
    const first = out.MetricDataResults?.[0];
    if (first === undefined) throw new NoValuesError('invalid response: no MetricDataResults');
    const v = first.Values?.[0];
    if (v === undefined)
      throw new NoValuesError(
        `invalid response: ${first.Id ?? ''} has no values (${first.StatusCode ?? ''})`,
      );
    return v;
  }

  /** An empty request that CloudWatch rejects with HTTP 400 proves the endpoint and signing work. */
  async isOnline(signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#send({ StartTime: new Date(0), EndTime: new Date(0), MetricDataQueries: [] }, signal);
      return true;
    } catch (err) {
      if (err instanceof ProviderHttpError && err.status === 400) return true;
      if (err instanceof ProviderHttpError)
        throw new ProviderHttpError(`unexpected status code: ${err.message}`, err.status, err.body);
      throw err;
    }
  }

  async #send(
    input: GetMetricDataCommandInput,
    signal: AbortSignal | undefined,
  ): Promise<GetMetricDataCommandOutput> {
    const { CloudWatchClient, GetMetricDataCommand } = await loadSdk();
    this.#client ??= new CloudWatchClient({
      region: this.#region,
      maxAttempts: CLOUDWATCH_MAX_RETRIES + 1,
      ...(this.#endpoint ? { endpoint: this.#endpoint } : {}),
    });
    const cmd = new GetMetricDataCommand(input);
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      ctl.abort();
    }, this.#timeoutMs);
    const onAbort = (): void => {
      ctl.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.#client.send(cmd, { abortSignal: ctl.signal });
    } catch (err) {
      if (signal?.aborted === true) throw err;
      if (ctl.signal.aborted) {
        throw new ProviderUnreachableError(`cloudwatch did not answer within ${this.#timeoutMs}ms`, true);
      }
      const e = err as AwsFailure;
      const status = e.$metadata?.httpStatusCode;
      const text = `error requesting cloudwatch: ${e.name ?? 'Error'}: ${shortBody(e.message ?? String(err))}`;
      if (status === undefined) throw new ProviderUnreachableError(text);
      throw new ProviderHttpError(text, status, shortBody(e.message ?? ''));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

export const createCloudWatch: ProviderFactory = ({ provider, metricIntervalMs, timeoutMs, now }) => {
  if (!provider.region) throw new ProviderConfigError('region not specified');
  return new CloudWatchProvider({
    region: provider.region,
    endpoint: provider.address,
    metricIntervalMs,
    timeoutMs,
    now,
  });
};

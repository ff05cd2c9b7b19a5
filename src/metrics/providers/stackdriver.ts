// Google Cloud Monitoring (Stackdriver): an MQL query through the v3 REST method
// POST <endpoint>/v3/projects/<project>/timeSeries:query {"query": …}. Returns the
// first point's first value of the first time series, as Flagger's gRPC
// QueryTimeSeries loop does.
//
// Credentials come from google-auth-library: the Secret's `serviceAccountKey` (a JSON
// key; signed locally as a self-signed JWT with the monitoring scope, so no token
// exchange is needed) or, without it, application default credentials (workload
// identity on GKE, GOOGLE_APPLICATION_CREDENTIALS, the metadata server). `project` is
// required with a secret. `address` overrides the API endpoint (flagger-ts only;
// Private Service Connect and tests).
import type { JWT, JWTInput } from 'google-auth-library';
import { shortBody } from '../../webhooks/http.js';
import { endpoint, jsonBody, noValues, providerHttp } from './http-common.js';
import {
  type MetricProvider,
  ProviderConfigError,
  ProviderHttpError,
  ProviderUnreachableError,
} from './provider.js';
import type { ProviderFactory } from './registry.js';

// google-auth-library is loaded on the first query: most operators never use Stackdriver.
let library: Promise<typeof import('google-auth-library')> | undefined;
const loadLibrary = (): Promise<typeof import('google-auth-library')> =>
  (library ??= import('google-auth-library'));

type RequestAuth = { getRequestHeaders(url?: string | URL): Promise<Headers> };

export const STACKDRIVER_DEFAULT_ENDPOINT = 'https://monitoring.googleapis.com';
export const STACKDRIVER_SCOPE = 'https://www.googleapis.com/auth/monitoring.read';
export const STACKDRIVER_TIMEOUT_MS = 5_000;

export interface StackdriverOptions {
  readonly project: string;
  readonly serviceAccountKey?: string | undefined;
  readonly address?: string | undefined;
  readonly insecureSkipVerify?: boolean | undefined;
  readonly timeoutMs?: number | undefined;
}

interface GoogleError {
  readonly error?: { readonly code?: number; readonly message?: string; readonly status?: string };
}

interface QueryAnswer {
  readonly timeSeriesData?: {
    readonly pointData?: {
      readonly values?: { readonly doubleValue?: unknown; readonly int64Value?: unknown }[];
    }[];
  }[];
}

export class StackdriverProvider implements MetricProvider {
  readonly #url: URL;
  /** Made on first use (see loadLibrary); the key was checked in the constructor. */
  readonly #makeAuth: () => Promise<RequestAuth>;
  #auth: Promise<RequestAuth> | undefined;
  readonly #insecure: boolean;
  readonly #timeoutMs: number;

  constructor(o: StackdriverOptions) {
    const base = o.address || STACKDRIVER_DEFAULT_ENDPOINT;
    this.#url = endpoint('stackdriver', base, `/v3/${o.project}/timeSeries:query`);
    let credentials: JWTInput | undefined;
    if (o.serviceAccountKey !== undefined) {
      try {
        credentials = JSON.parse(o.serviceAccountKey) as JWTInput;
      } catch {
        // Never echo the key itself.
        throw new ProviderConfigError('stackdriver serviceAccountKey is not valid JSON');
      }
    }
    this.#makeAuth = async () => {
      const lib = await loadLibrary();
      return credentials === undefined
        ? new lib.GoogleAuth({ scopes: [STACKDRIVER_SCOPE] })
        : selfSignedJwt(lib.JWT, credentials);
    };
    this.#insecure = o.insecureSkipVerify === true;
    this.#timeoutMs = o.timeoutMs ?? STACKDRIVER_TIMEOUT_MS;
  }

  async runQuery(query: string, signal?: AbortSignal): Promise<number> {
    const res = await this.#post(query, signal);
    if (res.status !== 200) throw this.#error(res.status, res.body);
    const series = (jsonBody(res) as QueryAnswer | null)?.timeSeriesData?.[0];
    const value = series?.pointData?.[0]?.values?.[0];
    if (value === undefined) throw noValues(res);
    // doubleValue is a JSON number; int64Value is a string in proto3 JSON.
    const n =
      typeof value.doubleValue === 'number' ? value.doubleValue : Number(value.int64Value ?? Number.NaN);
    if (Number.isNaN(n)) throw noValues(res);
    return n;
  }

  /** An empty query answered with 400 INVALID_ARGUMENT proves the API and the credentials work. */
  async isOnline(signal?: AbortSignal): Promise<boolean> {
    const res = await this.#post('', signal);
    if (res.status === 200) return true;
    const status = (parseError(res.body)?.error?.status ?? '') || `HTTP ${res.status}`;
    if (res.status === 400 && status === 'INVALID_ARGUMENT') return true;
    throw new ProviderHttpError(`unexpected status code: ${status}`, res.status, shortBody(res.body));
  }

  async #post(query: string, signal: AbortSignal | undefined): ReturnType<typeof providerHttp> {
    let auth: Headers;
    try {
      auth = await (await (this.#auth ??= this.#makeAuth())).getRequestHeaders(this.#url);
    } catch (err) {
      throw new ProviderUnreachableError(
        `stackdriver credentials: ${err instanceof Error ? shortBody(err.message) : String(err)}`,
      );
    }
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    auth.forEach((v, k) => {
      headers[k.toLowerCase()] = v;
    });
    return providerHttp({
      type: 'stackdriver',
      url: this.#url,
      method: 'POST',
      headers,
      body: JSON.stringify({ query }),
      timeoutMs: this.#timeoutMs,
      insecureSkipVerify: this.#insecure,
      signal,
    });
  }

  #error(status: number, body: string): ProviderHttpError {
    const e = parseError(body)?.error;
    const detail = e?.message !== undefined ? `${e.status ?? status}: ${e.message}` : shortBody(body);
    return new ProviderHttpError(
      `error requesting stackdriver: ${shortBody(detail)}`,
      status,
      shortBody(body),
    );
  }
}

/** A service-account key that signs its own scoped JWT per request (no token endpoint). */
function selfSignedJwt(Jwt: typeof JWT, key: JWTInput): JWT {
  const jwt = new Jwt({
    ...(key.client_email === undefined ? {} : { email: key.client_email }),
    ...(key.private_key === undefined ? {} : { key: key.private_key }),
    ...(key.private_key_id === undefined ? {} : { keyId: key.private_key_id }),
    scopes: [STACKDRIVER_SCOPE],
  });
  jwt.useJWTAccessWithScope = true;
  return jwt;
}

function parseError(body: string): GoogleError | undefined {
  try {
    return JSON.parse(body) as GoogleError;
  } catch {
    return undefined;
  }
}

export const createStackdriver: ProviderFactory = ({ provider, credentials, timeoutMs }) => {
  let project = '';
  let key: string | undefined;
  if (provider.secretRef !== undefined) {
    const p = credentials?.['project'];
    if (p === undefined)
      throw new ProviderConfigError('stackdriver credentials does not contain a project id');
    project = `projects/${p}`;
    key = credentials?.['serviceAccountKey'];
  }
  return new StackdriverProvider({
    project,
    serviceAccountKey: key,
    address: provider.address,
    insecureSkipVerify: provider.insecureSkipVerify,
    timeoutMs,
  });
};

// The metric provider contract (Flagger's RunQuery / IsOnline) and its typed failures.
// Each failure class says *which* failure it was, so a failed check can report "no data"
// apart from "several series", "HTTP 500" or "Prometheus unreachable" instead of one
// generic "query failed".

export interface MetricProvider {
  /** Runs an instant query and returns its single value. Throws a ProviderError subclass. */
  runQuery(query: string, signal?: AbortSignal): Promise<number>;
  /** True when the backend answers a trivial query as expected. Throws on failure. */
  isOnline(signal?: AbortSignal): Promise<boolean>;
}

export type ProviderFailureKind = 'no-data' | 'multiple-series' | 'http-error' | 'unreachable';

export abstract class ProviderError extends Error {
  abstract readonly kind: ProviderFailureKind;
}

/**
 * The query returned nothing usable: an empty result or NaN. The message starts with
 * "no values found", Flagger's sentinel text, which its event messages quote.
 */
export class NoValuesError extends ProviderError {
  override readonly name = 'NoValuesError';
  readonly kind = 'no-data';
  constructor(detail?: string) {
    super(detail === undefined ? 'no values found' : `no values found (${detail})`);
  }
}

/**
 * The query returned more than one series (or a range vector). Flagger silently takes
 * the last series; we fail instead, because which series is "last" is arbitrary.
 */
export class MultipleValuesError extends ProviderError {
  override readonly name = 'MultipleValuesError';
  readonly kind = 'multiple-series';
  readonly count: number | undefined;
  constructor(message: string, count?: number) {
    super(message);
    this.count = count;
  }
}

/** The backend answered with an error status, or with a body that is not a valid answer. */
export class ProviderHttpError extends ProviderError {
  override readonly name = 'ProviderHttpError';
  readonly kind = 'http-error';
  /** The HTTP status received (a 2xx when the body, not the status, was unusable). */
  readonly status: number;
  /** A short, single-line excerpt of the body (never headers or credentials). */
  readonly body: string;
  constructor(message: string, status: number, body: string) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** No answer: connection refused or reset, DNS or TLS failure, or the timeout expired. */
export class ProviderUnreachableError extends ProviderError {
  override readonly name = 'ProviderUnreachableError';
  readonly kind = 'unreachable';
  readonly timedOut: boolean;
  constructor(message: string, timedOut = false) {
    super(message);
    this.timedOut = timedOut;
  }
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}

/**
 * The provider cannot be built from its configuration (bad address, incomplete
 * credentials, unsupported type). Not a query failure: retrying will not help.
 */
export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
}

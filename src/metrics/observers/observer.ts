// A builtin-metrics observer: the PromQL behind `request-success-rate` and
// `request-duration` for one mesh or ingress. Observers are data, not clients: the
// analysis renders their templates and sends them through the Prometheus provider, so
// one code path (and one set of failure messages) serves builtin, inline and template
// metrics.

import type { QueryModel } from '../render.js';

export const REQUEST_SUCCESS_RATE = 'request-success-rate';
export const REQUEST_DURATION = 'request-duration';
export type BuiltinMetricName = typeof REQUEST_SUCCESS_RATE | typeof REQUEST_DURATION;

export interface MetricsObserver {
  /** Observer family, for logs ("istio", "http"). */
  readonly name: string;
  /** Query template returning the non-5xx percentage (0–100). */
  readonly requestSuccessRate: string;
  /** Query template returning the P99 (or mean) latency, in `durationUnit`. */
  readonly requestDuration: string;
  /**
   * Multiplier from the duration query's unit to milliseconds: 1 for queries already in
   * ms (Istio), 1000 for queries in seconds (the generic HTTP observer).
   */
  readonly durationToMs: number;
  /** Rewrites the template model before rendering (Skipper's route ids encode names). */
  readonly encodeModel?: ((model: QueryModel) => QueryModel) | undefined;
}

export function builtinQuery(observer: MetricsObserver, metric: BuiltinMetricName): string {
  return metric === REQUEST_SUCCESS_RATE ? observer.requestSuccessRate : observer.requestDuration;
}

/** The provider has no builtin-metrics observer (yet); named so users see which. */
export class UnsupportedObserverError extends Error {
  override readonly name = 'UnsupportedObserverError';
}

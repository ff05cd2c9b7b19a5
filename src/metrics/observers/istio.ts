// Builtin queries for Istio (provider `istio`, and Flagger's default for `smi:*`),
// exactly as Flagger 1.44 sends them (behaviour spec §4.1). Latency comes from
// istio_request_duration_milliseconds, so the duration result is already in ms.
import type { MetricsObserver } from './observer.js';

const SELECTOR =
  'reporter="destination",destination_workload_namespace="{{ namespace }}",destination_workload=~"{{ target }}"';

export const istioObserver: MetricsObserver = {
  name: 'istio',
  requestSuccessRate:
    `sum(rate(istio_requests_total{${SELECTOR},response_code!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(istio_requests_total{${SELECTOR}}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(istio_request_duration_milliseconds_bucket{${SELECTOR}}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

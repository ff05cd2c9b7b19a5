// Builtin queries for Knative (provider `knative`), as Flagger 1.44 sends them (behaviour
// spec §4.1): Envoy upstream stats of the Knative ingress, whose cluster for a revision is
// named "<namespace>/<revision>"; `{{ route }}` is the latest created revision. The stray
// trailing comma in the denominator and duration label sets is Flagger's. Latency in ms.
import type { MetricsObserver } from './observer.js';

const SELECTOR = 'envoy_cluster_name=~"{{ namespace }}/{{ route }}"';

export const knativeObserver: MetricsObserver = {
  name: 'knative',
  requestSuccessRate:
    `sum(rate(envoy_cluster_upstream_rq{${SELECTOR},envoy_response_code!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(envoy_cluster_upstream_rq{${SELECTOR},}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{${SELECTOR},}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

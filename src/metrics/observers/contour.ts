// Builtin queries for Contour (provider `contour`), as Flagger 1.44 sends them (behaviour
// spec §4.1): Envoy upstream stats of the canary cluster, which Contour names
// `<namespace>_<service>-canary_<port>`. The stray trailing comma in the denominator and
// duration label sets is Flagger's; Prometheus accepts it.
import type { MetricsObserver } from './observer.js';

const SELECTOR = 'envoy_cluster_name=~"{{ namespace }}_{{ service }}-canary_[0-9a-zA-Z-]+"';

export const contourObserver: MetricsObserver = {
  name: 'contour',
  requestSuccessRate:
    `sum(rate(envoy_cluster_upstream_rq{${SELECTOR},envoy_response_code!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(envoy_cluster_upstream_rq{${SELECTOR},}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{${SELECTOR},}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

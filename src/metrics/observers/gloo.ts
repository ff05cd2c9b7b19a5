// Builtin queries for Gloo Edge (providers `gloo*`), as Flagger 1.44 sends them (behaviour
// spec §4.1): Envoy upstream stats of the canary Upstream's cluster,
// `<namespace>-<target>-canaryupstream-<port>_<upstream namespace>`. The stray trailing comma
// is Flagger's; Prometheus accepts it.
import type { MetricsObserver } from './observer.js';

const SELECTOR =
  'envoy_cluster_name=~"{{ namespace }}-{{ target }}-canaryupstream-[0-9a-zA-Z-]+_[0-9a-zA-Z-]+"';

export const glooObserver: MetricsObserver = {
  name: 'gloo',
  requestSuccessRate:
    `sum(rate(envoy_cluster_upstream_rq{${SELECTOR},envoy_response_code!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(envoy_cluster_upstream_rq{${SELECTOR},}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{${SELECTOR},}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

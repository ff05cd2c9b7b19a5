// Builtin queries for workloads instrumented with the conventional
// http_request_duration_seconds histogram (providers `kubernetes` and `gatewayapi*`),
// as Flagger 1.44 sends them (behaviour spec §4.1). Pods are matched by name:
// "<target>-<replicaset hash>-<pod suffix>". Latency is in seconds, hence ×1000.
import type { MetricsObserver } from './observer.js';

const SELECTOR =
  'kubernetes_namespace="{{ namespace }}",kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';

export const httpObserver: MetricsObserver = {
  name: 'http',
  requestSuccessRate:
    `sum(rate(http_request_duration_seconds_count{${SELECTOR},status!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(http_request_duration_seconds_count{${SELECTOR}}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket{${SELECTOR}}[{{ interval }}])) by (le))`,
  durationToMs: 1000,
};

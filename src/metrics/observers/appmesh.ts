// Builtin queries for App Mesh (providers `appmesh` and `appmesh:v1beta2`), as Flagger 1.44
// sends them (behaviour spec §4.1): the Envoy sidecars' upstream stats scraped per pod,
// pods matched by name "<target>-<replicaset hash>-<pod suffix>". Latency in ms.
// Deprecated with the App Mesh routers (AWS ended App Mesh support on 2026-09-30).
import type { MetricsObserver } from './observer.js';

const SELECTOR =
  'kubernetes_namespace="{{ namespace }}",kubernetes_pod_name=~"{{ target }}-[0-9a-zA-Z]+(-[0-9a-zA-Z]+)"';

export const appMeshObserver: MetricsObserver = {
  name: 'appmesh',
  requestSuccessRate:
    `sum(rate(envoy_cluster_upstream_rq{${SELECTOR},envoy_response_code!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(envoy_cluster_upstream_rq{${SELECTOR}}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(envoy_cluster_upstream_rq_time_bucket{${SELECTOR}}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

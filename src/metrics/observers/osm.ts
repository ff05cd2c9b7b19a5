// Builtin queries for Open Service Mesh (provider `osm`), as Flagger 1.44 sends them
// (behaviour spec §4.1): OSM's Envoy stats, relabelled by OSM's Prometheus config to
// osm_request_total / osm_request_duration_ms with destination_* labels. Latency in ms.
// Deprecated with the OSM router (OSM is archived upstream).
import type { MetricsObserver } from './observer.js';

const SELECTOR =
  'destination_namespace="{{ namespace }}",destination_kind="Deployment",destination_name="{{ target }}"';

export const osmObserver: MetricsObserver = {
  name: 'osm',
  requestSuccessRate:
    `sum(rate(osm_request_total{${SELECTOR},response_code!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(osm_request_total{${SELECTOR}}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(osm_request_duration_ms_bucket{${SELECTOR}}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

// Builtin queries for Traefik (provider `traefik`), as Flagger 1.44 sends them (behaviour
// spec §4.1): Traefik's per-service request histogram for the canary Kubernetes service
// (`<namespace>-<target>-canary-<port>@kubernetescrd`). The success rate counts the `+Inf`
// bucket (every request); the P99 is converted to milliseconds by the query.
import type { MetricsObserver } from './observer.js';

const SELECTOR = 'service=~"{{ namespace }}-{{ target }}-canary-[0-9a-zA-Z-]+@kubernetescrd"';

export const traefikObserver: MetricsObserver = {
  name: 'traefik',
  requestSuccessRate:
    `sum(rate(traefik_service_request_duration_seconds_bucket{${SELECTOR},code!~"5..",le="+Inf"}[{{ interval }}]))` +
    ` / sum(rate(traefik_service_request_duration_seconds_bucket{${SELECTOR},le="+Inf"}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(traefik_service_request_duration_seconds_bucket{${SELECTOR}}[{{ interval }}])) by (le)) * 1000`,
  durationToMs: 1,
};

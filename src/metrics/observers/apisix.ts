// Builtin queries for Apache APISIX (provider `apisix`), as Flagger 1.44 sends them
// (behaviour spec §4.1): APISIX's per-route status counter and latency histogram for the
// canary ApisixRoute Flagger generates (`<namespace>_<route>-<target>-canary_<rule>`).
import type { MetricsObserver } from './observer.js';

const ROUTE = 'route=~"{{ namespace }}_{{ route }}-{{ target }}-canary_.+"';

export const apisixObserver: MetricsObserver = {
  name: 'apisix',
  requestSuccessRate:
    `sum(rate(apisix_http_status{${ROUTE},code!~"5.."}[{{ interval }}]))` +
    ` / sum(rate(apisix_http_status{${ROUTE}}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(apisix_http_latency_bucket{type=~"request",${ROUTE}}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

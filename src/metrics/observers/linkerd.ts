// Builtin queries for Linkerd (provider `linkerd`, and any provider while the operator's
// -mesh-provider is linkerd), as Flagger 1.44 sends them (behaviour spec §4.1). The proxy's
// inbound `response_total` counts responses; a failure is `classification="failure"`
// rather than a 5xx code. Latency is response_latency_ms, already in ms.
import type { MetricsObserver } from './observer.js';

const SELECTOR = 'namespace="{{ namespace }}",deployment=~"{{ target }}"';

export const linkerdObserver: MetricsObserver = {
  name: 'linkerd',
  requestSuccessRate:
    `sum(rate(response_total{${SELECTOR},classification!="failure",direction="inbound"}[{{ interval }}]))` +
    ` / sum(rate(response_total{${SELECTOR},direction="inbound"}[{{ interval }}])) * 100`,
  requestDuration: `histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{${SELECTOR},direction="inbound"}[{{ interval }}])) by (le))`,
  durationToMs: 1,
};

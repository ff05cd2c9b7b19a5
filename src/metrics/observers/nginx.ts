// Builtin queries for ingress-nginx (provider `nginx`), as Flagger 1.44 sends them
// (behaviour spec §4.1): the controller's per-ingress request counter and response-time
// summary, restricted to the canary upstream (`canary!=""`). Duration is the mean, not a
// P99, and the query converts seconds to milliseconds itself.
import type { MetricsObserver } from './observer.js';

const SELECTOR = 'namespace="{{ namespace }}",ingress="{{ ingress }}",canary!=""';

export const nginxObserver: MetricsObserver = {
  name: 'nginx',
  requestSuccessRate:
    `sum(rate(nginx_ingress_controller_requests{${SELECTOR},status!~"5.*"}[{{ interval }}]))` +
    ` / sum(rate(nginx_ingress_controller_requests{${SELECTOR}}[{{ interval }}])) * 100`,
  requestDuration:
    `sum(rate(nginx_ingress_controller_response_duration_seconds_sum{${SELECTOR}}[{{ interval }}]))` +
    ` / sum(rate(nginx_ingress_controller_response_duration_seconds_count{${SELECTOR}}[{{ interval }}])) * 1000`,
  durationToMs: 1,
};

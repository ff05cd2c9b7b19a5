// Builtin queries for Skipper (provider `skipper`), as Flagger 1.44 sends them (behaviour
// spec §4.1): Skipper's route metrics for the routes of the canary Ingress, whose ids are
// `kube(ew)?_<namespace>__<ingress>_canary__<host>__<path>__<service>_canary(_<n>)?`.
// Skipper ids use `_` for every non-word character, so the names are encoded the same way
// before rendering (Flagger's encodeModelForSkipper); Flagger's `$route` template variable is
// written out in place.
import type { QueryModel } from '../render.js';
import type { MetricsObserver } from './observer.js';

const ROUTE = 'route=~"kube(ew)?_{{ namespace }}__{{ ingress }}_canary__.*__{{ service }}_canary(_[0-9]+)?"';

const word = (s: string): string => s.replace(/\W/g, '_');

export const skipperObserver: MetricsObserver = {
  name: 'skipper',
  requestSuccessRate:
    `sum(rate(skipper_response_duration_seconds_bucket{${ROUTE},code!~"5..",le="+Inf"}[{{ interval }}]))` +
    ` / sum(rate(skipper_response_duration_seconds_bucket{${ROUTE},le="+Inf"}[{{ interval }}])) * 100`,
  requestDuration:
    `sum(rate(skipper_serve_route_duration_seconds_sum{${ROUTE}}[{{ interval }}]))` +
    ` / sum(rate(skipper_serve_route_duration_seconds_count{${ROUTE}}[{{ interval }}])) * 1000`,
  durationToMs: 1,
  encodeModel: (m: QueryModel): QueryModel => ({
    ...m,
    name: word(m.name),
    namespace: word(m.namespace),
    ingress: word(m.ingress),
    service: word(m.service),
    target: word(m.target),
  }),
};

// Builds the template variables for one metric of one canary (Flagger's toMetricModel).
import type { Canary, CanaryMetric } from '../api/canary.js';
import { DEFAULT_METRIC_INTERVAL, canaryNamespace, serviceName } from '../api/defaults.js';
import type { QueryModel } from './render.js';

/**
 * The `{{ interval }}` used for a metric: its own interval, else 1m.
 *
 * Flagger defaults only builtin and inline metrics to 1m and hands template metrics the
 * raw value, so a template metric without `interval` renders `[{{ interval }}]` as `[]`
 * and Prometheus rejects the query. Every kind defaults to 1m here, which turns that
 * guaranteed failure into the obvious intended query.
 */
export function effectiveMetricInterval(metric: CanaryMetric): string {
  return metric.interval || DEFAULT_METRIC_INTERVAL;
}

const isKnative = (canary: Canary): boolean =>
  canary.spec.targetRef.kind === 'Service' &&
  canary.spec.targetRef.apiVersion.startsWith('serving.knative.dev/');

export function queryModelFor(canary: Canary, metric: CanaryMetric): QueryModel {
  const target = canary.spec.targetRef.name;
  return {
    name: canary.metadata.name,
    namespace: canaryNamespace(canary),
    target,
    service: serviceName(canary),
    ingress: canary.spec.ingressRef?.name || target,
    // Knative: the revision under analysis, the latest created one, which is the target's spec
    // hash (status.lastAppliedSpec), as Flagger reads status.latestCreatedRevisionName.
    route: isKnative(canary)
      ? canary.status?.lastAppliedSpec || target
      : canary.spec.routeRef?.name || target,
    interval: effectiveMetricInterval(metric),
    variables: metric.templateVariables ?? {},
  };
}

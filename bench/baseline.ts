// The naive baseline the measured figures are compared with: Flagger's own control
// loop, as an ESTIMATE derived by reading its advanceCanary tick (spec §2.2) and the
// deployment controller / Istio router it calls. Flagger is not run here; these are
// counts of the API calls in its code path, not measurements.

/** Verb classes comparable across both operators. */
export type VerbClass = 'read' | 'write' | 'statusWrite' | 'event';

export interface BaselineCall {
  readonly what: string;
  readonly cls: VerbClass;
  readonly count: number;
  readonly where: string;
}

/**
 * One Flagger tick that advances the canary weight by one step (phase Progressing,
 * canary strategy, Istio, Deployment target, no webhooks, no autoscaler, no tracked
 * ConfigMaps/Secrets). Flagger has no cache for these objects: each is a live GET.
 */
export const FLAGGER_ADVANCE_TICK: readonly BaselineCall[] = [
  { what: 'GET Canary', cls: 'read', count: 1, where: 'advanceCanary re-fetches the canary at every tick' },
  {
    what: 'GET target Deployment',
    cls: 'read',
    count: 5,
    where:
      'GetMetadata; createPrimaryDeployment; HasTargetChanged; config tracker (HaveDependenciesChanged); IsCanaryReady',
  },
  {
    what: 'GET primary Deployment',
    cls: 'read',
    count: 2,
    where: 'createPrimaryDeployment (exists?); IsPrimaryReady',
  },
  {
    what: 'GET Service',
    cls: 'read',
    count: 3,
    where: 'Kubernetes router Initialize (-canary, -primary) and Reconcile (apex)',
  },
  { what: 'GET DestinationRule', cls: 'read', count: 2, where: 'Istio router Reconcile (-canary, -primary)' },
  {
    what: 'GET VirtualService',
    cls: 'read',
    count: 3,
    where: 'Istio router Reconcile; GetRoutes; SetRoutes',
  },
  { what: 'PUT VirtualService', cls: 'write', count: 1, where: 'SetRoutes (new weights)' },
  { what: 'PUT Canary status', cls: 'statusWrite', count: 1, where: 'SetStatusWeight (UpdateStatus)' },
  { what: 'POST Event', cls: 'event', count: 1, where: '"Advance … canary weight N"' },
];

/** The same tick's PromQL queries: one per builtin metric check (2 in the benchmark's canary). */
export const FLAGGER_PROMQL_PER_STEP = 2;

/**
 * A Flagger tick on an idle canary (Initialized/Succeeded, nothing changed): the same
 * fixed GETs up to shouldAdvance, which then returns false. Flagger pays this every
 * interval for every canary; an event-driven operator pays nothing while idle.
 */
export const FLAGGER_IDLE_TICK_GETS = 12;

export function baselineTotals(calls: readonly BaselineCall[]): Record<VerbClass | 'total', number> {
  const out = { read: 0, write: 0, statusWrite: 0, event: 0, total: 0 };
  for (const c of calls) {
    out[c.cls] += c.count;
    out.total += c.count;
  }
  return out;
}

/**
 * Flagger notices a new revision only at its next tick: with the tick phase uniformly
 * random relative to `kubectl set image`, the wait is uniform on (0, interval], so its
 * median is interval/2, its p95 0.95·interval and its worst case one interval.
 */
export function flaggerDetectionMs(intervalMs: number): { median: number; p95: number; max: number } {
  return { median: intervalMs / 2, p95: 0.95 * intervalMs, max: intervalMs };
}

// Canary builders for the core tests: Flagger's stock `podinfo` canary, trimmed.
import type { Canary, CanaryAnalysis, CanarySpec, CanaryWebhook } from '../../../src/api/canary.js';
import type { CanaryStatus } from '../../../src/api/status.js';
import type { Snapshot, WorkloadObservation } from '../../../src/core/snapshot.js';

export const T0 = Date.parse('2025-01-01T00:00:00Z');
export const MINUTE = 60_000;

export interface CanaryOverrides {
  readonly analysis?: Partial<CanaryAnalysis>;
  readonly spec?: Partial<CanarySpec>;
  readonly status?: CanaryStatus;
  readonly generation?: number;
}

export function makeCanary(o: CanaryOverrides = {}): Canary {
  const canary: Canary = {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test', generation: o.generation ?? 1 },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 2, stepWeight: 10, maxWeight: 50, ...o.analysis },
      ...o.spec,
    },
  };
  if (o.status !== undefined) canary.status = o.status;
  return canary;
}

export const hook = (
  name: string,
  type: CanaryWebhook['type'],
  extra: Partial<CanaryWebhook> = {},
): CanaryWebhook => ({
  name,
  type,
  url: `http://flagger-loadtester.test/${name}`,
  ...extra,
});

export const ready = (specHash: string, kind = 'Deployment'): WorkloadObservation => ({
  kind,
  specHash,
  readiness: { ready: true },
  replicas: 1,
});

export const notReady = (
  specHash: string,
  retriable: boolean,
  message = 'waiting for rollout to finish',
): WorkloadObservation => ({
  kind: 'Deployment',
  specHash,
  readiness: { ready: false, retriable, message },
});

/** A snapshot with everything present and healthy; override what the case is about. */
export function snap(canary: Canary, o: Partial<Snapshot> = {}): Snapshot {
  return {
    now: T0,
    canary,
    options: { minIntervalMs: 10_000, meshProvider: 'istio' },
    capabilities: { mirror: true, weightedRouting: true, sessionAffinity: true, reconcileFirst: false },
    target: ready('rev-2'),
    primary: ready('rev-1'),
    configs: undefined,
    routes: { primary: 100, canary: 0, mirrored: false },
    results: {},
    ...o,
  };
}

/** Status of a canary that finished initialization at revision `rev`. */
export const initialized = (rev = 'rev-1', extra: Partial<CanaryStatus> = {}): CanaryStatus => ({
  phase: 'Initialized',
  canaryWeight: 0,
  failedChecks: 0,
  iterations: 0,
  lastAppliedSpec: rev,
  lastPromotedSpec: rev,
  ...extra,
});

/** Status of a run in progress on revision rev-2 (rev-1 promoted). */
export const progressing = (extra: Partial<CanaryStatus> = {}): CanaryStatus => ({
  phase: 'Progressing',
  canaryWeight: 0,
  failedChecks: 0,
  iterations: 0,
  lastAppliedSpec: 'rev-2',
  lastPromotedSpec: 'rev-1',
  ...extra,
});

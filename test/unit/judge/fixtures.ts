// The Canary the judge's unit tests run: podinfo with the baseline cohort, Progressing at
// weight 20 (1 m interval), judged by the metrics each test gives.
import type { Canary } from '../../../src/api/canary.js';

type Metrics = NonNullable<Canary['spec']['analysis']['metrics']>;

export function progressingBaselineCanary(metrics: Metrics): Canary {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      analysis: { interval: '1m', threshold: 2, stepWeight: 10, baseline: { enabled: true }, metrics },
    },
    status: {
      phase: 'Progressing',
      canaryWeight: 20,
      conditions: [
        {
          type: 'Promoted',
          status: 'Unknown',
          reason: 'Progressing',
          message: '',
          lastUpdateTime: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        },
      ],
    },
  };
}

// Builders for the objects integration tests apply: a podinfo-like Deployment and
// Flagger-shaped Canaries, with overrides.
import type { KubeObject } from '../../src/kube/types.js';

export function podinfoDeployment(
  namespace: string,
  image = 'ghcr.io/stefanprodan/podinfo:6.0.0',
  replicas = 2,
): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'podinfo', namespace, labels: { app: 'podinfo' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: { labels: { app: 'podinfo' } },
        spec: { containers: [{ name: 'podinfod', image, ports: [{ name: 'http', containerPort: 9898 }] }] },
      },
    },
  };
}

export interface CanaryOptions {
  readonly provider?: string;
  readonly analysis?: Record<string, unknown>;
  readonly spec?: Record<string, unknown>;
}

export function podinfoCanary(namespace: string, o: CanaryOptions = {}): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace },
    spec: {
      provider: o.provider ?? 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      progressDeadlineSeconds: 60,
      service: { port: 9898 },
      analysis: {
        interval: '1s',
        threshold: 2,
        stepWeight: 10,
        maxWeight: 50,
        metrics: [
          { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } },
          { name: 'request-duration', interval: '10s', thresholdRange: { max: 500 } },
        ],
        ...o.analysis,
      },
      ...o.spec,
    },
  };
}

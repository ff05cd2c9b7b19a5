// The workloads the benchmark rolls out: a podinfo-like Deployment and an Istio
// Canary for it. Each gets its own name and selector label, so several of them can
// live in one namespace without their ReplicaSets fighting over the same pods.
import type { KubeObject } from '../src/kube/types.js';

export const IMAGE_REPO = 'ghcr.io/stefanprodan/podinfo';
export const CONTAINER = 'podinfod';

export function benchDeployment(namespace: string, name: string, tag: string, replicas = 2): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          containers: [
            {
              name: CONTAINER,
              image: `${IMAGE_REPO}:${tag}`,
              ports: [{ name: 'http', containerPort: 9898 }],
            },
          ],
        },
      },
    },
  };
}

export interface CanaryShape {
  /** analysis.interval, e.g. '1m' */
  readonly interval: string;
  readonly stepWeight: number;
  readonly maxWeight: number;
  readonly threshold: number;
}

export function benchCanary(namespace: string, name: string, shape: CanaryShape): KubeObject {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace },
    spec: {
      provider: 'istio',
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      progressDeadlineSeconds: 120,
      service: { port: 9898 },
      analysis: {
        interval: shape.interval,
        threshold: shape.threshold,
        stepWeight: shape.stepWeight,
        maxWeight: shape.maxWeight,
        metrics: [
          { name: 'request-success-rate', interval: '10s', thresholdRange: { min: 99 } },
          { name: 'request-duration', interval: '10s', thresholdRange: { max: 500 } },
        ],
      },
    },
  };
}

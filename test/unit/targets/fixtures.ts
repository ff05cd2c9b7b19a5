// A podinfo Deployment as the API server returns it (plain JSON), with every kind of config
// reference, anti-affinity and spread constraints; its ConfigMaps/Secrets; a Canary for it.
import type { V1ConfigMap, V1Deployment, V1Secret } from '@kubernetes/client-node';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import { toKubeObject, type KubeObject } from '../../../src/kube/types.js';

export const NS = 'test';

export function podinfoDeployment(): V1Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'podinfo',
      namespace: NS,
      generation: 1,
      labels: { app: 'podinfo', team: 'web', 'kustomize.toolkit.fluxcd.io/name': 'apps' },
      annotations: { 'example.com/owner': 'web', 'kustomize.toolkit.fluxcd.io/checksum': 'abc' },
    },
    spec: {
      replicas: 2,
      progressDeadlineSeconds: 60,
      minReadySeconds: 5,
      revisionHistoryLimit: 3,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } },
      selector: { matchLabels: { app: 'podinfo' } },
      template: {
        metadata: {
          labels: { app: 'podinfo', version: 'v1' },
          annotations: { 'prometheus.io/scrape': 'true', 'helm.toolkit.fluxcd.io/x': 'y' },
        },
        spec: {
          initContainers: [
            {
              name: 'init',
              image: 'busybox',
              envFrom: [{ configMapRef: { name: 'podinfo-config-init' } }],
              env: [
                { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'podinfo-secret-init', key: 'token' } } },
              ],
            },
          ],
          containers: [
            {
              name: 'podinfo',
              image: 'ghcr.io/stefanprodan/podinfo:6.0.0',
              ports: [
                { name: 'http', containerPort: 9898 },
                { name: 'http-metrics', containerPort: 8080 },
                { containerPort: 8888 },
              ],
              env: [
                {
                  name: 'COLOR',
                  valueFrom: { configMapKeyRef: { name: 'podinfo-config-env', key: 'color' } },
                },
                { name: 'USER', valueFrom: { secretKeyRef: { name: 'podinfo-secret-env', key: 'user' } } },
                {
                  name: 'EXTRA',
                  valueFrom: {
                    configMapKeyRef: { name: 'podinfo-config-optional', key: 'x', optional: true },
                  },
                },
                { name: 'PLAIN', value: 'v' },
              ],
              envFrom: [
                { configMapRef: { name: 'podinfo-config-all' } },
                { secretRef: { name: 'podinfo-secret-all' } },
              ],
            },
            { name: 'istio-proxy', image: 'proxy', ports: [{ name: 'envoy-admin', containerPort: 15000 }] },
          ],
          volumes: [
            { name: 'config', configMap: { name: 'podinfo-config-vol' } },
            { name: 'secret', secret: { secretName: 'podinfo-secret-vol' } },
            {
              name: 'projected',
              projected: {
                sources: [
                  { configMap: { name: 'podinfo-config-projected' } },
                  { secret: { name: 'podinfo-secret-projected' } },
                ],
              },
            },
          ],
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  weight: 100,
                  podAffinityTerm: {
                    topologyKey: 'kubernetes.io/hostname',
                    labelSelector: { matchLabels: { app: 'podinfo' } },
                  },
                },
              ],
              requiredDuringSchedulingIgnoredDuringExecution: [
                {
                  topologyKey: 'topology.kubernetes.io/zone',
                  labelSelector: {
                    matchExpressions: [
                      { key: 'app', operator: 'In', values: ['podinfo', 'other'] },
                      { key: 'tier', operator: 'In', values: ['podinfo'] },
                    ],
                  },
                },
              ],
            },
          },
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: 'kubernetes.io/hostname',
              whenUnsatisfiable: 'DoNotSchedule',
              labelSelector: { matchLabels: { app: 'podinfo' } },
            },
          ],
        },
      },
    },
  };
}

export const CONFIG_MAPS = [
  'podinfo-config-init',
  'podinfo-config-env',
  'podinfo-config-all',
  'podinfo-config-vol',
  'podinfo-config-projected',
];
export const SECRETS = [
  'podinfo-secret-init',
  'podinfo-secret-env',
  'podinfo-secret-all',
  'podinfo-secret-vol',
  'podinfo-secret-projected',
];

export function configMap(name: string, data: Record<string, string> = { color: 'blue' }): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: NS, labels: { app: 'podinfo' } },
    data,
  };
}

export function secret(
  name: string,
  data: Record<string, string> = { user: 'YWRtaW4=' },
  type = 'Opaque',
): V1Secret {
  return { apiVersion: 'v1', kind: 'Secret', type, metadata: { name, namespace: NS }, data };
}

export function allConfigs(): (V1ConfigMap | V1Secret)[] {
  return [...CONFIG_MAPS.map((n) => configMap(n)), ...SECRETS.map((n) => secret(n))];
}

export function podinfoCanary(extra: Record<string, unknown> = {}): Canary {
  return CanarySchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: NS, uid: 'canary-uid' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      progressDeadlineSeconds: 60,
      service: { port: 9898, portDiscovery: true },
      analysis: { interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50 },
      ...extra,
    },
  });
}

export function kube(obj: unknown): KubeObject {
  return toKubeObject(obj);
}

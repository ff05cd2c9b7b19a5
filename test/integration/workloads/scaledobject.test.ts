// A KEDA ScaledObject autoscalerRef on the real API server (a KEDA-shaped CRD; no KEDA
// operator: the objects flagger-ts writes are what is checked). The primary ScaledObject
// gets primaryScalerQueries and never the target's pause annotation, which is what leaves
// Flagger's primary at 0 replicas after a promotion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { watchObject, waitForPhase } from '../../harness/canary.js';
import { eventually } from '../../harness/cluster.js';
import * as w from './setup.js';

const PAUSED = 'autoscaling.keda.sh/paused-replicas';

function scaledObject(namespace: string): KubeObject {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'podinfo-so', namespace, annotations: { 'example.com/team': 'web' } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      pollingInterval: 10,
      cooldownPeriod: 20,
      minReplicaCount: 1,
      maxReplicaCount: 3,
      advanced: { horizontalPodAutoscalerConfig: { name: 'podinfo-hpa' } },
      triggers: [
        {
          type: 'prometheus',
          name: 'rps',
          metadata: {
            serverAddress: 'http://127.0.0.1:9090',
            query: 'sum(rate(http_requests_total{app="podinfo"}[1m]))',
            threshold: '10',
          },
        },
        {
          type: 'prometheus',
          name: 'errors',
          metadata: {
            serverAddress: 'http://127.0.0.1:9090',
            query: 'sum(errors{app="podinfo-canary"})',
            threshold: '1',
          },
        },
      ],
    },
  };
}

const pauseOf = (so: KubeObject): string | undefined => so.metadata.annotations?.[PAUSED];

test('ScaledObject: primary copy with primaryScalerQueries, never paused', async (t) => {
  const env = await w.workloadEnv(t, 'keda', true);
  await env.kube.create(w.podinfoWorkload(env.namespace, 'Deployment'));
  await env.kube.create(scaledObject(env.namespace));
  const primaryQuery = 'sum(rate(http_requests_total{app="podinfo-primary"}[1m]))';
  await w.initialize(
    t,
    env,
    w.autoscaledCanary(
      env.namespace,
      {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        name: 'podinfo-so',
        primaryScalerQueries: { rps: primaryQuery },
        primaryScalerReplicas: { minReplicas: 2, maxReplicas: 6 },
      },
      2,
    ),
  );

  const soRef = (name: string) => w.ref(env, 'keda.sh/v1alpha1', 'ScaledObject', name);
  const primary = await w.read(env, soRef('podinfo-so-primary'));
  assert.deepEqual(w.at(primary, 'spec', 'scaleTargetRef'), w.PRIMARY_DEPLOYMENT_REF);
  assert.equal(
    w.at(primary, 'spec', 'triggers', 0, 'metadata', 'query'),
    primaryQuery,
    'primaryScalerQueries',
  );
  // With primaryScalerQueries, triggers it does not name keep their query (as in Flagger).
  assert.equal(
    w.at(primary, 'spec', 'triggers', 1, 'metadata', 'query'),
    'sum(errors{app="podinfo-canary"})',
  );
  assert.equal(w.at(primary, 'spec', 'minReplicaCount'), 2);
  assert.equal(w.at(primary, 'spec', 'maxReplicaCount'), 6);
  assert.equal(w.at(primary, 'spec', 'pollingInterval'), 10);
  assert.equal(
    w.at(primary, 'spec', 'advanced', 'horizontalPodAutoscalerConfig', 'name'),
    'podinfo-hpa-primary',
  );
  assert.equal(primary.metadata.annotations?.['example.com/team'], 'web');
  assert.equal(pauseOf(primary), undefined);
  // The target's ScaledObject is paused at 0 while the target is scaled to zero.
  assert.equal(pauseOf(await w.read(env, soRef('podinfo-so'))), '0');

  // During the analysis the target's ScaledObject is resumed; after promotion paused again.
  // Watched, not polled: the resumed state may be short on a loaded machine.
  const path = `/apis/keda.sh/v1alpha1/namespaces/${env.namespace}/scaledobjects`;
  const pause = (obj: unknown): string =>
    (w.at(obj, 'metadata', 'annotations', PAUSED) as string | undefined) ?? 'none';
  const targetPause = await watchObject(t, env, path, 'podinfo-so', pause);
  const primaryPause = await watchObject(t, env, path, 'podinfo-so-primary', pause);
  await w.setWorkloadImage(env, 'Deployment', `${w.IMAGE}:6.0.1`);
  await waitForPhase(env, 'Succeeded', 45_000);
  await eventually('the target ScaledObject paused again (seen by the watch)', () =>
    targetPause.values.length > 1 && targetPause.values.at(-1) === '0' ? true : undefined,
  );
  targetPause.stop();
  primaryPause.stop();
  assert.deepEqual(
    targetPause.values,
    ['0', 'none', '0'],
    'target: paused, resumed for the analysis, paused',
  );
  assert.deepEqual(
    primaryPause.values,
    ['none'],
    'the primary is never paused, not even by the promotion sync',
  );
  const synced = await w.read(env, soRef('podinfo-so-primary'));
  assert.equal(w.at(synced, 'spec', 'triggers', 0, 'metadata', 'query'), primaryQuery);
  assert.equal(
    w.at(
      await w.read(env, w.ref(env, 'apps/v1', 'Deployment', 'podinfo-primary')),
      'spec',
      'template',
      'spec',
      'containers',
      0,
      'image',
    ),
    `${w.IMAGE}:6.0.1`,
  );
});

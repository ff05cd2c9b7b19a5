// An HPA autoscalerRef on the real control plane, where kube-controller-manager runs the
// real HPA controller (without metrics-server, so it can only enforce min/max bounds):
// the `-primary` HPA, primaryScalerReplicas, the target's HPA idle while the target has
// 0 replicas, and the primary HPA synced from the target's on promotion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../../src/kube/types.js';
import { eventually } from '../../harness/cluster.js';
import { waitForPhase } from '../../harness/canary.js';
import * as w from './setup.js';

function hpa(namespace: string, utilization: number): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'podinfo', namespace, labels: { team: 'web' } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: utilization } },
        },
      ],
    },
  };
}

const utilization = (h: unknown): unknown =>
  w.at(h, 'spec', 'metrics', 0, 'resource', 'target', 'averageUtilization');

test('HPA: primary HPA with primaryScalerReplicas, synced on promotion', async (t) => {
  const env = await w.workloadEnv(t, 'hpa');
  await env.kube.create(w.podinfoWorkload(env.namespace, 'Deployment', {}, 2));
  await env.kube.create(hpa(env.namespace, 50));
  await w.initialize(
    t,
    env,
    w.autoscaledCanary(
      env.namespace,
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        name: 'podinfo',
        primaryScalerReplicas: { minReplicas: 3, maxReplicas: 5 },
      },
      1,
    ),
  );

  const hpaRef = (name: string) => w.ref(env, 'autoscaling/v2', 'HorizontalPodAutoscaler', name);
  const primaryHpa = await w.read(env, hpaRef('podinfo-primary'));
  assert.deepEqual(w.at(primaryHpa, 'spec', 'scaleTargetRef'), w.PRIMARY_DEPLOYMENT_REF);
  assert.equal(w.at(primaryHpa, 'spec', 'minReplicas'), 3, 'primaryScalerReplicas.minReplicas');
  assert.equal(w.at(primaryHpa, 'spec', 'maxReplicas'), 5, 'primaryScalerReplicas.maxReplicas');
  assert.equal(utilization(primaryHpa), 50);
  assert.equal(primaryHpa.metadata.ownerReferences?.[0]?.kind, 'Canary');

  // The real HPA controller acts on the primary: without metrics it still enforces the
  // minimum, so the primary goes from the target's 2 replicas to 3.
  await w.eventuallyObject(
    env,
    w.ref(env, 'apps/v1', 'Deployment', 'podinfo-primary'),
    'raised to the primary HPA minimum by the HPA controller',
    (d) => w.at(d, 'spec', 'replicas') === 3,
    45_000,
  );
  // ... and leaves the target alone at 0: an HPA does not scale a workload whose replicas
  // are 0 (ScalingActive=False, ScalingDisabled). That is how the target's HPA is neutralised.
  const target = await w.eventuallyObject(
    env,
    hpaRef('podinfo'),
    'scaling disabled on the target',
    (h) => {
      const conditions = w.at(h, 'status', 'conditions');
      return (
        Array.isArray(conditions) &&
        conditions.some(
          (c) =>
            w.at(c, 'type') === 'ScalingActive' &&
            w.at(c, 'status') === 'False' &&
            w.at(c, 'reason') === 'ScalingDisabled',
        )
      );
    },
    45_000,
  );
  assert.ok(target);
  assert.equal(
    w.at(await w.read(env, w.ref(env, 'apps/v1', 'Deployment', 'podinfo')), 'spec', 'replicas'),
    0,
  );

  // A change to the target HPA reaches the primary HPA with the next promotion.
  const live = await w.read(env, hpaRef('podinfo'));
  await env.kube.replace({ ...live, spec: hpa(env.namespace, 70)['spec'] });
  await w.setWorkloadImage(env, 'Deployment', `${w.IMAGE}:6.0.1`);
  await waitForPhase(env, 'Succeeded', 45_000);
  const synced = await w.read(env, hpaRef('podinfo-primary'));
  assert.equal(utilization(synced), 70, 'metrics synced on promotion');
  assert.equal(w.at(synced, 'spec', 'minReplicas'), 3, 'override kept');
  assert.equal(w.at(synced, 'spec', 'maxReplicas'), 5, 'override kept');
  // With an autoscaler the promotion leaves the primary's replicas to its HPA.
  await eventually('primary keeps the HPA minimum', async () => {
    const d = await w.read(env, w.ref(env, 'apps/v1', 'Deployment', 'podinfo-primary'));
    return w.at(d, 'spec', 'replicas') === 3 ? true : undefined;
  });
});

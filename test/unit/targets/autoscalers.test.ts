import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredPrimaryHpa } from '../../../src/autoscalers/hpa.js';
import { AutoscalerReconciler } from '../../../src/autoscalers/scaler.js';
import {
  PAUSED_REPLICAS_ANNOTATION,
  desiredPrimaryScaledObject,
  primaryQuery,
} from '../../../src/autoscalers/scaled-object.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { NS, podinfoCanary } from './fixtures.js';

const hpa: KubeObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: {
    name: 'podinfo',
    namespace: NS,
    labels: { team: 'web', 'kustomize.toolkit.fluxcd.io/name': 'x' },
    annotations: { 'example.com/a': '1' },
  },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
    maxReplicas: 4,
    minReplicas: 2,
    metrics: [
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } },
      },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
  },
};

function scaledObject(annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'podinfo-so', namespace: NS, annotations },
    spec: {
      scaleTargetRef: { name: 'podinfo', envSourceContainerName: 'app' },
      minReplicaCount: 1,
      maxReplicaCount: 3,
      idleReplicaCount: 0,
      triggers: [
        {
          type: 'prometheus',
          name: 'a',
          metadata: { query: 'x{app="podinfo"} + y{app="podinfo-canary"} + z{app="podinfo-primary"}' },
        },
        { type: 'cpu', metadata: { value: '50' } },
      ],
    },
  };
}

const hpaRef = { kind: 'HorizontalPodAutoscaler', apiVersion: 'autoscaling/v2', name: 'podinfo' } as const;

test('primary HPA: scales the primary, overrides, Flux keys dropped at creation, prefix filter on sync', () => {
  const canary = podinfoCanary({ autoscalerRef: { ...hpaRef, primaryScalerReplicas: { maxReplicas: 9 } } });
  const created = desiredPrimaryHpa(hpa, canary, { mode: 'create' });
  assert.equal(created.metadata.name, 'podinfo-primary');
  assert.deepEqual(created['spec'], {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo-primary' },
    minReplicas: 2,
    maxReplicas: 9,
    metrics: (hpa['spec'] as Record<string, unknown>)['metrics'],
    behavior: { scaleDown: { stabilizationWindowSeconds: 30 } },
  });
  assert.deepEqual(created.metadata.labels, { team: 'web' });
  assert.deepEqual(created.metadata.annotations, { 'example.com/a': '1' });
  assert.equal(created.metadata.ownerReferences?.[0]?.uid, 'canary-uid');
  const synced = desiredPrimaryHpa(hpa, canary, { mode: 'sync', includeLabelPrefix: ['team'] });
  assert.deepEqual(synced.metadata.labels, { team: 'web' });
  assert.deepEqual(synced.metadata.annotations, {});
});

test('KEDA query rewrite never yields -primary-primary', () => {
  assert.equal(
    primaryQuery('x{app="podinfo"} + y{app="podinfo-canary"} + z{app="podinfo-primary"}', 'podinfo'),
    'x{app="podinfo-primary"} + y{app="podinfo-primary"} + z{app="podinfo-primary"}',
  );
  assert.equal(primaryQuery('sum(up)', 'podinfo'), 'sum(up)');
});

test('primary ScaledObject: rewritten queries or primaryScalerQueries; pause annotations never copied', () => {
  const ref = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'podinfo-so' } as const;
  const source = scaledObject({
    [PAUSED_REPLICAS_ANNOTATION]: '0',
    'autoscaling.keda.sh/paused': 'true',
    keep: 'me',
  });
  const rewritten = desiredPrimaryScaledObject(source, podinfoCanary({ autoscalerRef: ref }), {
    mode: 'create',
  });
  const spec = rewritten['spec'] as Record<string, unknown>;
  assert.deepEqual(spec['scaleTargetRef'], { name: 'podinfo-primary', envSourceContainerName: 'app' });
  assert.equal(
    (spec['triggers'] as { metadata: Record<string, string> }[])[0]?.metadata['query'],
    'x{app="podinfo-primary"} + y{app="podinfo-primary"} + z{app="podinfo-primary"}',
  );
  assert.equal(spec['idleReplicaCount'], 0);
  assert.deepEqual(rewritten.metadata.annotations, { keep: 'me' });

  const overridden = desiredPrimaryScaledObject(
    source,
    podinfoCanary({
      autoscalerRef: { ...ref, primaryScalerQueries: { a: 'q' }, primaryScalerReplicas: { minReplicas: 2 } },
    }),
    { mode: 'sync', includeLabelPrefix: ['*'] },
  );
  const o = overridden['spec'] as Record<string, unknown>;
  assert.equal((o['triggers'] as { metadata: Record<string, string> }[])[0]?.metadata['query'], 'q');
  assert.deepEqual((o['triggers'] as { metadata: Record<string, string> }[])[1]?.metadata, { value: '50' });
  assert.equal(o['minReplicaCount'], 2);
  assert.equal(o['maxReplicaCount'], 3);
  assert.deepEqual(overridden.metadata.annotations, { keep: 'me' }, 'even with include prefix *');
});

test('reconciler: creates once at init, syncs on promotion, pauses and resumes only KEDA targets', async () => {
  const client = new FakeKubeClient();
  client.seed(hpa, scaledObject());
  const withHpa = podinfoCanary({ autoscalerRef: hpaRef });
  const scaler = new AutoscalerReconciler({ client });
  await scaler.reconcilePrimary(withHpa, true);
  const primaryRef = { ...hpaRef, name: 'podinfo-primary', namespace: NS };
  assert.equal((client.peek(primaryRef)?.['spec'] as Record<string, unknown>)['maxReplicas'], 4);
  client.seed({ ...hpa, spec: { ...(hpa['spec'] as object), maxReplicas: 7 } });
  client.requests.reset();
  await scaler.reconcilePrimary(withHpa, true);
  assert.equal(client.requests.total, 1, 'init with an existing primary: one GET, no write');
  assert.equal((client.peek(primaryRef)?.['spec'] as Record<string, unknown>)['maxReplicas'], 4);
  await scaler.reconcilePrimary(withHpa, false);
  assert.equal((client.peek(primaryRef)?.['spec'] as Record<string, unknown>)['maxReplicas'], 7, 'synced');
  assert.equal(await scaler.pauseTarget(withHpa), false, 'HPA: nothing to pause');

  const withSo = podinfoCanary({
    autoscalerRef: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'podinfo-so' },
  });
  const soRef = { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', name: 'podinfo-so', namespace: NS };
  assert.equal(await scaler.pauseTarget(withSo), true);
  assert.equal(client.peek(soRef)?.metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION], '0');
  assert.equal(await scaler.pauseTarget(withSo), false, 'already paused: no write');
  await scaler.reconcilePrimary(withSo, false);
  const primarySo = client.peek({ ...soRef, name: 'podinfo-so-primary' });
  assert.equal(primarySo?.metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION], undefined);
  assert.equal(await scaler.resumeTarget(withSo), true);
  assert.equal(client.peek(soRef)?.metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION], undefined);
});

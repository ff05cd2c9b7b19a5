import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { queryModelFor } from '../../../src/metrics/model.js';
import { KnativeTargetAdapter } from '../../../src/targets/knative.js';

const canary = (status?: Record<string, unknown>): Canary =>
  CanarySchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'default', uid: 'u' },
    spec: {
      provider: 'knative',
      targetRef: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'podinfo' },
      service: { port: 80 },
      analysis: { interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50 },
    },
    ...(status ? { status } : {}),
  });
const service = (latest: string | undefined, annotations?: Record<string, string>): KubeObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'podinfo', namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { template: { spec: { containers: [{ image: 'podinfo:6.0.0' }] } } },
  status: latest ? { latestCreatedRevisionName: latest } : {},
});
const revision = (name: string, ready: 'True' | 'False' | 'Unknown'): KubeObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Revision',
  metadata: { name, namespace: 'default' },
  status: {
    conditions: [{ type: 'Ready', status: ready, message: ready === 'True' ? '' : 'pulling image' }],
  },
});
const svcRef = {
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  namespace: 'default',
  name: 'podinfo',
};

test('init: the latest created revision becomes the primary, all traffic on it', async () => {
  const kube = new FakeKubeClient();
  kube.seed(service('podinfo-00001'), revision('podinfo-00001', 'True'));
  const adapter = new KnativeTargetAdapter({ client: kube });
  let obs = await adapter.observe(canary());
  assert.equal(obs.primary, undefined);
  assert.equal(obs.specHash, 'podinfo-00001');
  assert.equal(await adapter.ensurePrimary(canary()), 'created');
  const live = kube.peek(svcRef);
  assert.ok(live);
  assert.equal(live.metadata.annotations?.['flagger.app/primary-revision'], 'podinfo-00001');
  assert.deepEqual((live['spec'] as { traffic: unknown }).traffic, [
    { latestRevision: true, percent: 0 },
    { revisionName: 'podinfo-00001', percent: 100 },
  ]);
  obs = await adapter.observe(canary());
  assert.equal(obs.primaryHash, 'podinfo-00001');
  assert.deepEqual(obs.primaryReadiness, { ready: true });
  assert.equal(await adapter.ensurePrimary(canary()), 'exists');
});

test('a new revision is the canary: its readiness is its Ready condition; promotion moves the annotation', async () => {
  const kube = new FakeKubeClient();
  kube.seed(
    service('podinfo-00002', { 'flagger.app/primary-revision': 'podinfo-00001' }),
    revision('podinfo-00001', 'True'),
    revision('podinfo-00002', 'Unknown'),
  );
  const adapter = new KnativeTargetAdapter({ client: kube });
  const obs = await adapter.observe(canary());
  assert.equal(obs.specHash, 'podinfo-00002');
  assert.equal(obs.primaryHash, 'podinfo-00001');
  assert.deepEqual(obs.targetReadiness, {
    ready: false,
    retriable: true,
    message: 'Knative Revision podinfo-00002.default is not ready: pulling image',
  });
  await adapter.promote(canary());
  assert.equal(kube.peek(svcRef)?.metadata.annotations?.['flagger.app/primary-revision'], 'podinfo-00002');
});

test('metrics: {{ route }} is the revision under analysis (status.lastAppliedSpec)', () => {
  const metric = { name: 'request-success-rate' };
  assert.equal(queryModelFor(canary({ lastAppliedSpec: 'podinfo-00002' }), metric).route, 'podinfo-00002');
  assert.equal(queryModelFor(canary(), metric).route, 'podinfo');
});

test('no revision yet: not ready, and init waits; a missing Service is TargetNotFound', async () => {
  const kube = new FakeKubeClient();
  kube.seed(service(undefined));
  const adapter = new KnativeTargetAdapter({ client: kube });
  const obs = await adapter.observe(canary());
  assert.equal(obs.targetReadiness.ready, false);
  await assert.rejects(adapter.ensurePrimary(canary()), /has no revision yet/);
  await assert.rejects(
    new KnativeTargetAdapter({ client: new FakeKubeClient() }).observe(canary()),
    /not found/,
  );
});

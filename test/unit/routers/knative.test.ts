import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createKnativeRouter, knativeServiceRef } from '../../../src/routers/knative.js';
import { RouterError } from '../../../src/routers/router.js';
import { specOf } from './fixtures.js';

const router = createKnativeRouter();
const canary: Canary = CanarySchema.parse({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'default', uid: 'u' },
  spec: {
    provider: 'knative',
    targetRef: { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name: 'podinfo' },
    service: { port: 80 },
    analysis: { interval: '1m', threshold: 5, stepWeight: 10, maxWeight: 50 },
  },
});
const service = (annotations?: Record<string, string>, traffic?: unknown[]): KubeObject => ({
  apiVersion: 'serving.knative.dev/v1',
  kind: 'Service',
  metadata: { name: 'podinfo', namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { template: { spec: { containers: [{ image: 'podinfo:6.0.1' }] } } },
  status: { latestCreatedRevisionName: 'podinfo-00002', ...(traffic ? { traffic } : {}) },
});
const annotationsOf = (kube: FakeKubeClient): Record<string, string> | undefined =>
  kube.peek(knativeServiceRef(canary))?.metadata.annotations;

test('reconcile annotates the primary revision once (the latest created one)', async () => {
  const kube = new FakeKubeClient();
  kube.seed(service());
  await router.reconcile(canary, { client: kube });
  assert.deepEqual(annotationsOf(kube), { 'flagger.app/primary-revision': 'podinfo-00002' });
  kube.requests.reset();
  await router.reconcile(canary, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
});

test('SetRoutes errors without the annotation; otherwise traffic [latest canary, primary revision]', async () => {
  const kube = new FakeKubeClient();
  kube.seed(service());
  await assert.rejects(
    router.setRoutes(canary, { primary: 10, canary: 90, mirrored: false }, { client: kube }),
  );
  kube.seed(service({ 'flagger.app/primary-revision': 'podinfo-00001' }));
  await router.setRoutes(canary, { primary: 10, canary: 90, mirrored: false }, { client: kube });
  assert.deepEqual(specOf(kube.peek(knativeServiceRef(canary)))['traffic'], [
    { latestRevision: true, percent: 90 },
    { revisionName: 'podinfo-00001', percent: 10 },
  ]);
  assert.ok(specOf(kube.peek(knativeServiceRef(canary)))['template'], 'the rest of the spec is kept');
});

test('GetRoutes reads status.traffic; errors when it is missing or has no percent', async () => {
  const kube = new FakeKubeClient();
  const ann = { 'flagger.app/primary-revision': 'podinfo-00001' };
  kube.seed(service(ann));
  const malformed = (err: unknown): boolean => err instanceof RouterError && err.reason === 'MalformedObject';
  await assert.rejects(router.getRoutes(canary, { client: kube }), malformed);
  kube.seed(
    service(ann, [
      { revisionName: 'podinfo-00002', latestRevision: true, percent: 90 },
      { revisionName: 'podinfo-00001', latestRevision: false, percent: 10 },
    ]),
  );
  assert.deepEqual(await router.getRoutes(canary, { client: kube }), {
    primary: 10,
    canary: 90,
    mirrored: false,
  });
  kube.seed(
    service(ann, [
      { revisionName: 'podinfo-00002', latestRevision: true, percent: 100 },
      { revisionName: 'podinfo-00001' },
    ]),
  );
  await assert.rejects(router.getRoutes(canary, { client: kube }), malformed);
  assert.equal(await router.getRoutes(canary, { client: new FakeKubeClient() }), undefined);
  const fresh = new FakeKubeClient();
  fresh.seed(service());
  assert.equal(await router.getRoutes(canary, { client: fresh }), undefined, 'not initialised yet');
});

test('GetRoutes: while the new revision is not Ready, Knative resolves the latest entry to the primary revision', async () => {
  // status.traffic as Knative Serving v0.42.2 reports it between the template change and the
  // new revision's readiness (seen in test/integration/traffic/knative.lane.ts).
  const kube = new FakeKubeClient();
  kube.seed(
    service({ 'flagger.app/primary-revision': 'podinfo-00001' }, [
      { revisionName: 'podinfo-00001', latestRevision: true, percent: 0 },
      { revisionName: 'podinfo-00001', latestRevision: false, percent: 100 },
    ]),
  );
  assert.deepEqual(await router.getRoutes(canary, { client: kube }), {
    primary: 100,
    canary: 0,
    mirrored: false,
  });
});

test('finalize removes the annotation; a missing Service is NotFound', async () => {
  const kube = new FakeKubeClient();
  kube.seed(service({ 'flagger.app/primary-revision': 'podinfo-00001', keep: 'me' }));
  await router.finalize(canary, { client: kube });
  assert.deepEqual(annotationsOf(kube), { keep: 'me' });
  await assert.rejects(
    router.finalize(canary, { client: new FakeKubeClient() }),
    (err: unknown) => err instanceof RouterError && err.reason === 'NotFound',
  );
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { createKumaRouter, trafficRouteRef } from '../../../src/routers/kuma.js';
import { TOOLKIT_ANNOTATIONS } from '../../../src/routers/shared/metadata.js';
import { must, podinfo, specOf } from './fixtures.js';

const router = createKumaRouter();

test('reconcile: cluster-scoped TrafficRoute podinfo, no owner, mesh default, 2 splits at 100/0', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { apex: { labels: { team: 'a' } } } });
  await router.reconcile(c, { client: kube });
  const tr = must(kube.peek(trafficRouteRef(c)), 'TrafficRoute');
  assert.equal(tr.metadata.namespace, undefined);
  assert.equal(tr.metadata.ownerReferences, undefined);
  assert.equal(tr['mesh'], 'default');
  assert.deepEqual(tr.metadata.labels, { team: 'a' });
  assert.deepEqual(tr.metadata.annotations, TOOLKIT_ANNOTATIONS);
  assert.deepEqual(specOf(tr), {
    sources: [{ match: { 'kuma.io/service': '*' } }],
    destinations: [{ match: { 'kuma.io/service': 'podinfo_default_svc_9898' } }],
    conf: {
      split: [
        { weight: 100, destination: { 'kuma.io/service': 'podinfo-primary_default_svc_9898' } },
        { weight: 0, destination: { 'kuma.io/service': 'podinfo-canary_default_svc_9898' } },
      ],
    },
  });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('the kuma.io/mesh annotation on the Canary chooses the mesh', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  c.metadata.annotations = { 'kuma.io/mesh': 'payments' };
  await router.reconcile(c, { client: kube });
  assert.equal(kube.peek(trafficRouteRef(c))?.['mesh'], 'payments');
});

test('routes: primary 50 round-trips, reconcile keeps it without a write', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 50, canary: 50, mirrored: false }, { client: kube });
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 50, canary: 50, mirrored: false });
  await router.setRoutes(c, { primary: 0, canary: 100, mirrored: false }, { client: kube });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 0, canary: 100, mirrored: false });
  assert.equal(kube.peek(trafficRouteRef(c))?.metadata.ownerReferences, undefined);
});

test('a port change is applied by reconcile and keeps the weights', async () => {
  const kube = new FakeKubeClient();
  await router.reconcile(podinfo(), { client: kube });
  await router.setRoutes(podinfo(), { primary: 70, canary: 30, mirrored: false }, { client: kube });
  const moved = podinfo({ service: { port: 8080 } });
  await router.reconcile(moved, { client: kube });
  const split = (specOf(kube.peek(trafficRouteRef(moved)))['conf'] as { split: unknown[] }).split;
  assert.deepEqual(split[0], {
    weight: 70,
    destination: { 'kuma.io/service': 'podinfo-primary_default_svc_8080' },
  });
});

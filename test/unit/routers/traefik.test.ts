import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { RouterError } from '../../../src/routers/router.js';
import { TOOLKIT_ANNOTATIONS } from '../../../src/routers/shared/metadata.js';
import { createTraefikRouter, traefikServiceRef } from '../../../src/routers/traefik.js';
import { must, podinfo, specOf } from './fixtures.js';

const router = createTraefikRouter();
const svc = (name: string, weight: number): Record<string, unknown> => ({
  name,
  namespace: 'default',
  port: 9898,
  weight,
});

test('reconcile: TraefikService podinfo with only the primary at 100, apex metadata, owner', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { apex: { labels: { team: 'a' }, annotations: { note: 'x' } } } });
  await router.reconcile(c, { client: kube });
  const ts = must(kube.peek(traefikServiceRef(c)), 'TraefikService');
  assert.equal(ts.apiVersion, 'traefik.io/v1alpha1');
  assert.deepEqual(ts.metadata.labels, { team: 'a' });
  assert.deepEqual(ts.metadata.annotations, { note: 'x', ...TOOLKIT_ANNOTATIONS });
  assert.equal(ts.metadata.ownerReferences?.[0]?.uid, 'uid-canary-podinfo');
  assert.deepEqual(specOf(ts), { weighted: { services: [svc('podinfo-primary', 100)] } });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('setRoutes adds the canary entry only while its weight is > 0; reconcile keeps it', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 60, canary: 40, mirrored: false }, { client: kube });
  assert.deepEqual(specOf(kube.peek(traefikServiceRef(c))), {
    weighted: { services: [svc('podinfo-primary', 60), svc('podinfo-canary', 40)] },
  });
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 60, canary: 40, mirrored: false });
  await router.setRoutes(c, { primary: 100, canary: 0, mirrored: false }, { client: kube });
  assert.deepEqual(specOf(kube.peek(traefikServiceRef(c))), {
    weighted: { services: [svc('podinfo-primary', 100)] },
  });
});

test('a port change is applied by reconcile with the weights kept', async () => {
  const kube = new FakeKubeClient();
  await router.reconcile(podinfo(), { client: kube });
  await router.setRoutes(podinfo(), { primary: 70, canary: 30, mirrored: false }, { client: kube });
  await router.reconcile(podinfo({ service: { port: 8080 } }), { client: kube });
  const services = (specOf(kube.peek(traefikServiceRef(podinfo()))) as { weighted: { services: unknown[] } })
    .weighted.services;
  assert.deepEqual(services, [
    { name: 'podinfo-primary', namespace: 'default', port: 8080, weight: 70 },
    { name: 'podinfo-canary', namespace: 'default', port: 8080, weight: 30 },
  ]);
});

test('errors: 0/0 is refused with Flagger text; a TraefikService without services is malformed', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  await assert.rejects(router.setRoutes(c, { primary: 0, canary: 0, mirrored: false }, { client: kube }), {
    message: 'TraefikService podinfo.default update failed: no valid weights',
  });
  const live = must(kube.peek(traefikServiceRef(c)));
  await kube.replace({ ...live, spec: { weighted: { services: [] } } });
  await assert.rejects(router.getRoutes(c, { client: kube }), (err: unknown) => {
    assert.ok(err instanceof RouterError);
    assert.equal(err.message, 'TraefikService podinfo.default services not found');
    return true;
  });
  assert.equal(
    await router.getRoutes(podinfo({ name: 'other', service: { name: 'other' } }), { client: kube }),
    undefined,
  );
});

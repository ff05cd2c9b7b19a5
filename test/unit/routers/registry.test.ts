import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nopRoutes } from '../../../src/routers/nop.js';
import { isRouterProvider, routerFor, routerProviders } from '../../../src/routers/registry.js';
import { RouterError } from '../../../src/routers/router.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { podinfo } from './fixtures.js';

test('istio and kubernetes are registered; the same router instance is reused', () => {
  assert.ok(routerProviders().includes('istio') && routerProviders().includes('kubernetes'));
  assert.equal(routerFor('istio').capabilities.mirroring, true);
  assert.equal(routerFor('kubernetes').capabilities.mirroring, false);
  assert.equal(routerFor('istio'), routerFor('istio'));
});

test('an unknown provider is an InvalidSpec error, never an Istio fallback', () => {
  for (const provider of ['gatewayapi', 'linkerd2', '', 'constructor', 'toString']) {
    assert.equal(isRouterProvider(provider), false);
    assert.throws(
      () => routerFor(provider),
      (err: unknown) =>
        err instanceof RouterError && err.reason === 'InvalidSpec' && err.message.includes(provider),
    );
  }
});

test('kubernetes NopRouter: 100/0 before the first iteration, 0/100 after; no API calls', async () => {
  assert.deepEqual(nopRoutes(podinfo()), { primary: 100, canary: 0, mirrored: false });
  assert.deepEqual(nopRoutes(podinfo({ status: { iterations: 1 } })), {
    primary: 0,
    canary: 100,
    mirrored: false,
  });
  const kube = new FakeKubeClient();
  const nop = routerFor('kubernetes');
  await nop.reconcile(podinfo(), { client: kube });
  await nop.setRoutes(podinfo(), { primary: 50, canary: 50, mirrored: false }, { client: kube });
  await nop.finalize(podinfo(), { client: kube });
  assert.deepEqual(await nop.getRoutes(podinfo({ status: { iterations: 3 } }), { client: kube }), {
    primary: 0,
    canary: 100,
    mirrored: false,
  });
  assert.equal(kube.requests.total, 0);
});

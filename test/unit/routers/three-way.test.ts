// The baseline cohort's third backend (analysis.baseline, docs/judge.md) on every router that
// declares `threeWaySplit`: rendered only while Routes.baseline > 0, read back exactly (so
// reconcile keeps it), and absent otherwise, so Flagger-only canaries get Flagger's objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { routerFor, routerProviders } from '../../../src/routers/registry.js';
import type { Routes } from '../../../src/routers/router.js';
import { podinfo } from './fixtures.js';

const THREE_WAY = ['istio', 'gatewayapi:v1', 'gatewayapi:v1beta1', 'traefik', 'contour'];

function canaryFor(provider: string) {
  const c = podinfo({
    service: provider.startsWith('gatewayapi') ? { gatewayRefs: [{ name: 'gw', namespace: 'x' }] } : {},
  });
  return { ...c, spec: { ...c.spec, provider } };
}

test('istio, Gateway API, Traefik and Contour declare a three-way split; the others do not', () => {
  for (const p of THREE_WAY) assert.equal(routerFor(p).capabilities.threeWaySplit, true, p);
  const others = routerProviders().filter(
    (p) => !THREE_WAY.includes(p) && routerFor(p).capabilities.threeWaySplit,
  );
  assert.deepEqual(others, []);
});

for (const provider of THREE_WAY) {
  test(`${provider}: the baseline share is written, read back and kept by reconcile; gone at 0`, async () => {
    const router = routerFor(provider);
    const c = canaryFor(provider);
    const kube = new FakeKubeClient();
    const ctx = { client: kube };
    await router.reconcile(c, ctx);
    const three: Routes = { primary: 50, canary: 25, mirrored: false, baseline: 25 };
    await router.setRoutes(c, three, ctx);
    assert.deepEqual(await router.getRoutes(c, ctx), three);
    const written = JSON.stringify(kube.all());
    assert.ok(written.includes('podinfo-baseline'), 'a podinfo-baseline backend');
    kube.requests.reset();
    await router.reconcile(c, ctx);
    assert.equal(kube.requests.count('replace'), 0, 'reconcile keeps the three shares');
    assert.deepEqual(await router.getRoutes(c, ctx), three);
    await router.setRoutes(c, { primary: 75, canary: 25, mirrored: false }, ctx);
    assert.deepEqual(await router.getRoutes(c, ctx), { primary: 75, canary: 25, mirrored: false });
    assert.ok(!JSON.stringify(kube.all()).includes('podinfo-baseline'), 'no baseline backend at 0');
  });
}

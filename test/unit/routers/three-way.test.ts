// The baseline cohort's third backend (analysis.baseline, docs/judge.md) on every router that
// declares `threeWaySplit`: rendered only while Routes.baseline > 0, read back exactly (so
// reconcile keeps it), and absent otherwise, so Flagger-only canaries get Flagger's objects.
import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { routerFor, routerProviders } from '../../../src/routers/registry.js';
import type { Routes } from '../../../src/routers/router.js';
import { podinfo } from './fixtures.js';
import { THREE_WAY_PROVIDERS } from '../../../src/api/judge.js';
import { validateCanary } from '../../../src/api/validate.js';
import { makeCanary, progressing, snap } from '../core/fixtures.js';
import { decisionOf } from '../core/helpers.js';

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

test('the CRD rule list of three-way providers is what the routers declare', () => {
  const declared = routerProviders().filter((p) => routerFor(p).capabilities.threeWaySplit === true);
  assert.deepEqual([...THREE_WAY_PROVIDERS].sort(), [...declared].sort());
});

describe('analysis.baseline is refused where it cannot work', () => {
  const doc = (spec: Record<string, unknown>, analysis: Record<string, unknown> = {}): unknown => ({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name: 'podinfo', namespace: 'test' },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' },
      service: { port: 9898 },
      ...spec,
      analysis: { interval: '1m', threshold: 2, stepWeight: 10, baseline: { enabled: true }, ...analysis },
    },
  });
  const errors = (d: unknown): string[] => {
    const r = validateCanary(d, { noCrossNamespaceRefs: false, knownProviders: routerProviders() });
    return r.ok ? [] : r.errors.map((e) => e.message);
  };

  it('accepted on a router that splits three ways, or with the provider left to the operator', () => {
    assert.deepEqual(errors(doc({ provider: 'traefik' })), []);
    assert.deepEqual(errors(doc({})), []);
  });

  it('refused at admission: a two-way router, a DaemonSet, iterations (A/B, Blue/Green)', () => {
    assert.match(errors(doc({ provider: 'skipper' })).join(), /splits traffic three ways/);
    const ds = {
      targetRef: { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'podinfo' },
      provider: 'istio',
    };
    assert.match(errors(doc(ds)).join(), /needs a Deployment target/);
    assert.match(
      errors(doc({ provider: 'istio' }, { stepWeight: undefined, iterations: 3 })).join(),
      /canary strategy/,
    );
  });

  it('the operator refuses it when its -mesh-provider cannot split three ways (capability, not name)', () => {
    const c = makeCanary({ analysis: { baseline: { enabled: true } }, status: progressing() });
    const d = decisionOf(snap(c, { capabilities: { ...snap(c).capabilities, threeWaySplit: false } }));
    const validated = d.status.conditions?.find((x) => x.type === 'Validated');
    assert.equal(validated?.reason, 'InvalidSpec');
    assert.match(
      validated.message,
      /^spec\.analysis\.baseline\.enabled: provider istio cannot route a third share/,
    );
    const ok = decisionOf(snap(c, { capabilities: { ...snap(c).capabilities, threeWaySplit: true } }));
    assert.notEqual(ok.status.conditions?.find((x) => x.type === 'Validated')?.status, 'False');
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { isOwnedBy } from '../../../src/kube/owner.js';
import { routerFor } from '../../../src/routers/registry.js';
import { RouterError } from '../../../src/routers/router.js';
import {
  ISTIO_GATEWAYS_ANNOTATION,
  quantityToInt,
  trafficSplitRef,
  type SmiVersion,
} from '../../../src/routers/smi.js';
import { must, podinfo, specOf } from './fixtures.js';

interface Backend {
  service: string;
  weight: unknown;
}
const backends = (kube: FakeKubeClient, version: SmiVersion): Backend[] =>
  specOf(kube.peek(trafficSplitRef(podinfo(), version)))['backends'] as Backend[];

const cases: { provider: string; version: SmiVersion; w: (n: number) => unknown }[] = [
  { provider: 'linkerd', version: 'v1alpha1', w: String },
  { provider: 'smi:v1alpha1:linkerd', version: 'v1alpha1', w: String },
  { provider: 'smi:v1alpha2:istio', version: 'v1alpha2', w: Number },
  { provider: 'osm', version: 'v1alpha2', w: Number },
  { provider: 'smi:v1alpha3:nginx-mesh', version: 'v1alpha3', w: Number },
];

for (const { provider, version, w } of cases) {
  test(`${provider}: TrafficSplit ${version} podinfo, service = apex, canary 0 / primary 100, owned`, async () => {
    const kube = new FakeKubeClient();
    const router = routerFor(provider);
    const c = podinfo();
    await router.reconcile(c, { client: kube });
    const ts = must(kube.peek(trafficSplitRef(c, version)), 'TrafficSplit');
    assert.equal(ts.apiVersion, `split.smi-spec.io/${version}`);
    assert.ok(isOwnedBy(ts, c));
    assert.equal(specOf(ts)['service'], 'podinfo');
    assert.deepEqual(backends(kube, version), [
      { service: 'podinfo-canary', weight: w(0) },
      { service: 'podinfo-primary', weight: w(100) },
    ]);
    assert.deepEqual(await router.getRoutes(c, { client: kube }), {
      primary: 100,
      canary: 0,
      mirrored: false,
    });
  });

  test(`${provider}: SetRoutes 60/40 round-trips; reconcile keeps the weights and writes nothing`, async () => {
    const kube = new FakeKubeClient();
    const router = routerFor(provider);
    const c = podinfo();
    await router.reconcile(c, { client: kube });
    await router.setRoutes(c, { primary: 60, canary: 40, mirrored: false }, { client: kube });
    assert.deepEqual(backends(kube, version), [
      { service: 'podinfo-canary', weight: w(40) },
      { service: 'podinfo-primary', weight: w(60) },
    ]);
    kube.requests.reset();
    await router.reconcile(c, { client: kube });
    assert.equal(kube.requests.count('replace') + kube.requests.count('create'), 0);
    assert.deepEqual(await router.getRoutes(c, { client: kube }), {
      primary: 60,
      canary: 40,
      mirrored: false,
    });
  });

  test(`${provider}: hosts[0] becomes the split's service, applied by reconcile keeping weights`, async () => {
    const kube = new FakeKubeClient();
    const router = routerFor(provider);
    await router.reconcile(podinfo(), { client: kube });
    await router.setRoutes(podinfo(), { primary: 80, canary: 20, mirrored: false }, { client: kube });
    const changed = podinfo({ service: { hosts: ['podinfo.example.com', 'other'] } });
    await router.reconcile(changed, { client: kube });
    assert.equal(specOf(kube.peek(trafficSplitRef(changed, version)))['service'], 'podinfo.example.com');
    assert.deepEqual(await router.getRoutes(changed, { client: kube }), {
      primary: 80,
      canary: 20,
      mirrored: false,
    });
  });
}

test('only an istio target mesh gets the gateways annotation (JSON array)', async () => {
  const c = podinfo({ service: { gateways: ['public-gateway', 'mesh'] } });
  const istio = new FakeKubeClient();
  await routerFor('smi:v1alpha2:istio').reconcile(c, { client: istio });
  assert.equal(
    istio.peek(trafficSplitRef(c, 'v1alpha2'))?.metadata.annotations?.[ISTIO_GATEWAYS_ANNOTATION],
    '["public-gateway","mesh"]',
  );
  const linkerd = new FakeKubeClient();
  await routerFor('linkerd').reconcile(c, { client: linkerd });
  assert.equal(
    linkerd.peek(trafficSplitRef(c, 'v1alpha1'))?.metadata.annotations?.[ISTIO_GATEWAYS_ANNOTATION],
    undefined,
  );
});

test('a split without the canary backends is an error for getRoutes, as in Flagger', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  kube.seed({
    apiVersion: 'split.smi-spec.io/v1alpha2',
    kind: 'TrafficSplit',
    metadata: { name: 'podinfo', namespace: 'default' },
    spec: { service: 'podinfo', backends: [{ service: 'other', weight: 100 }] },
  });
  await assert.rejects(
    routerFor('osm').getRoutes(c, { client: kube }),
    (err: unknown) => err instanceof RouterError && err.reason === 'MalformedObject',
  );
  // reconcile takes the split over at 100/0.
  await routerFor('osm').reconcile(c, { client: kube });
  assert.deepEqual(await routerFor('osm').getRoutes(c, { client: kube }), {
    primary: 100,
    canary: 0,
    mirrored: false,
  });
});

test('v1alpha1 quantities: strings, numbers and SI suffixes; fractions count as 0', () => {
  assert.equal(quantityToInt('90'), 90);
  assert.equal(quantityToInt(10), 10);
  assert.equal(quantityToInt('1k'), 1000);
  assert.equal(quantityToInt('500m'), 0);
  assert.equal(quantityToInt(undefined), 0);
});

test('SMI routers declare no mirroring, A/B or session affinity, and the TrafficSplit kind', () => {
  for (const provider of ['linkerd', 'osm', 'smi:v1alpha3:x']) {
    const r = routerFor(provider);
    assert.deepEqual(r.capabilities, { mirroring: false, headerMatching: false, sessionAffinity: false });
    assert.equal(r.objectKinds[0]?.kind, 'TrafficSplit');
  }
  assert.equal(routerFor('smi:v1alpha3:x').objectKinds[0]?.apiVersion, 'split.smi-spec.io/v1alpha3');
  assert.notEqual(routerFor('smi:v1alpha2:istio'), routerFor('smi:v1alpha2:linkerd'));
});

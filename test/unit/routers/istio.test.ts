import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { isOwnedBy } from '../../../src/kube/owner.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createIstioRouter } from '../../../src/routers/istio.js';
import type { VirtualServiceSpec } from '../../../src/routers/istio-virtual-service.js';
import { RouterError } from '../../../src/routers/router.js';
import { ORIGINAL_CONFIG_ANNOTATION } from '../../../src/routers/shared/original-spec.js';
import { must, podinfo, specOf, vsRef } from './fixtures.js';

const router = createIstioRouter();
const drRef = (name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  ...vsRef,
  kind: 'DestinationRule',
  name,
});
const vsSpecOf = (kube: FakeKubeClient): VirtualServiceSpec =>
  specOf(kube.peek(vsRef)) as unknown as VirtualServiceSpec;

test('reconcile creates both DestinationRules and the VirtualService, owned by the Canary', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  for (const ref of [drRef('podinfo-canary'), drRef('podinfo-primary'), vsRef]) {
    const obj = kube.peek(ref);
    assert.ok(obj, `${ref.kind} ${ref.name}`);
    assert.ok(isOwnedBy(obj, c));
  }
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('without owner references when the mesh is in another cluster', async () => {
  const kube = new FakeKubeClient();
  await router.reconcile(podinfo(), { client: kube, setOwnerRefs: false });
  assert.equal(kube.peek(vsRef)?.metadata.ownerReferences, undefined);
});

test('getRoutes is undefined before reconcile', async () => {
  assert.equal(await router.getRoutes(podinfo(), { client: new FakeKubeClient() }), undefined);
});

test('SetRoutes then GetRoutes: 60/40, and mirrored', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ analysis: { mirror: true } });
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 60, canary: 40, mirrored: false }, { client: kube });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 60, canary: 40, mirrored: false });
  await router.setRoutes(c, { primary: 100, canary: 0, mirrored: true }, { client: kube });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: true });
  assert.deepEqual(vsSpecOf(kube).http?.[0]?.mirror, { host: 'podinfo-canary' });
});

test('reconcile after setRoutes keeps the weights and writes nothing', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 70, canary: 30, mirrored: false }, { client: kube });
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace') + kube.requests.count('create'), 0);
  assert.equal(kube.requests.count('get'), 3);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 70, canary: 30, mirrored: false });
});

test('a spec change (hosts, gateways) is applied by reconcile and keeps the weights', async () => {
  const kube = new FakeKubeClient();
  await router.reconcile(podinfo(), { client: kube });
  await router.setRoutes(podinfo(), { primary: 80, canary: 20, mirrored: false }, { client: kube });
  const changed = podinfo({ service: { hosts: ['app.example.com'], gateways: ['public-gateway'] } });
  await router.reconcile(changed, { client: kube });
  const spec = vsSpecOf(kube);
  assert.deepEqual(spec.hosts, ['app.example.com', 'podinfo']);
  assert.deepEqual(spec.gateways, ['public-gateway']);
  assert.deepEqual(await router.getRoutes(changed, { client: kube }), {
    primary: 80,
    canary: 20,
    mirrored: false,
  });
  assert.equal(
    kube.peek(vsRef)?.metadata.annotations?.[ORIGINAL_CONFIG_ANNOTATION],
    undefined,
    'owned: no take-over record',
  );
});

test('trafficPolicy changes update the DestinationRules', async () => {
  const kube = new FakeKubeClient();
  await router.reconcile(podinfo(), { client: kube });
  const tp = { tls: { mode: 'DISABLE' } };
  await router.reconcile(podinfo({ service: { trafficPolicy: tp } }), { client: kube });
  assert.deepEqual(specOf(kube.peek(drRef('podinfo-primary')))['trafficPolicy'], tp);
});

test('an invalid spec (delegation with hosts) writes nothing', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { delegation: true, hosts: ['x.example.com'] } });
  await assert.rejects(
    router.reconcile(c, { client: kube }),
    (err: unknown) => err instanceof RouterError && err.reason === 'InvalidSpec',
  );
  assert.equal(kube.all().length, 0);
});

const userVs = (annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'networking.istio.io/v1beta1',
  kind: 'VirtualService',
  metadata: { name: 'podinfo', namespace: 'default', annotations },
  spec: { hosts: ['podinfo'], http: [{ route: [{ destination: { host: 'podinfo' } }] }] },
});

test('take-over saves the original spec; finalize restores it', async () => {
  const kube = new FakeKubeClient();
  kube.seed(userVs({ owner: 'team-a' }));
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  const taken = must(kube.peek(vsRef));
  const annotations = taken.metadata.annotations ?? {};
  assert.equal(annotations['owner'], 'team-a', 'foreign annotations are kept');
  assert.equal(taken.metadata.ownerReferences, undefined, 'a pre-existing VS is not adopted');
  assert.deepEqual(JSON.parse(annotations[ORIGINAL_CONFIG_ANNOTATION] ?? '{}'), userVs()['spec']);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
  // A later spec change does not overwrite the first record.
  await router.reconcile(podinfo({ service: { timeout: '5s' } }), { client: kube });
  assert.deepEqual(
    JSON.parse(kube.peek(vsRef)?.metadata.annotations?.[ORIGINAL_CONFIG_ANNOTATION] ?? '{}'),
    userVs()['spec'],
  );
  await router.finalize(c, { client: kube });
  assert.deepEqual(specOf(kube.peek(vsRef)), userVs()['spec']);
});

test('finalize prefers the kubectl last-applied spec', async () => {
  const kube = new FakeKubeClient();
  const applied = { spec: { hosts: ['podinfo'], http: [{ route: [{ destination: { host: 'applied' } }] }] } };
  kube.seed(userVs({ 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(applied) }));
  await router.reconcile(podinfo(), { client: kube });
  assert.equal(kube.peek(vsRef)?.metadata.annotations?.[ORIGINAL_CONFIG_ANNOTATION], undefined);
  await router.finalize(podinfo(), { client: kube });
  assert.deepEqual(specOf(kube.peek(vsRef)), applied.spec);
});

test('finalize: no VirtualService is an error; no annotation is a no-op', async () => {
  const kube = new FakeKubeClient();
  await assert.rejects(
    router.finalize(podinfo(), { client: kube }),
    (err: unknown) => err instanceof RouterError && err.reason === 'NotFound',
  );
  await router.reconcile(podinfo(), { client: kube });
  await router.setRoutes(podinfo(), { primary: 50, canary: 50, mirrored: false }, { client: kube });
  await router.finalize(podinfo(), { client: kube });
  assert.deepEqual(await router.getRoutes(podinfo(), { client: kube }), {
    primary: 50,
    canary: 50,
    mirrored: false,
  });
});

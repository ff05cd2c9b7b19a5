import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import { modifyObject } from '../../../src/kube/ensure.js';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { isOwnedBy } from '../../../src/kube/owner.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { observerFor, resolveMetricsProvider } from '../../../src/metrics/observers/registry.js';
import { ServiceTargetAdapter, serviceSpecHash } from '../../../src/targets/service.js';

const canary: Canary = CanarySchema.parse({
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'podinfo', namespace: 'default', uid: 'uid-podinfo' },
  spec: {
    provider: 'gatewayapi:v1',
    targetRef: { apiVersion: 'v1', kind: 'Service', name: 'podinfo' },
    service: { port: 9898, trafficDistribution: 'PreferClose' },
    analysis: { interval: '1m', threshold: 5, stepWeight: 20, maxWeight: 50 },
  },
});

const target = (selector: Record<string, string>, port = 9898): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {
    name: 'podinfo',
    namespace: 'default',
    labels: { app: 'podinfo', 'team.example.com/owner': 'a' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'x' },
  },
  spec: { type: 'ClusterIP', selector, ports: [{ name: 'http', port, targetPort: port }] },
});
const ref = (name: string): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  apiVersion: 'v1',
  kind: 'Service',
  namespace: 'default',
  name,
});
const spec = (o: KubeObject | undefined): Record<string, unknown> =>
  (o?.['spec'] ?? {}) as Record<string, unknown>;

test('init: -canary and -primary are copies of the target, owned, without the kubectl record', async () => {
  const kube = new FakeKubeClient();
  kube.seed(target({ app: 'podinfo-v1' }));
  const adapter = new ServiceTargetAdapter({ client: kube });
  assert.equal(await adapter.ensurePrimary(canary), 'created');
  for (const name of ['podinfo-canary', 'podinfo-primary']) {
    const svc = kube.peek(ref(name));
    assert.ok(svc && isOwnedBy(svc, canary), name);
    assert.deepEqual(spec(svc)['selector'], { app: 'podinfo-v1' });
    assert.equal(spec(svc)['trafficDistribution'], 'PreferClose');
    assert.equal(svc.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], undefined);
    assert.notEqual(spec(svc)['clusterIP'], spec(kube.peek(ref('podinfo')))['clusterIP'], 'own address');
  }
  const obs = await adapter.observe(canary);
  assert.equal(obs.kind, 'Service');
  assert.deepEqual(obs.targetReadiness, { ready: true });
  assert.deepEqual(obs.primaryReadiness, { ready: true });
  assert.ok(obs.primaryHash !== undefined && obs.specHash !== '', 'both sides hashed');
});

test('a target change re-syncs -canary every tick but leaves -primary until promotion', async () => {
  const kube = new FakeKubeClient();
  // Created like a user would, so the API server's defaults are on the target too.
  await kube.create(target({ app: 'podinfo-v1' }));
  const adapter = new ServiceTargetAdapter({ client: kube, includeLabelPrefix: ['team.example.com'] });
  await adapter.ensurePrimary(canary);
  const ip = spec(kube.peek(ref('podinfo-canary')))['clusterIP'];
  const before = (await adapter.observe(canary)).specHash;
  await modifyObject(kube, ref('podinfo'), (o) => ({
    ...o,
    spec: { ...spec(o), selector: { app: 'podinfo-v2' } },
  }));
  assert.notEqual((await adapter.observe(canary)).specHash, before, 'new revision detected');
  assert.equal(await adapter.ensurePrimary(canary), 'exists');
  assert.deepEqual(spec(kube.peek(ref('podinfo-canary')))['selector'], { app: 'podinfo-v2' });
  assert.equal(spec(kube.peek(ref('podinfo-canary')))['clusterIP'], ip, 'clusterIP kept');
  assert.deepEqual(spec(kube.peek(ref('podinfo-primary')))['selector'], { app: 'podinfo-v1' });

  // §9.3: after promotion the primary Service selects what the target selects.
  await adapter.promote(canary);
  const primary = kube.peek(ref('podinfo-primary'));
  assert.ok(primary);
  assert.deepEqual(spec(primary)['selector'], { app: 'podinfo-v2' });
  assert.deepEqual(primary.metadata.labels, { 'team.example.com/owner': 'a' }, 'labels by include prefix');
  assert.ok(isOwnedBy(primary, canary), 'still owned');
  const obs = await adapter.observe(canary);
  kube.requests.reset();
  await adapter.promote(canary);
  assert.equal(kube.requests.count('replace'), 0, 'promoting twice writes nothing');
  assert.equal(serviceSpecHash(kube.peek(ref('podinfo')) as KubeObject), obs.specHash);
});

test('nothing scales; a missing target is TargetNotFound', async () => {
  const kube = new FakeKubeClient();
  const adapter = new ServiceTargetAdapter({ client: kube });
  assert.equal(await adapter.scaleToZero(), false);
  assert.equal(await adapter.scaleFromZero(), false);
  assert.equal(await adapter.finalize(), false);
  await assert.rejects(adapter.observe(canary), /service podinfo.default not found/);
});

test("Flagger's :service metrics suffix: prefix-matched observers keep theirs, the rest get Istio's", () => {
  const svc = { kind: 'Service', apiVersion: 'v1' };
  assert.equal(resolveMetricsProvider('gatewayapi:v1', 'istio', svc), 'gatewayapi:v1:service');
  assert.equal(observerFor('gatewayapi:v1:service').name, 'http');
  assert.equal(observerFor(resolveMetricsProvider('appmesh', 'istio', svc)).name, 'appmesh');
  assert.equal(observerFor(resolveMetricsProvider('kuma', 'istio', svc)).name, 'istio');
  assert.equal(observerFor(resolveMetricsProvider(undefined, 'kubernetes', svc)).name, 'istio');
  const knative = { kind: 'Service', apiVersion: 'serving.knative.dev/v1' };
  assert.equal(resolveMetricsProvider('knative', 'istio', knative), 'knative');
  assert.equal(
    resolveMetricsProvider('kuma', 'istio', { kind: 'Deployment', apiVersion: 'apps/v1' }),
    'kuma',
  );
});

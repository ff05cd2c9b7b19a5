import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Deployment } from '@kubernetes/client-node';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { configChecksum } from '../../../src/targets/config-tracking.js';
import { DeploymentAdapter } from '../../../src/targets/deployment.js';
import { computeTargetHash } from '../../../src/targets/hash.js';
import { TargetError } from '../../../src/targets/target.js';
import { allConfigs, configMap, kube, NS, podinfoCanary, podinfoDeployment } from './fixtures.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const depRef = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', name, namespace: NS });

function rolledOut(d: V1Deployment): V1Deployment {
  const n = d.spec?.replicas ?? 1;
  d.status = { observedGeneration: 1, replicas: n, updatedReplicas: n, availableReplicas: n };
  return d;
}

function setup(opts: { configs?: boolean } = {}) {
  const client = new FakeKubeClient({ now: () => new Date(NOW) });
  client.seed(kube(rolledOut(podinfoDeployment())));
  if (opts.configs !== false) client.seed(...allConfigs().map(kube));
  const adapter = new DeploymentAdapter({ client, now: () => NOW });
  return { client, adapter };
}

// peek returns a fresh copy, so tests may mutate what they get.
const get = (client: FakeKubeClient, name: string): V1Deployment =>
  client.peek(depRef(name)) as unknown as V1Deployment;

const flaggerId = (client: FakeKubeClient): string | undefined =>
  get(client, 'podinfo-primary').spec?.template.metadata?.annotations?.['flagger-id'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('observe reads target, primary and configs; reports hash, selector, ports, readiness', async () => {
  const { client, adapter } = setup();
  const obs = await adapter.observe(podinfoCanary());
  assert.equal(obs.primary, undefined);
  assert.equal(obs.primaryReadiness, undefined);
  assert.deepEqual(obs.selector, { label: 'app', value: 'podinfo' });
  assert.equal(obs.specHash, computeTargetHash(podinfoDeployment()));
  assert.deepEqual(obs.targetReadiness, { ready: true });
  assert.deepEqual(obs.ports, { 'http-metrics': 8080, 'tcp-podinfo-2': 8888 });
  assert.equal(Object.keys(obs.trackedConfigs).length, 10);
  assert.equal(obs.trackedConfigs['configmap/podinfo-config-env'], configChecksum({ color: 'blue' }));
  // target + primary + 11 referenced configs (one optional and absent).
  assert.equal(client.requests.count('get'), 13);
});

test('observe works from the caller’s objects without any request', async () => {
  const { client, adapter } = setup();
  const configs = new Map(allConfigs().map((o) => [`${o.kind ?? ''}/${o.metadata?.name ?? ''}`, o]));
  const known = {
    target: client.peek(depRef('podinfo')),
    primary: null,
    config: (kind: string, name: string) =>
      configs.get(`${kind === 'configmap' ? 'ConfigMap' : 'Secret'}/${name}`) ?? null,
  };
  client.requests.reset();
  const obs = await adapter.observe(podinfoCanary(), known);
  assert.equal(client.requests.total, 0);
  assert.equal(Object.keys(obs.trackedConfigs).length, 10);
});

test('observe reports target problems as TargetError', async () => {
  const { client, adapter } = setup({ configs: false });
  await assert.rejects(
    adapter.observe(podinfoCanary()),
    (e: unknown) => e instanceof TargetError && e.reason === 'ConfigNotFound',
  );
  await assert.rejects(
    adapter.observe(
      podinfoCanary({ targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope' } }),
    ),
    (e: unknown) =>
      e instanceof TargetError &&
      e.reason === 'TargetNotFound' &&
      e.message === 'deployment nope.test not found',
  );
  const d = podinfoDeployment();
  d.spec!.selector = { matchLabels: { role: 'web' } };
  client.seed(kube(d));
  await assert.rejects(adapter.observe(podinfoCanary()), {
    name: 'TargetError',
    message:
      'deployment podinfo.test spec.selector.matchLabels must contain one of [app name app.kubernetes.io/name]',
  });
  // Tracking disabled: no config reads, no error for missing ones.
  const off = new DeploymentAdapter({ client, configTracking: false });
  client.seed(kube(podinfoDeployment()));
  assert.deepEqual((await off.observe(podinfoCanary())).trackedConfigs, {});
});

test('ensurePrimary creates the primary and config copies once, never overwrites', async () => {
  const { client, adapter } = setup();
  assert.equal(await adapter.ensurePrimary(podinfoCanary()), 'created');
  const primary = get(client, 'podinfo-primary');
  assert.deepEqual(primary.spec?.selector, { matchLabels: { app: 'podinfo-primary' } });
  assert.match(primary.spec.template.metadata?.annotations?.['flagger-id'] ?? '', UUID);
  assert.equal(primary.metadata?.ownerReferences?.[0]?.uid, 'canary-uid');
  assert.equal(
    primary.spec.template.spec?.containers[0]?.envFrom?.[0]?.configMapRef?.name,
    'podinfo-config-all-primary',
  );
  const copy = client.peek({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'podinfo-config-env-primary',
    namespace: NS,
  });
  assert.deepEqual(copy?.['data'], { color: 'blue' });
  assert.equal(copy.metadata.ownerReferences?.[0]?.uid, 'canary-uid');
  assert.ok(
    client.peek({ apiVersion: 'v1', kind: 'Secret', name: 'podinfo-secret-init-primary', namespace: NS }),
  );

  primary.spec.replicas = 7;
  client.seed(kube(primary));
  client.requests.reset();
  assert.equal(await adapter.ensurePrimary(podinfoCanary()), 'exists');
  assert.equal(client.requests.count('create') + client.requests.count('replace'), 0);
  assert.equal(get(client, 'podinfo-primary').spec?.replicas, 7);
});

test('promote copies the new template and configs into the primary', async () => {
  const { client, adapter } = setup();
  await adapter.ensurePrimary(podinfoCanary());
  const created = flaggerId(client);
  const target = podinfoDeployment();
  target.spec!.template.spec!.containers[0]!.image = 'ghcr.io/stefanprodan/podinfo:6.0.1';
  client.seed(kube(target), kube(configMap('podinfo-config-env', { color: 'red' })));
  await adapter.promote(podinfoCanary());
  const primary = get(client, 'podinfo-primary');
  assert.equal(primary.spec?.template.spec?.containers[0]?.image, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  // A new revision gets a new id, so the primary's pods roll even if only config data changed.
  assert.match(flaggerId(client) ?? '', UUID);
  assert.notEqual(flaggerId(client), created);
  const copy = client.peek({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: 'podinfo-config-env-primary',
    namespace: NS,
  });
  assert.deepEqual(copy?.['data'], { color: 'red' });
});

test('promote retries once after a conflict, then gives up', async () => {
  const { client, adapter } = setup();
  await adapter.ensurePrimary(podinfoCanary());
  const conflict = {
    verb: 'replace' as const,
    kind: 'Deployment',
    name: 'podinfo-primary',
    status: { code: 409, reason: 'Conflict' },
  };
  const target = podinfoDeployment();
  target.spec!.template.spec!.containers[0]!.image = 'ghcr.io/stefanprodan/podinfo:6.0.1';
  client.seed(kube(target));
  client.fail(conflict);
  await adapter.promote(podinfoCanary());
  assert.equal(
    get(client, 'podinfo-primary').spec?.template.spec?.containers[0]?.image,
    target.spec!.template.spec!.containers[0]!.image,
  );
  target.spec!.template.spec!.containers[0]!.image = 'ghcr.io/stefanprodan/podinfo:6.0.2';
  client.seed(kube(target));
  client.fail({ ...conflict, times: 2 });
  await assert.rejects(adapter.promote(podinfoCanary()), { name: 'KubeApiError' });
});

test('promoting the same revision again (status write lost after a crash) writes nothing', async () => {
  const { client, adapter } = setup();
  await adapter.ensurePrimary(podinfoCanary());
  const target = podinfoDeployment();
  target.spec!.template.spec!.containers[0]!.image = 'ghcr.io/stefanprodan/podinfo:6.0.1';
  client.seed(kube(target));
  await adapter.promote(podinfoCanary());
  const first = get(client, 'podinfo-primary');
  client.requests.reset();
  await adapter.promote(podinfoCanary());
  assert.equal(client.requests.count('replace'), 0);
  assert.deepEqual(get(client, 'podinfo-primary').spec?.template, first.spec?.template);
  // Another operator process computes the same id for the same revision.
  const other = new DeploymentAdapter({ client, now: () => NOW });
  await other.promote(podinfoCanary());
  assert.equal(client.requests.count('replace'), 0);
});

test('promote without a primary is a TargetError', async () => {
  const { adapter } = setup();
  await assert.rejects(adapter.promote(podinfoCanary()), { name: 'TargetError', reason: 'PrimaryNotFound' });
});

test('scaleToZero patches replicas once', async () => {
  const { client, adapter } = setup();
  assert.equal(await adapter.scaleToZero(podinfoCanary()), true);
  assert.equal(get(client, 'podinfo').spec?.replicas, 0);
  client.requests.reset();
  assert.equal(await adapter.scaleToZero(podinfoCanary()), false);
  assert.equal(client.requests.count('patch'), 0);
});

test('scaleFromZero: target count, else primary count, else autoscaler minimum, else 1', async () => {
  const { client, adapter } = setup();
  assert.equal(await adapter.scaleFromZero(podinfoCanary()), false);
  await adapter.ensurePrimary(podinfoCanary());
  const primary = get(client, 'podinfo-primary');
  primary.spec!.replicas = 4;
  client.seed(kube(primary));
  await adapter.scaleToZero(podinfoCanary());
  assert.equal(await adapter.scaleFromZero(podinfoCanary()), true);
  assert.equal(get(client, 'podinfo').spec?.replicas, 4);

  const withHpa = podinfoCanary({
    autoscalerRef: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: 'podinfo' },
  });
  await adapter.scaleToZero(withHpa);
  await adapter.scaleFromZero(withHpa);
  assert.equal(get(client, 'podinfo').spec?.replicas, 1, 'unreadable HPA falls back to 1');
  client.seed(
    kube({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'podinfo', namespace: NS },
      spec: { minReplicas: 3, maxReplicas: 5 },
    }),
  );
  await adapter.scaleToZero(withHpa);
  await adapter.scaleFromZero(withHpa);
  assert.equal(get(client, 'podinfo').spec?.replicas, 3);
});

test('finalize restores the primary’s replica count on the target', async () => {
  const { client, adapter } = setup();
  // No primary: scale from zero (1 without autoscaler or primary).
  await adapter.scaleToZero(podinfoCanary());
  assert.equal(await adapter.finalize(podinfoCanary()), true);
  assert.equal(get(client, 'podinfo').spec?.replicas, 1);

  await adapter.ensurePrimary(podinfoCanary());
  await adapter.scaleToZero(podinfoCanary());
  assert.equal(await adapter.finalize(podinfoCanary()), true);
  assert.equal(get(client, 'podinfo').spec?.replicas, get(client, 'podinfo-primary').spec?.replicas);
  client.requests.reset();
  assert.equal(await adapter.finalize(podinfoCanary()), false);
  assert.equal(client.requests.count('patch'), 0);
});

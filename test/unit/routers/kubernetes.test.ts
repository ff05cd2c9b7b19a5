import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { isOwnedBy } from '../../../src/kube/owner.js';
import type { KubeObject } from '../../../src/kube/types.js';
import {
  desiredService,
  ensureApexService,
  ensureCanaryServices,
  finalizeApexService,
  servicePorts,
} from '../../../src/routers/kubernetes.js';
import { TOOLKIT_ANNOTATIONS } from '../../../src/routers/shared/metadata.js';
import { inputs, must, podinfo, specOf, svcRef } from './fixtures.js';

const portSummary = (obj: KubeObject | undefined): string[] =>
  (specOf(obj)['ports'] as { name: string; port: number; targetPort: unknown }[]).map(
    (p) => `${p.name} ${String(p.port)}->${String(p.targetPort)}`,
  );

test('canary and primary Services select the target and primary pods', () => {
  const c = podinfo();
  assert.deepEqual(specOf(desiredService(c, 'canary', inputs()))['selector'], { app: 'podinfo' });
  assert.deepEqual(specOf(desiredService(c, 'primary', inputs()))['selector'], { app: 'podinfo-primary' });
  const apex = desiredService(c, 'apex', inputs());
  assert.equal(apex.metadata.name, 'podinfo');
  assert.deepEqual(specOf(apex)['selector'], { app: 'podinfo-primary' });
  assert.equal(specOf(apex)['type'], 'ClusterIP');
});

test('Create: appProtocol, port name http, 9898, headless None on canary and primary', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { appProtocol: 'http', headless: true } });
  await ensureCanaryServices(c, inputs(), { client: kube });
  for (const name of ['podinfo-canary', 'podinfo-primary']) {
    const spec = specOf(kube.peek(svcRef(name)));
    assert.equal(spec['clusterIP'], 'None');
    assert.deepEqual(spec['ports'], [
      { name: 'http', protocol: 'TCP', port: 9898, targetPort: 9898, appProtocol: 'http' },
    ]);
  }
});

test('TrafficDistribution is set on canary, primary and apex', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { trafficDistribution: 'PreferClose' } });
  await ensureCanaryServices(c, inputs(), { client: kube });
  await ensureApexService(c, inputs(), { client: kube });
  for (const name of ['podinfo', 'podinfo-canary', 'podinfo-primary']) {
    assert.equal(specOf(kube.peek(svcRef(name)))['trafficDistribution'], 'PreferClose');
  }
});

test('PortDiscovery: exactly http 9898, http-metrics 8080, tcp-podinfo-2 8888', () => {
  const discovered = { 'tcp-podinfo-2': 8888, 'http-metrics': 8080 };
  assert.deepEqual(portSummary(desiredService(podinfo(), 'canary', inputs(discovered))), [
    'http 9898->9898',
    'http-metrics 8080->8080',
    'tcp-podinfo-2 8888->8888',
  ]);
});

test('TargetPortNumber: port 80 targetPort 9898 gives http 80, http-metrics 8080, tcp-podinfo-2 8888', () => {
  const c = podinfo({ service: { port: 80, targetPort: 9898 } });
  const ports = servicePorts(c, { 'http-metrics': 8080, 'tcp-podinfo-2': 8888 });
  assert.deepEqual(
    ports.map((p) => [p.name, p.port, p.targetPort]),
    [
      ['http', 80, 9898],
      ['http-metrics', 8080, 8080],
      ['tcp-podinfo-2', 8888, 8888],
    ],
  );
});

test('TargetPortName: port 8080 targetPort http gives http 8080, http-metrics 8080, tcp-podinfo-2 8888', () => {
  const c = podinfo({ service: { port: 8080, targetPort: 'http' } });
  const ports = servicePorts(c, { 'http-metrics': 8080, 'tcp-podinfo-2': 8888 });
  assert.deepEqual(
    ports.map((p) => [p.name, p.port, p.targetPort]),
    [
      ['http', 8080, 'http'],
      ['http-metrics', 8080, 8080],
      ['tcp-podinfo-2', 8888, 8888],
    ],
  );
});

test('an up-to-date Service is not written again', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { portDiscovery: true } });
  await ensureCanaryServices(c, inputs({ 'http-metrics': 8080 }), { client: kube });
  kube.requests.reset();
  const res = await ensureCanaryServices(c, inputs({ 'http-metrics': 8080 }), { client: kube });
  assert.equal(res.canary.action, 'unchanged');
  assert.equal(res.primary.action, 'unchanged');
  assert.equal(kube.requests.total, 2, 'one get per Service, no writes');
});

test('Update: a portName change to grpc is applied; clusterIP is kept', async () => {
  const kube = new FakeKubeClient();
  await ensureCanaryServices(podinfo(), inputs(), { client: kube });
  const ip = specOf(kube.peek(svcRef('podinfo-canary')))['clusterIP'];
  const res = await ensureCanaryServices(podinfo({ service: { portName: 'grpc' } }), inputs(), {
    client: kube,
  });
  assert.equal(res.canary.action, 'updated');
  const spec = specOf(kube.peek(svcRef('podinfo-canary')));
  assert.equal((spec['ports'] as { name: string }[])[0]?.name, 'grpc');
  assert.equal(spec['clusterIP'], ip);
});

test('Undo: manual edits of ports and selector are reverted', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await ensureCanaryServices(c, inputs(), { client: kube });
  const live = kube.peek(svcRef('podinfo-primary'));
  assert.ok(live);
  await kube.replace({
    ...live,
    spec: { ...specOf(live), selector: { app: 'other' }, ports: [{ name: 'x', port: 1, protocol: 'TCP' }] },
  });
  await ensureCanaryServices(c, inputs(), { client: kube });
  const spec = specOf(kube.peek(svcRef('podinfo-primary')));
  assert.deepEqual(spec['selector'], { app: 'podinfo-primary' });
  assert.deepEqual(portSummary(kube.peek(svcRef('podinfo-primary'))), ['http 9898->9898']);
});

test('a pre-existing NodePort apex keeps type, nodePort and labels; ports and selector converge', async () => {
  const kube = new FakeKubeClient();
  kube.seed({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'podinfo', namespace: 'default', labels: { team: 'a' } },
    spec: {
      type: 'NodePort',
      clusterIP: '10.0.0.10',
      selector: { app: 'podinfo' },
      ports: [{ name: 'http', port: 9898, targetPort: 9898, protocol: 'TCP', nodePort: 31000 }],
    },
  });
  const res = await ensureApexService(podinfo({ service: { apex: { labels: { x: 'y' } } } }), inputs(), {
    client: kube,
  });
  assert.equal(res.action, 'updated');
  const live = must(kube.peek(svcRef('podinfo')));
  const spec = specOf(live);
  assert.equal(spec['type'], 'NodePort');
  assert.equal(spec['clusterIP'], '10.0.0.10');
  assert.deepEqual(spec['selector'], { app: 'podinfo-primary' });
  assert.equal((spec['ports'] as { nodePort: number }[])[0]?.nodePort, 31000);
  assert.deepEqual(live.metadata.labels, { team: 'a' }, 'unowned: metadata untouched');
  assert.equal(live.metadata.ownerReferences, undefined);
});

test('InitializeMetadata: custom metadata plus app label; primary gets exactly the toolkit annotations', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { canary: { labels: { l: 'c' }, annotations: { a: 'c' } } } });
  await ensureCanaryServices(c, inputs(), { client: kube });
  const canarySvc = must(kube.peek(svcRef('podinfo-canary')));
  assert.deepEqual(canarySvc.metadata.labels, { l: 'c', app: 'podinfo-canary' });
  assert.deepEqual(canarySvc.metadata.annotations, { a: 'c', ...TOOLKIT_ANNOTATIONS });
  const primarySvc = must(kube.peek(svcRef('podinfo-primary')));
  assert.deepEqual(primarySvc.metadata.labels, { app: 'podinfo-primary' });
  assert.deepEqual(primarySvc.metadata.annotations, TOOLKIT_ANNOTATIONS);
  assert.ok(isOwnedBy(primarySvc, c));
});

test('ReconcileMetadata: apex metadata is applied and later changes are reconciled', async () => {
  const kube = new FakeKubeClient();
  const v1 = podinfo({ service: { apex: { labels: { v: '1' }, annotations: { a: '1' } } } });
  await ensureApexService(v1, inputs(), { client: kube });
  assert.deepEqual(kube.peek(svcRef('podinfo'))?.metadata.labels, { v: '1', app: 'podinfo' });
  const v2 = podinfo({ service: { apex: { labels: { v: '2' }, annotations: { b: '2' } } } });
  await ensureApexService(v2, inputs(), { client: kube });
  const live = must(kube.peek(svcRef('podinfo')));
  assert.deepEqual(live.metadata.labels, { v: '2', app: 'podinfo' });
  assert.deepEqual(live.metadata.annotations, { b: '2', ...TOOLKIT_ANNOTATIONS });
});

test('UnmanagedMetadata: unmanaged keys keep live values, managed reset, unknown removed', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({
    service: {
      canary: { labels: { managed: 'm' }, annotations: { managed: 'm', keep: 'desired' } },
      unmanagedMetadata: { annotations: ['keep'], labels: ['keep-label'] },
    },
  });
  await ensureCanaryServices(c, inputs(), { client: kube });
  await kube.mergePatch(svcRef('podinfo-canary'), {
    metadata: {
      labels: { managed: 'edited', 'keep-label': 'live', stray: 's' },
      annotations: { managed: 'edited', keep: 'live', stray: 's' },
    },
  });
  await ensureCanaryServices(c, inputs(), { client: kube });
  const live = must(kube.peek(svcRef('podinfo-canary')));
  assert.deepEqual(live.metadata.labels, { managed: 'm', app: 'podinfo-canary', 'keep-label': 'live' });
  assert.deepEqual(live.metadata.annotations, { managed: 'm', keep: 'live', ...TOOLKIT_ANNOTATIONS });
});

test('Finalize: an unowned apex gets the target selector back, or the kubectl-applied one', async () => {
  const apex = (annotations: Record<string, string> = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'podinfo', namespace: 'default', annotations },
    spec: { selector: { app: 'podinfo-primary' }, ports: [{ name: 'http', port: 9898 }] },
  });
  const plain = new FakeKubeClient();
  plain.seed(apex());
  await finalizeApexService(podinfo(), inputs(), { client: plain });
  assert.deepEqual(specOf(plain.peek(svcRef('podinfo')))['selector'], { app: 'podinfo' });

  const applied = new FakeKubeClient();
  const lastApplied = JSON.stringify({ spec: { selector: { app: 'podinfo', tier: 'web' } } });
  applied.seed(apex({ 'kubectl.kubernetes.io/last-applied-configuration': lastApplied }));
  await finalizeApexService(podinfo(), inputs(), { client: applied });
  assert.deepEqual(specOf(applied.peek(svcRef('podinfo')))['selector'], { app: 'podinfo', tier: 'web' });
});

test('Finalize leaves Services owned by a Canary alone', async () => {
  const kube = new FakeKubeClient();
  await ensureApexService(podinfo(), inputs(), { client: kube });
  kube.requests.reset();
  assert.equal(await finalizeApexService(podinfo(), inputs(), { client: kube }), undefined);
  assert.deepEqual(specOf(kube.peek(svcRef('podinfo')))['selector'], { app: 'podinfo-primary' });
  assert.equal(kube.requests.total, 1);
});

test('isOwnedBy: controller reference to a Canary of that name only', () => {
  const c = podinfo();
  const owned = (refs: NonNullable<KubeObject['metadata']['ownerReferences']>): boolean =>
    isOwnedBy({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's', ownerReferences: refs } }, c);
  const ref = {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    name: 'podinfo',
    uid: 'u',
    controller: true,
  };
  assert.equal(owned([ref]), true);
  assert.equal(owned([{ ...ref, name: 'other' }]), false);
  assert.equal(owned([{ ...ref, kind: 'Deployment', apiVersion: 'apps/v1' }]), false);
  assert.equal(owned([{ ...ref, controller: false }]), false);
  assert.equal(owned([]), false);
});

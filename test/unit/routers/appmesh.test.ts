import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { isOwnedBy } from '../../../src/kube/owner.js';
import { createAppMeshRouter } from '../../../src/routers/appmesh.js';
import { RouterError } from '../../../src/routers/router.js';
import { must, podinfo, specOf } from './fixtures.js';
import { dig } from './mesh-json.js';

const router = createAppMeshRouter();
const ref = (
  kind: string,
  name: string,
): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  apiVersion: 'appmesh.k8s.aws/v1beta1',
  kind,
  namespace: 'default',
  name,
});

const mesh = (service: Record<string, unknown> = {}, analysis: Record<string, unknown> = {}) =>
  podinfo({ service: { meshName: 'global', backends: ['backend.test'], ...service }, analysis });

test('reconcile: 3 VirtualNodes, apex and canary VirtualServices with meshName and weighted targets', async () => {
  const kube = new FakeKubeClient();
  const c = mesh();
  c.metadata.annotations = { 'appmesh.flagger.app/accesslog': 'enabled' };
  await router.reconcile(c, { client: kube });
  for (const name of ['podinfo', 'podinfo-primary', 'podinfo-canary']) {
    const vn = must(kube.peek(ref('VirtualNode', name)), name);
    assert.ok(isOwnedBy(vn, c));
    assert.equal(specOf(vn)['meshName'], 'global');
    assert.deepEqual(specOf(vn)['backends'], [{ virtualService: { virtualServiceName: 'backend.test' } }]);
    assert.deepEqual(specOf(vn)['logging'], { accessLog: { file: { path: '/dev/stdout' } } });
    assert.deepEqual(specOf(vn)['listeners'], [{ portMapping: { port: 9898, protocol: 'http' } }]);
  }
  const hosts = (name: string): unknown =>
    dig(specOf(kube.peek(ref('VirtualNode', name))), 'serviceDiscovery.dns.hostName');
  assert.equal(hosts('podinfo'), 'podinfo-primary.default');
  assert.equal(hosts('podinfo-primary'), 'podinfo-primary.default');
  assert.equal(hosts('podinfo-canary'), 'podinfo-canary.default');

  const apex = specOf(kube.peek(ref('VirtualService', 'podinfo.default')));
  assert.equal(dig(apex, 'meshName'), 'global');
  assert.equal(dig(apex, 'virtualRouter.name'), 'podinfo');
  assert.equal(dig(apex, 'routes.0.http.match.prefix'), '/');
  assert.deepEqual(dig(apex, 'routes.0.http.action.weightedTargets'), [
    { virtualNodeName: 'podinfo-canary', weight: 0 },
    { virtualNodeName: 'podinfo-primary', weight: 100 },
  ]);
  const canaryVs = specOf(kube.peek(ref('VirtualService', 'podinfo-canary.default')));
  assert.equal(dig(canaryVs, 'virtualRouter.name'), 'podinfo-canary');
  assert.deepEqual(dig(canaryVs, 'routes.0.http.action.weightedTargets'), [
    { virtualNodeName: 'podinfo-canary', weight: 100 },
    { virtualNodeName: 'podinfo-primary', weight: 0 },
  ]);
});

test('GetRoutes/SetRoutes 60/40; a weight update survives reconcile', async () => {
  const kube = new FakeKubeClient();
  const c = mesh();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 60, canary: 40, mirrored: false }, { client: kube });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 60, canary: 40, mirrored: false });
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  const withRetries = mesh({
    retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,client-error' },
  });
  await router.reconcile(withRetries, { client: kube });
  const apex = specOf(kube.peek(ref('VirtualService', 'podinfo.default')));
  assert.deepEqual(dig(apex, 'routes.0.http.retryPolicy'), {
    perRetryTimeoutMillis: 5000,
    maxRetries: 3,
    httpRetryEvents: ['gateway-error', 'client-error'],
  });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 60, canary: 40, mirrored: false });
});

test('A/B: route -a matches header x-user-type exact test, route -b sends everything to the primary', async () => {
  const kube = new FakeKubeClient();
  const c = mesh({}, { iterations: 10, match: [{ headers: { 'x-user-type': { exact: 'test' } } }] });
  await router.reconcile(c, { client: kube });
  const routes = dig(specOf(kube.peek(ref('VirtualService', 'podinfo.default'))), 'routes');
  assert.equal((routes as unknown[]).length, 2);
  assert.equal(dig(routes, '0.name'), 'podinfo-a');
  assert.equal(dig(routes, '0.priority'), 10);
  assert.deepEqual(dig(routes, '0.http.match.headers'), [{ name: 'x-user-type', match: { exact: 'test' } }]);
  assert.equal(dig(routes, '1.name'), 'podinfo-b');
  assert.deepEqual(dig(routes, '1.http.action.weightedTargets'), [
    { virtualNodeName: 'podinfo-primary', weight: 100 },
  ]);
  await router.setRoutes(c, { primary: 0, canary: 100, mirrored: false }, { client: kube });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 0, canary: 100, mirrored: false });
});

test('gateway annotations on the apex VirtualService when hosts are set', async () => {
  const kube = new FakeKubeClient();
  const c = mesh({ hosts: ['example.com', 'www.example.com'], timeout: '25s', retries: { attempts: 5 } });
  await router.reconcile(c, { client: kube });
  assert.deepEqual(kube.peek(ref('VirtualService', 'podinfo.default'))?.metadata.annotations, {
    'gateway.appmesh.k8s.aws/expose': 'true',
    'gateway.appmesh.k8s.aws/domain': 'example.com,www.example.com,',
    'gateway.appmesh.k8s.aws/timeout': '25s',
    'gateway.appmesh.k8s.aws/retries': '5',
  });
  assert.equal(kube.peek(ref('VirtualService', 'podinfo-canary.default'))?.metadata.annotations, undefined);
});

test('grpc port names give grpc listeners; an empty meshName is an InvalidSpec error before any write', async () => {
  const kube = new FakeKubeClient();
  await router.reconcile(mesh({ portName: 'grpc-web' }), { client: kube });
  assert.equal(
    dig(specOf(kube.peek(ref('VirtualNode', 'podinfo'))), 'listeners.0.portMapping.protocol'),
    'grpc',
  );
  const empty = new FakeKubeClient();
  await assert.rejects(
    router.reconcile(podinfo(), { client: empty }),
    (err: unknown) =>
      err instanceof RouterError && err.reason === 'InvalidSpec' && /mesh name/.test(err.message),
  );
  assert.equal(empty.requests.count('create'), 0);
});

test('App Mesh routers are reconciled before the primary exists (sidecar injection needs the VirtualNode)', () => {
  assert.equal(createAppMeshRouter().capabilities.reconcileBeforePrimary, true);
  assert.equal(createAppMeshRouter().capabilities.headerMatching, true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { modifyObject } from '../../../src/kube/ensure.js';
import { createAppMeshV1beta2Router } from '../../../src/routers/appmesh-v1beta2.js';
import { must, podinfo, specOf } from './fixtures.js';
import { dig } from './mesh-json.js';

const router = createAppMeshV1beta2Router();
const ref = (
  kind: string,
  name: string,
): { apiVersion: string; kind: string; namespace: string; name: string } => ({
  apiVersion: 'appmesh.k8s.aws/v1beta2',
  kind,
  namespace: 'default',
  name,
});

const canary = (service: Record<string, unknown> = {}, analysis: Record<string, unknown> = {}) =>
  podinfo({
    service: {
      port: 80,
      targetPort: 9898,
      timeout: '30s',
      backends: [
        'backend1',
        'arn:aws:appmesh:eu-west-1:12345678910:mesh/my-mesh/virtualService/backend2',
        'backend3',
      ],
      ...service,
    },
    analysis,
  });

test('reconcile: primary/canary VirtualNodes with podSelector, DNS, timeouts, ARN and named backends', async () => {
  const kube = new FakeKubeClient();
  await router.reconcile(canary(), { client: kube, selectorLabel: 'app' });
  const primary = specOf(kube.peek(ref('VirtualNode', 'podinfo-primary')));
  assert.deepEqual(dig(primary, 'podSelector'), { matchLabels: { app: 'podinfo-primary' } });
  assert.equal(dig(primary, 'serviceDiscovery.dns.hostname'), 'podinfo-primary.default.svc.cluster.local.');
  assert.deepEqual(dig(primary, 'listeners'), [
    {
      portMapping: { port: 9898, protocol: 'http' },
      timeout: { http: { perRequest: { unit: 'ms', value: 30000 } } },
    },
  ]);
  assert.equal((dig(primary, 'backends') as unknown[]).length, 3);
  assert.deepEqual(dig(primary, 'backends.1'), {
    virtualService: {
      virtualServiceARN: 'arn:aws:appmesh:eu-west-1:12345678910:mesh/my-mesh/virtualService/backend2',
    },
  });
  assert.deepEqual(dig(primary, 'backends.0'), {
    virtualService: { virtualServiceRef: { name: 'backend1' } },
  });
  const canaryNode = specOf(kube.peek(ref('VirtualNode', 'podinfo-canary')));
  assert.deepEqual(dig(canaryNode, 'podSelector'), { matchLabels: { app: 'podinfo' } });
  assert.equal(kube.peek(ref('VirtualNode', 'podinfo')), undefined);

  const vr = specOf(kube.peek(ref('VirtualRouter', 'podinfo')));
  assert.equal(dig(vr, 'routes.0.httpRoute.match.prefix'), '/');
  assert.deepEqual(dig(vr, 'routes.0.httpRoute.timeout'), { perRequest: { unit: 'ms', value: 30000 } });
  assert.deepEqual(dig(vr, 'routes.0.httpRoute.action.weightedTargets'), [
    { virtualNodeRef: { name: 'podinfo-canary' }, weight: 0 },
    { virtualNodeRef: { name: 'podinfo-primary' }, weight: 100 },
  ]);
  for (const name of ['podinfo', 'podinfo-canary']) {
    const vs = must(kube.peek(ref('VirtualService', name)), name);
    assert.deepEqual(specOf(vs), { provider: { virtualRouter: { virtualRouterRef: { name } } } });
  }
});

test('GetRoutes/SetRoutes 60/40; awsName and meshRef set by the controller survive reconcile', async () => {
  const kube = new FakeKubeClient();
  const c = canary();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 60, canary: 40, mirrored: false }, { client: kube });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 60, canary: 40, mirrored: false });
  const meshRef = { name: 'global', uid: 'u-1' };
  for (const [kind, name] of [
    ['VirtualRouter', 'podinfo'],
    ['VirtualNode', 'podinfo-primary'],
  ] as const) {
    await modifyObject(kube, ref(kind, name), (o) => ({
      ...o,
      spec: { ...(o['spec'] as object), awsName: `${name}_default`, meshRef },
    }));
  }
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  // A real change (new timeout) is written, keeping weights and the controller's fields.
  await router.reconcile(canary({ timeout: '10s' }), { client: kube });
  const vr = specOf(kube.peek(ref('VirtualRouter', 'podinfo')));
  assert.equal(dig(vr, 'awsName'), 'podinfo_default');
  assert.deepEqual(dig(vr, 'meshRef'), meshRef);
  assert.deepEqual(dig(vr, 'routes.0.httpRoute.timeout'), { perRequest: { unit: 'ms', value: 10000 } });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 60, canary: 40, mirrored: false });
  assert.equal(
    dig(specOf(kube.peek(ref('VirtualNode', 'podinfo-primary'))), 'awsName'),
    'podinfo-primary_default',
  );
});

test('A/B header match on route -a; gateway annotations on the apex VirtualService', async () => {
  const kube = new FakeKubeClient();
  const c = canary(
    { hosts: ['example.com'], retries: { attempts: 2 } },
    { iterations: 10, match: [{ headers: { 'x-user-type': { regex: '^test$' } } }] },
  );
  await router.reconcile(c, { client: kube });
  const routes = dig(specOf(kube.peek(ref('VirtualRouter', 'podinfo'))), 'routes');
  assert.deepEqual(dig(routes, '0.httpRoute.match.headers'), [
    { name: 'x-user-type', match: { regex: '^test$' } },
  ]);
  assert.deepEqual(dig(routes, '0.httpRoute.retryPolicy'), {
    perRetryTimeout: { unit: 'ms', value: 250 },
    maxRetries: 2,
    httpRetryEvents: ['gateway-error'],
  });
  assert.equal(dig(routes, '1.name'), 'podinfo-b');
  assert.deepEqual(kube.peek(ref('VirtualService', 'podinfo'))?.metadata.annotations, {
    'gateway.appmesh.k8s.aws/expose': 'true',
    'gateway.appmesh.k8s.aws/domain': 'example.com,',
    'gateway.appmesh.k8s.aws/timeout': '30s',
    'gateway.appmesh.k8s.aws/retries': '2',
  });
});

test('v1beta2 is reconciled before the primary too, and selects pods by the target selector label', async () => {
  assert.equal(router.capabilities.reconcileBeforePrimary, true);
  const kube = new FakeKubeClient();
  await router.reconcile(canary(), { client: kube, selectorLabel: 'app.kubernetes.io/name' });
  assert.deepEqual(dig(specOf(kube.peek(ref('VirtualNode', 'podinfo-canary'))), 'podSelector'), {
    matchLabels: { 'app.kubernetes.io/name': 'podinfo' },
  });
});

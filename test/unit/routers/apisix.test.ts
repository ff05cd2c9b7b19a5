import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { apisixCanaryRouteRef, createApisixRouter } from '../../../src/routers/apisix.js';
import { must, podinfo, specOf } from './fixtures.js';

const router = createApisixRouter();
const canary = (): ReturnType<typeof podinfo> => {
  const c = podinfo();
  c.spec.routeRef = { apiVersion: 'apisix.apache.org/v2', kind: 'ApisixRoute', name: 'podinfo' };
  return c;
};
const source = (backends: unknown[]): KubeObject => ({
  apiVersion: 'apisix.apache.org/v2',
  kind: 'ApisixRoute',
  metadata: { name: 'podinfo', namespace: 'default', labels: { app: 'podinfo' }, annotations: { a: 'b' } },
  spec: {
    http: [
      { name: 'other', match: { paths: ['/other'] }, backends: [{ serviceName: 'other', servicePort: 80 }] },
      { name: 'method', match: { paths: ['/*'], hosts: ['app.example.com'] }, backends },
    ],
  },
});

test('reconcile: ApisixRoute podinfo-podinfo-canary with only the apex route, priority 10000, 2 backends at 100/0', async () => {
  const kube = new FakeKubeClient();
  kube.seed(source([{ serviceName: 'podinfo', servicePort: 80, resolveGranularity: 'service' }]));
  const c = canary();
  await router.reconcile(c, { client: kube });
  const route = must(kube.peek(apisixCanaryRouteRef(c)));
  assert.equal(route.metadata.name, 'podinfo-podinfo-canary');
  assert.deepEqual(route.metadata.labels, { app: 'podinfo' });
  assert.deepEqual(route.metadata.annotations, { a: 'b' });
  assert.deepEqual(specOf(route), {
    http: [
      {
        name: 'method',
        match: { paths: ['/*'], hosts: ['app.example.com'] },
        priority: 10000,
        backends: [
          { serviceName: 'podinfo-primary', servicePort: 80, resolveGranularity: 'service', weight: 100 },
          { serviceName: 'podinfo-canary', servicePort: 80, weight: 0, resolveGranularity: 'service' },
        ],
      },
    ],
  });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('routes: 50/50 after setRoutes, kept by reconcile; 0/0 refused', async () => {
  const kube = new FakeKubeClient();
  kube.seed(source([{ serviceName: 'podinfo', servicePort: 80 }]));
  const c = canary();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 50, canary: 50, mirrored: false }, { client: kube });
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 50, canary: 50, mirrored: false });
  await assert.rejects(router.setRoutes(c, { primary: 0, canary: 0, mirrored: false }, { client: kube }), {
    message: 'RoutingRule podinfo.default update failed: no valid weights',
  });
});

test('errors: no routeRef, two backends, no apex backend', async () => {
  const kube = new FakeKubeClient();
  await assert.rejects(router.reconcile(podinfo(), { client: kube }), {
    message: 'apisix route selector is empty',
  });
  kube.seed(
    source([
      { serviceName: 'podinfo', servicePort: 80 },
      { serviceName: 'x', servicePort: 80 },
    ]),
  );
  await assert.rejects(router.reconcile(canary(), { client: kube }), {
    message: "APISIX route podinfo.default's http route method only one http backend is supported",
  });
  kube.seed(source([{ serviceName: 'x', servicePort: 80 }]));
  await assert.rejects(router.reconcile(canary(), { client: kube }), {
    message: 'Can not find podinfo backend on apisix route podinfo.default ',
  });
});

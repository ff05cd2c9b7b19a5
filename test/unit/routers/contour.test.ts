import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { createContourRouter, desiredHttpProxy, httpProxyRef } from '../../../src/routers/contour.js';
import { must, podinfo, specOf } from './fixtures.js';

const router = createContourRouter();
const l5d = (name: string): Record<string, unknown> => ({
  set: [{ name: 'l5d-dst-override', value: `${name}.default.svc.cluster.local:9898` }],
});
const services = (p: number, c: number): unknown[] => [
  { name: 'podinfo-primary', port: 9898, weight: p, requestHeadersPolicy: l5d('podinfo-primary') },
  { name: 'podinfo-canary', port: 9898, weight: c, requestHeadersPolicy: l5d('podinfo-canary') },
];

test('reconcile: HTTPProxy with one route at 100/0, prefix, timeout, retries, ingressClassName', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({
    service: {
      match: [{ uri: { prefix: '/podinfo' } }],
      timeout: '1m',
      retries: { attempts: 10, perTryTimeout: '5s', retryOn: 'connect-failure,gateway-error' },
    },
  });
  await router.reconcile(c, { client: kube, ingressClass: 'contour' });
  const proxy = must(kube.peek(httpProxyRef(c)));
  assert.equal(proxy.apiVersion, 'projectcontour.io/v1');
  assert.deepEqual(specOf(proxy), {
    ingressClassName: 'contour',
    routes: [
      {
        conditions: [{ prefix: '/podinfo' }],
        timeoutPolicy: { response: '1m', idle: '5m' },
        retryPolicy: { count: 10, perTryTimeout: '5s', retryOn: ['connect-failure', 'gateway-error'] },
        services: services(100, 0),
      },
    ],
  });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('routes: 50/50 round-trips and reconcile does not write', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 50, canary: 50, mirrored: false }, { client: kube });
  assert.deepEqual(
    (specOf(kube.peek(httpProxyRef(c))) as { routes: { services: unknown }[] }).routes[0]?.services,
    services(50, 50),
  );
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 50, canary: 50, mirrored: false });
});

test('A/B: header conditions (exact; prefix and suffix as contains) on the weighted route, default route all primary', () => {
  const c = podinfo({
    analysis: {
      iterations: 10,
      match: [
        { headers: { 'x-canary': { exact: 'insider' } } },
        { headers: { 'user-agent': { prefix: 'Mozilla' } } },
      ],
    },
  });
  const spec = specOf(desiredHttpProxy(c, { primary: 0, canary: 100, mirrored: false }));
  assert.deepEqual(spec, {
    routes: [
      {
        conditions: [
          { prefix: '/', header: { name: 'x-canary', exact: 'insider' } },
          { prefix: '/', header: { name: 'user-agent', contains: 'Mozilla' } },
        ],
        services: services(0, 100),
      },
      { conditions: [{ prefix: '/' }], services: services(100, 0) },
    ],
  });
});

test('errors: 0/0 refused; a proxy with one service is malformed', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  await assert.rejects(router.setRoutes(c, { primary: 0, canary: 0, mirrored: false }, { client: kube }), {
    message: 'HTTPProxy podinfo.default update failed: no valid weights',
  });
  const live = must(kube.peek(httpProxyRef(c)));
  await kube.replace({
    ...live,
    spec: { routes: [{ services: [{ name: 'podinfo-primary', port: 9898 }] }] },
  });
  await assert.rejects(router.getRoutes(c, { client: kube }), {
    message: 'HTTPProxy podinfo.default services not found',
  });
});

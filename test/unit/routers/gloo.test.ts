import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createGlooRouter, routeTableRef, upstreamName } from '../../../src/routers/gloo.js';
import { TOOLKIT_ANNOTATIONS } from '../../../src/routers/shared/metadata.js';
import { must, podinfo, specOf, svcRef } from './fixtures.js';

const router = createGlooRouter();
const service = (name: string, app: string): KubeObject => ({
  ...svcRef(name),
  metadata: { name, namespace: 'default' },
  spec: { selector: { app }, ports: [{ port: 9898 }] },
});
const upstreamRef = (
  c: ReturnType<typeof podinfo>,
  name: string,
): { apiVersion: string; kind: string; name: string; namespace: string } => ({
  apiVersion: 'gloo.solo.io/v1',
  kind: 'Upstream',
  name: upstreamName(c, name === 'primary' ? 'primary' : 'canary'),
  namespace: 'default',
});
const seeded = (): FakeKubeClient => {
  const kube = new FakeKubeClient();
  kube.seed(service('podinfo-primary', 'podinfo-primary'), service('podinfo-canary', 'podinfo'));
  return kube;
};
const destination = (name: string, weight: number): Record<string, unknown> => ({
  destination: { upstream: { name, namespace: 'default' } },
  ...(weight === 0 ? {} : { weight }),
});

test('reconcile: two Upstreams for the Services, RouteTable with 2 destinations at 100/0', async () => {
  const kube = seeded();
  const c = podinfo();
  await router.reconcile(c, { client: kube });
  const primary = must(kube.peek(upstreamRef(c, 'primary')));
  assert.equal(primary.metadata.name, 'default-podinfo-primaryupstream-9898');
  assert.deepEqual(specOf(primary), {
    kube: {
      serviceName: 'podinfo-primary',
      serviceNamespace: 'default',
      servicePort: 9898,
      selector: { app: 'podinfo-primary' },
    },
  });
  const rt = must(kube.peek(routeTableRef(c)));
  assert.deepEqual(rt.metadata.annotations, TOOLKIT_ANNOTATIONS);
  assert.deepEqual(specOf(rt), {
    routes: [
      {
        inheritablePathMatchers: true,
        routeAction: {
          multi: {
            destinations: [
              destination('default-podinfo-primaryupstream-9898', 100),
              destination('default-podinfo-canaryupstream-9898', 0),
            ],
          },
        },
      },
    ],
  });
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
});

test('A/B matchers (exact, regex, method) and weights round-trip; 0/0 refused', async () => {
  const kube = seeded();
  const c = podinfo({
    analysis: {
      iterations: 10,
      match: [
        { headers: { 'x-user-type': { exact: 'test' }, 'x-re': { regex: '^a' } }, method: { exact: 'GET' } },
      ],
    },
  });
  await router.reconcile(c, { client: kube });
  await router.setRoutes(c, { primary: 30, canary: 70, mirrored: false }, { client: kube });
  await router.reconcile(c, { client: kube });
  const route = (specOf(kube.peek(routeTableRef(c))) as { routes: Record<string, unknown>[] }).routes[0];
  assert.deepEqual(route?.['matchers'], [
    {
      headers: [
        { name: 'x-user-type', value: 'test' },
        { name: 'x-re', value: '^a', regex: true },
      ],
      methods: ['GET'],
    },
  ]);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), { primary: 30, canary: 70, mirrored: false });
  await assert.rejects(router.setRoutes(c, { primary: 0, canary: 0, mirrored: false }, { client: kube }), {
    message: 'RoutingRule podinfo.default update failed: no valid weights',
  });
});

test('upstreamRef: settings copied on create; only loadBalancerConfig follows later', async () => {
  const kube = seeded();
  const config: KubeObject = {
    apiVersion: 'gloo.solo.io/v1',
    kind: 'Upstream',
    metadata: { name: 'config', namespace: 'gloo-system' },
    spec: {
      useHttp2: true,
      loadBalancerConfig: { roundRobin: {} },
      connectionConfig: { maxRequestsPerConnection: 5 },
    },
  };
  kube.seed(config);
  const c = podinfo();
  c.spec.upstreamRef = {
    apiVersion: 'gloo.solo.io/v1',
    kind: 'Upstream',
    name: 'config',
    namespace: 'gloo-system',
  };
  await router.reconcile(c, { client: kube });
  const spec = specOf(kube.peek(upstreamRef(c, 'canary')));
  assert.equal(spec['useHttp2'], true);
  assert.deepEqual(spec['connectionConfig'], { maxRequestsPerConnection: 5 });
  kube.seed({ ...config, spec: { useHttp2: false, loadBalancerConfig: { leastRequest: {} } } });
  await router.reconcile(c, { client: kube });
  const after = specOf(kube.peek(upstreamRef(c, 'canary')));
  assert.deepEqual(after['loadBalancerConfig'], { leastRequest: {} });
  assert.equal(after['useHttp2'], true);
  c.spec.upstreamRef = { apiVersion: 'gloo.solo.io/v1', kind: 'Upstream', name: 'missing' };
  await assert.rejects(router.reconcile(c, { client: kube }), {
    message: 'config upstream missing.default get query error: not found',
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { createGatewayApiV1Router, createGatewayApiV1beta1Router } from '../../../src/routers/gatewayapi.js';
import { ruleFilters } from '../../../src/routers/gatewayapi-matches.js';
import { desiredHttpRoute, httpRouteRef } from '../../../src/routers/gatewayapi-route.js';
import { RouterError } from '../../../src/routers/router.js';
import { must, podinfo, specOf } from './fixtures.js';

const v1 = createGatewayApiV1Router();
const v1beta1 = createGatewayApiV1beta1Router();
const gatewayRefs = [{ name: 'public-gateway', namespace: 'istio-ingress' }];
const parent = {
  group: 'gateway.networking.k8s.io',
  kind: 'Gateway',
  name: 'public-gateway',
  namespace: 'istio-ingress',
};
const ref = (name: string, weight: number): Record<string, unknown> => ({
  group: '',
  kind: 'Service',
  name,
  port: 9898,
  weight,
});
type Rule = {
  matches?: unknown[];
  filters?: unknown[];
  backendRefs: Record<string, unknown>[];
  timeouts?: unknown;
};
const rulesOf = (o: KubeObject | undefined): Rule[] => (specOf(o) as { rules: Rule[] }).rules;

test('v1 reconcile: parentRefs, hostnames, one rule at 100/0 with timeouts; foreign annotations kept', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({
    service: { gatewayRefs, hosts: ['app.example.com'], timeout: '30s', backendTimeout: '10s' },
  });
  await v1.reconcile(c, { client: kube });
  const route = must(kube.peek(httpRouteRef('v1')(c)));
  assert.equal(route.apiVersion, 'gateway.networking.k8s.io/v1');
  assert.deepEqual(specOf(route), {
    parentRefs: [parent],
    hostnames: ['app.example.com'],
    rules: [
      {
        matches: [{ path: { type: 'PathPrefix', value: '/' } }],
        filters: [],
        backendRefs: [ref('podinfo-primary', 100), ref('podinfo-canary', 0)],
        timeouts: { request: '30s', backendRequest: '10s' },
      },
    ],
  });
  await kube.replace({
    ...route,
    metadata: { ...route.metadata, annotations: { ...route.metadata.annotations, foo: 'bar' } },
  });
  kube.requests.reset();
  await v1.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  assert.equal(kube.peek(httpRouteRef('v1')(c))?.metadata.annotations?.['foo'], 'bar');
});

test('routes: setRoutes 50/50, getRoutes reads them, reconcile keeps them', async () => {
  for (const router of [v1, v1beta1]) {
    const kube = new FakeKubeClient();
    const c = podinfo({ service: { gatewayRefs } });
    await router.reconcile(c, { client: kube });
    await router.setRoutes(c, { primary: 50, canary: 50, mirrored: false }, { client: kube });
    await router.reconcile(c, { client: kube });
    assert.deepEqual(await router.getRoutes(c, { client: kube }), {
      primary: 50,
      canary: 50,
      mirrored: false,
    });
  }
});

test('A/B: analysis matches × service matches on the weighted rule, the rest on the primary at a fixed 100', () => {
  const c = podinfo({
    service: { gatewayRefs, match: [{ uri: { prefix: '/api' } }] },
    analysis: {
      iterations: 10,
      match: [
        { headers: { 'x-canary': { exact: 'insider' } } },
        { queryParams: { beta: { regex: 'on|yes' } } },
      ],
    },
  });
  const rules = rulesOf(desiredHttpRoute(c, { primary: 0, canary: 100, mirrored: false }, 'v1'));
  assert.deepEqual(
    rules.map((r) => r.matches),
    [
      [
        {
          path: { type: 'PathPrefix', value: '/api' },
          headers: [{ name: 'x-canary', type: 'Exact', value: 'insider' }],
        },
        {
          path: { type: 'PathPrefix', value: '/api' },
          queryParams: [{ name: 'beta', type: 'RegularExpression', value: 'on|yes' }],
        },
      ],
      [{ path: { type: 'PathPrefix', value: '/api' } }],
    ],
  );
  assert.deepEqual(rules[0]?.backendRefs, [ref('podinfo-primary', 0), ref('podinfo-canary', 100)]);
  assert.deepEqual(rules[1]?.backendRefs, [ref('podinfo-primary', 100)]);
});

test('matches Gateway API cannot express are refused with Flagger text', () => {
  const c = podinfo({ service: { gatewayRefs, match: [{ headers: { x: { prefix: 'a' } } }] } });
  assert.throws(
    () => desiredHttpRoute(c, { primary: 100, canary: 0, mirrored: false }, 'v1'),
    (err: unknown) => {
      assert.ok(err instanceof RouterError && err.reason === 'InvalidSpec');
      assert.match(
        err.message,
        /^Invalid request matching selectors: Gateway API doesn't support the specified header matching selector/,
      );
      return true;
    },
  );
  const noRefs = podinfo();
  assert.throws(() => desiredHttpRoute(noRefs, { primary: 100, canary: 0, mirrored: false }, 'v1'), {
    message: 'GatewayRefs must be specified when using Gateway API as a provider.',
  });
});

test('filters: header modifiers sorted, rewrite, static mirror; CORS and maxAge only on v1', () => {
  const c = podinfo({
    service: {
      gatewayRefs,
      headers: {
        request: { set: { b: '2', a: '1' }, add: { z: 'x' }, remove: ['x-drop'] },
        response: { remove: ['server'] },
      },
      rewrite: { uri: '/v2', authority: 'backend.local', type: 'ReplacePrefixMatch' },
      mirror: [{ backendRef: { name: 'shadow', port: 80 }, percent: 10 }],
      corsPolicy: {
        allowOrigin: ['https://a.example'],
        allowMethods: ['GET', 'POST'],
        allowCredentials: true,
        maxAge: '24h',
      },
    },
  });
  const want = [
    {
      type: 'RequestHeaderModifier',
      requestHeaderModifier: {
        add: [{ name: 'z', value: 'x' }],
        set: [
          { name: 'a', value: '1' },
          { name: 'b', value: '2' },
        ],
        remove: ['x-drop'],
      },
    },
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { remove: ['server'] } },
    {
      type: 'URLRewrite',
      urlRewrite: {
        hostname: 'backend.local',
        path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/v2' },
      },
    },
  ];
  const mirror = c.spec.service.mirror?.[0];
  assert.deepEqual(ruleFilters(c, 'v1'), [
    ...want,
    {
      type: 'RequestMirror',
      requestMirror: { backendRef: { group: '', kind: 'Service', name: 'shadow', port: 80 } },
    },
    {
      type: 'CORS',
      cors: {
        allowOrigins: ['https://a.example'],
        allowMethods: ['GET', 'POST'],
        allowCredentials: true,
        maxAge: 86400,
      },
    },
  ]);
  assert.deepEqual(ruleFilters(c, 'v1beta1'), [
    ...want,
    {
      type: 'RequestMirror',
      requestMirror: { ...mirror, backendRef: { group: '', kind: 'Service', name: 'shadow', port: 80 } },
    },
  ]);
});

test('blue/green mirroring: a RequestMirror to the canary while mirrored, kept by reconcile, gone after', async () => {
  const kube = new FakeKubeClient();
  const c = podinfo({ service: { gatewayRefs }, analysis: { iterations: 5, mirror: true } });
  await v1.reconcile(c, { client: kube });
  await v1.setRoutes(c, { primary: 100, canary: 0, mirrored: true }, { client: kube });
  const mirrorFilter = {
    type: 'RequestMirror',
    requestMirror: { backendRef: { group: '', kind: 'Service', name: 'podinfo-canary', port: 9898 } },
  };
  assert.deepEqual(rulesOf(kube.peek(httpRouteRef('v1')(c)))[0]?.filters, [mirrorFilter]);
  await v1.reconcile(c, { client: kube });
  assert.deepEqual(await v1.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: true });
  await v1.setRoutes(c, { primary: 0, canary: 100, mirrored: false }, { client: kube });
  assert.deepEqual(rulesOf(kube.peek(httpRouteRef('v1')(c)))[0]?.filters, []);
});

test('session affinity (v1): sticky canary and primary rules, Set-Cookie on backends, expiry at weight 0', async () => {
  const kube = new FakeKubeClient();
  const affinity = {
    cookieName: 'flagger-cookie',
    primaryCookieName: 'primary-cookie',
    maxAge: 300,
    domain: 'example.com',
    httpOnly: true,
    partitioned: true,
    path: '/',
    sameSite: 'Strict',
    secure: true,
  };
  const c = podinfo({ service: { gatewayRefs }, analysis: { sessionAffinity: affinity } });
  await v1.reconcile(c, { client: kube });
  const cookies = { canary: 'flagger-cookie=abc', primary: 'primary-cookie=xyz' };
  await v1.setRoutes(c, { primary: 90, canary: 10, mirrored: false, cookies }, { client: kube });
  const rules = rulesOf(kube.peek(httpRouteRef('v1')(c)));
  assert.equal(rules.length, 3);
  assert.deepEqual(rules[0]?.matches, [
    {
      path: { type: 'PathPrefix', value: '/' },
      headers: [{ type: 'RegularExpression', name: 'Cookie', value: '.*flagger-cookie.*abc.*' }],
    },
  ]);
  assert.deepEqual(must(rules[0]).backendRefs, [ref('podinfo-primary', 0), ref('podinfo-canary', 100)]);
  assert.deepEqual(rules[1]?.backendRefs, [ref('podinfo-primary', 100), ref('podinfo-canary', 0)]);
  const setCookie = (value: string): unknown => [
    { type: 'ResponseHeaderModifier', responseHeaderModifier: { add: [{ name: 'Set-Cookie', value }] } },
  ];
  assert.deepEqual(rules[2]?.backendRefs, [
    {
      ...ref('podinfo-primary', 90),
      filters: setCookie(
        'primary-cookie=xyz; Max-Age=60; Domain=example.com; HttpOnly; Partitioned; Path=/; SameSite=Strict; Secure',
      ),
    },
    {
      ...ref('podinfo-canary', 10),
      filters: setCookie(
        'flagger-cookie=abc; Max-Age=300; Domain=example.com; HttpOnly; Partitioned; Path=/; SameSite=Strict; Secure',
      ),
    },
  ]);
  kube.requests.reset();
  await v1.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace'), 0);
  assert.deepEqual(await v1.getRoutes(c, { client: kube }), {
    primary: 90,
    canary: 10,
    mirrored: false,
    cookies,
  });
  await v1.setRoutes(
    c,
    { primary: 100, canary: 0, mirrored: false, cookies: { previous: 'flagger-cookie=abc' } },
    { client: kube },
  );
  const after = rulesOf(kube.peek(httpRouteRef('v1')(c)));
  assert.equal(after.length, 2);
  assert.deepEqual(after[0]?.filters, setCookie('flagger-cookie=abc; Max-Age=-1'));
  assert.deepEqual(await v1.getRoutes(c, { client: kube }), {
    primary: 100,
    canary: 0,
    mirrored: false,
    cookies: { previous: 'flagger-cookie=abc' },
  });
});

test('session affinity (v1beta1): no primary cookie rule', () => {
  const c = podinfo({
    service: { gatewayRefs },
    analysis: { sessionAffinity: { cookieName: 'c', primaryCookieName: 'p' } },
  });
  const route = desiredHttpRoute(
    c,
    { primary: 90, canary: 10, mirrored: false, cookies: { canary: 'c=1', primary: 'p=2' } },
    'v1beta1',
  );
  assert.equal(route.apiVersion, 'gateway.networking.k8s.io/v1beta1');
  assert.equal(rulesOf(route).length, 2);
  assert.equal(rulesOf(route)[1]?.timeouts, undefined);
});

test('v1 getRoutes: an unaccepted or stale parent halts with Flagger text; v1beta1 does not check', async () => {
  for (const [status, observed, ok] of [
    ['False', 1, false],
    ['True', 0, false],
    ['True', 1, true],
  ] as const) {
    const kube = new FakeKubeClient();
    const c = podinfo({ service: { gatewayRefs } });
    await v1.reconcile(c, { client: kube });
    const live = must(kube.peek(httpRouteRef('v1')(c)));
    kube.seed({
      ...live,
      metadata: { ...live.metadata, generation: 1 },
      status: {
        parents: [
          {
            parentRef: parent,
            controllerName: 'x',
            conditions: [{ type: 'Accepted', status, observedGeneration: observed }],
          },
        ],
      },
    });
    if (ok)
      assert.deepEqual(await v1.getRoutes(c, { client: kube }), { primary: 100, canary: 0, mirrored: false });
    else
      await assert.rejects(v1.getRoutes(c, { client: kube }), {
        message: `HTTPRoute podinfo.default parent public-gateway is not ready (status: ${status}, observed generation: ${observed}, current generation: 1)`,
      });
  }
});

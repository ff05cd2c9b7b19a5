import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeKubeClient } from '../../../src/kube/fake-client.js';
import { createIstioRouter } from '../../../src/routers/istio.js';
import {
  COOKIE_EXPIRY_RULE,
  STICKY_CANARY_RULE,
  STICKY_PRIMARY_RULE,
  cookieMatch,
  setCookieHeader,
} from '../../../src/routers/istio-session-affinity.js';
import {
  desiredVirtualService,
  readVirtualServiceRoutes,
  virtualServiceWithoutRoutes,
  type VirtualServiceSpec,
} from '../../../src/routers/istio-virtual-service.js';
import type { Routes } from '../../../src/routers/router.js';
import { must, podinfo, specOf, vsRef } from './fixtures.js';

const affinity = {
  cookieName: 'flagger-cookie',
  domain: 'example.com',
  httpOnly: true,
  maxAge: 300,
  partitioned: true,
  path: '/',
  sameSite: 'Strict',
  secure: true,
};
const sticky = (extra: Record<string, unknown> = {}) =>
  podinfo({ analysis: { interval: '45s', sessionAffinity: { ...affinity, ...extra } } });
const http = (c: ReturnType<typeof podinfo>, routes: Routes) =>
  must((desiredVirtualService(c, routes)['spec'] as VirtualServiceSpec).http);

test('Set-Cookie: Max-Age then every attribute in order; only the set ones', () => {
  assert.equal(
    setCookieHeader('flagger-cookie=abc', 300, { ...affinity, sameSite: 'Strict' }),
    'flagger-cookie=abc; Max-Age=300; Domain=example.com; HttpOnly; Partitioned; Path=/; SameSite=Strict; Secure',
  );
  assert.equal(setCookieHeader('c=v', 86400, { cookieName: 'c' }), 'c=v; Max-Age=86400');
});

test('cookie match: a lower-case cookie header regex on each service match', () => {
  assert.deepEqual(cookieMatch('flagger-cookie=abc', undefined), [
    { headers: { cookie: { regex: '.*flagger-cookie.*abc.*' } } },
  ]);
  assert.deepEqual(cookieMatch('a.b=c', [{ uri: { prefix: '/api' } }, { uri: { prefix: '/v2' } }]), [
    { uri: { prefix: '/api' }, headers: { cookie: { regex: '.*a\\.b.*c.*' } } },
    { uri: { prefix: '/v2' }, headers: { cookie: { regex: '.*a\\.b.*c.*' } } },
  ]);
});

test('canary weight > 0 without a primary cookie: [sticky-canary, weighted with Set-Cookie on the canary]', () => {
  const c = sticky();
  const routes: Routes = {
    primary: 90,
    canary: 10,
    mirrored: false,
    cookies: { canary: 'flagger-cookie=abc' },
  };
  const rules = http(c, routes);
  assert.equal(rules.length, 2);
  assert.deepEqual(rules[0], {
    name: STICKY_CANARY_RULE,
    match: [{ headers: { cookie: { regex: '.*flagger-cookie.*abc.*' } } }],
    route: [
      { destination: { host: 'podinfo-primary' } },
      { destination: { host: 'podinfo-canary' }, weight: 100 },
    ],
  });
  assert.deepEqual(rules[1], {
    route: [
      { destination: { host: 'podinfo-primary' }, weight: 90 },
      {
        destination: { host: 'podinfo-canary' },
        weight: 10,
        headers: {
          response: {
            add: {
              'Set-Cookie':
                'flagger-cookie=abc; Max-Age=300; Domain=example.com; HttpOnly; Partitioned; Path=/; SameSite=Strict; Secure',
            },
          },
        },
      },
    ],
  });
  assert.deepEqual(readVirtualServiceRoutes(c, desiredVirtualService(c, routes)), routes);
});

test('with a primary cookie: 3 rules, the primary cookie lives one analysis interval', () => {
  const c = sticky({ primaryCookieName: 'primary-cookie' });
  const routes: Routes = {
    primary: 50,
    canary: 50,
    mirrored: false,
    cookies: { canary: 'flagger-cookie=abc', primary: 'primary-cookie=xyz' },
  };
  const rules = http(c, routes);
  assert.deepEqual(
    rules.map((r) => r.name),
    [STICKY_CANARY_RULE, STICKY_PRIMARY_RULE, undefined],
  );
  assert.deepEqual(rules[1]?.route, [
    { destination: { host: 'podinfo-primary' }, weight: 100 },
    { destination: { host: 'podinfo-canary' } },
  ]);
  const primaryDest = rules[2]?.route[0];
  assert.match(JSON.stringify(primaryDest?.headers), /primary-cookie=xyz; Max-Age=45; Domain/);
  assert.deepEqual(readVirtualServiceRoutes(c, desiredVirtualService(c, routes)), routes);
});

test('weight back to 0: [cookie-expiry with Max-Age=-1, weighted]; no Set-Cookie on destinations', () => {
  const c = podinfo({
    service: { headers: { response: { add: { 'x-served-by': 'flagger' } } } },
    analysis: { sessionAffinity: { cookieName: 'flagger-cookie' } },
  });
  const routes: Routes = {
    primary: 100,
    canary: 0,
    mirrored: false,
    cookies: { previous: 'flagger-cookie=abc' },
  };
  const rules = http(c, routes);
  assert.equal(rules.length, 2);
  assert.equal(rules[0]?.name, COOKIE_EXPIRY_RULE);
  assert.deepEqual(rules[0].match, [{ headers: { cookie: { regex: '.*flagger-cookie.*abc.*' } } }]);
  assert.deepEqual(rules[0].headers, {
    response: { add: { 'x-served-by': 'flagger', 'Set-Cookie': 'flagger-cookie=abc; Max-Age=-1' } },
  });
  assert.ok(rules.every((r) => r.route.every((d) => d.headers === undefined)));
  assert.deepEqual(readVirtualServiceRoutes(c, desiredVirtualService(c, routes)), routes);
});

test('withoutRoutes ignores the cookie rules and destination headers', () => {
  const c = sticky();
  const on = desiredVirtualService(c, {
    primary: 90,
    canary: 10,
    mirrored: false,
    cookies: { canary: 'flagger-cookie=a' },
  });
  const off = desiredVirtualService(c, { primary: 100, canary: 0, mirrored: false });
  assert.deepEqual(virtualServiceWithoutRoutes(on['spec']), virtualServiceWithoutRoutes(off['spec']));
});

test('router: reconcile keeps the sticky rules set by setRoutes and writes nothing', async () => {
  const kube = new FakeKubeClient();
  const router = createIstioRouter();
  const c = sticky({ primaryCookieName: 'primary-cookie' });
  await router.reconcile(c, { client: kube });
  const routes: Routes = {
    primary: 90,
    canary: 10,
    mirrored: false,
    cookies: { canary: 'flagger-cookie=abc', primary: 'primary-cookie=xyz' },
  };
  await router.setRoutes(c, routes, { client: kube });
  const before = specOf(kube.peek(vsRef));
  kube.requests.reset();
  await router.reconcile(c, { client: kube });
  assert.equal(kube.requests.count('replace') + kube.requests.count('create'), 0);
  assert.deepEqual(specOf(kube.peek(vsRef)), before);
  assert.deepEqual(await router.getRoutes(c, { client: kube }), routes);
  assert.equal(router.capabilities.sessionAffinity, true);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Routes } from '../../../src/routers/router.js';
import { RouterError } from '../../../src/routers/router.js';
import {
  desiredVirtualService,
  mergeMatchConditions,
  readVirtualServiceRoutes,
  virtualServiceWithoutRoutes,
  type VirtualServiceSpec,
} from '../../../src/routers/istio-virtual-service.js';
import { desiredDestinationRule } from '../../../src/routers/istio.js';
import { TOOLKIT_ANNOTATIONS } from '../../../src/routers/shared/metadata.js';
import { must, podinfo } from './fixtures.js';

const initial: Routes = { primary: 100, canary: 0, mirrored: false };
const vsSpec = (c = podinfo(), routes: Routes = initial): VirtualServiceSpec =>
  desiredVirtualService(c, routes)['spec'] as VirtualServiceSpec;

test('Sync: one http route with primary 100 and canary 0, hosts + apex, gateway mesh', () => {
  const vs = desiredVirtualService(podinfo(), initial);
  assert.equal(vs.apiVersion, 'networking.istio.io/v1beta1');
  assert.equal(vs.metadata.name, 'podinfo');
  assert.deepEqual(vs.metadata.annotations, TOOLKIT_ANNOTATIONS);
  assert.deepEqual(vs['spec'], {
    hosts: ['podinfo'],
    gateways: ['mesh'],
    http: [
      {
        route: [
          { destination: { host: 'podinfo-primary' }, weight: 100 },
          { destination: { host: 'podinfo-canary' } },
        ],
      },
    ],
  });
});

test('readRoutes(desired(c, w)) round-trips for several weights, with and without mirror', () => {
  const c = podinfo({ analysis: { mirror: true, mirrorWeight: 30 } });
  for (const [p, w] of [
    [100, 0],
    [90, 10],
    [50, 50],
    [1, 99],
    [0, 100],
  ] as const) {
    for (const mirrored of [false, true]) {
      const routes = { primary: p, canary: w, mirrored };
      assert.deepEqual(readVirtualServiceRoutes(c, desiredVirtualService(c, routes)), routes);
    }
  }
});

test('hosts: the apex is added unless listed or *, gateways are kept as given', () => {
  assert.deepEqual(vsSpec(podinfo({ service: { hosts: ['app.example.com'] } })).hosts, [
    'app.example.com',
    'podinfo',
  ]);
  assert.deepEqual(vsSpec(podinfo({ service: { hosts: ['*'] } })).hosts, ['*']);
  assert.deepEqual(vsSpec(podinfo({ service: { hosts: ['podinfo', 'a'] } })).hosts, ['podinfo', 'a']);
  const gw = vsSpec(podinfo({ service: { gateways: ['public-gateway.istio-system.svc.cluster.local'] } }));
  assert.deepEqual(gw.gateways, ['public-gateway.istio-system.svc.cluster.local']);
});

test('GatewayPort: destinations carry the service port with portDiscovery and a non-mesh gateway', () => {
  const withGateway = vsSpec(podinfo({ service: { portDiscovery: true, gateways: ['public-gateway'] } }));
  assert.deepEqual(withGateway.http?.[0]?.route[0]?.destination, {
    host: 'podinfo-primary',
    port: { number: 9898 },
  });
  const meshOnly = vsSpec(podinfo({ service: { portDiscovery: true } }));
  assert.deepEqual(meshOnly.http?.[0]?.route[0]?.destination, { host: 'podinfo-primary' });
  const noDiscovery = vsSpec(podinfo({ service: { gateways: ['public-gateway'] } }));
  assert.deepEqual(noDiscovery.http?.[0]?.route[0]?.destination, { host: 'podinfo-primary' });
});

test('Delegate: empty hosts and gateways plus the destination port; hosts with delegation is an error', () => {
  const spec = vsSpec(podinfo({ service: { delegation: true, portDiscovery: true } }));
  assert.deepEqual(spec.hosts, []);
  assert.deepEqual(spec.gateways, []);
  assert.deepEqual(spec.http?.[0]?.route[1]?.destination, { host: 'podinfo-canary', port: { number: 9898 } });
  for (const bad of [{ hosts: ['podinfo.example.com'] }, { gateways: ['public-gateway'] }]) {
    assert.throws(
      () => desiredVirtualService(podinfo({ service: { delegation: true, ...bad } }), initial),
      (err: unknown) =>
        err instanceof RouterError && err.reason === 'InvalidSpec' && /delegation/.test(err.message),
    );
  }
});

test('HTTPRequestHeaders, CORS, rewrite, timeout and retries are copied to the route', () => {
  const headers = { request: { add: { 'x-a': '1' }, remove: ['x-b'] }, response: { remove: ['x-c'] } };
  const corsPolicy = { allowOrigin: ['example.com'], allowMethods: ['GET', 'POST'], maxAge: '24h' };
  const retries = { attempts: 3, perTryTimeout: '1s', retryOn: 'gateway-error' };
  const route = vsSpec(
    podinfo({
      service: {
        headers,
        corsPolicy,
        retries,
        timeout: '30s',
        rewrite: { uri: '/', type: 'ReplaceFullPath' },
      },
    }),
  ).http?.[0];
  assert.ok(route);
  assert.deepEqual(route.headers, headers);
  assert.deepEqual(route.corsPolicy, corsPolicy);
  assert.deepEqual(route.retries, retries);
  assert.equal(route.timeout, '30s');
  assert.deepEqual(route.rewrite, { uri: '/' }, 'rewrite.type is Gateway API only');
});

test('Mirror: the mirror host is set when mirrored, mirrorPercentage only when mirrorWeight > 0', () => {
  const plain = vsSpec(podinfo({ analysis: { mirror: true } }), { primary: 100, canary: 0, mirrored: true });
  const plainRoute = must(plain.http?.[0]);
  assert.deepEqual(plainRoute.mirror, { host: 'podinfo-canary' });
  assert.equal(plainRoute.mirrorPercentage, undefined);
  const weighted = vsSpec(podinfo({ analysis: { mirror: true, mirrorWeight: 50 } }), {
    primary: 100,
    canary: 0,
    mirrored: true,
  });
  assert.deepEqual(weighted.http?.[0]?.mirrorPercentage, { value: 50 });
  assert.equal(vsSpec(podinfo(), { primary: 90, canary: 10, mirrored: false }).http?.[0]?.mirror, undefined);
});

test('ABTest: two http routes, weights on the A/B route, the second routes to primary', () => {
  const c = podinfo({
    analysis: {
      iterations: 10,
      stepWeight: undefined,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
    },
  });
  const spec = vsSpec(c, { primary: 0, canary: 100, mirrored: false });
  const http = must(spec.http);
  assert.equal(http.length, 2);
  const abRoute = must(http[0]);
  assert.deepEqual(abRoute.match, [{ headers: { 'x-canary': { exact: 'insider' } } }]);
  assert.deepEqual(abRoute.route, [
    { destination: { host: 'podinfo-primary' } },
    { destination: { host: 'podinfo-canary' }, weight: 100 },
  ]);
  assert.deepEqual(http[1]?.route, [{ destination: { host: 'podinfo-primary' } }]);
  assert.deepEqual(
    readVirtualServiceRoutes(c, desiredVirtualService(c, { primary: 0, canary: 100, mirrored: false })),
    {
      primary: 0,
      canary: 100,
      mirrored: false,
    },
  );
});

test('Match: service uri prefix × analysis header conditions gives 2 canary conditions, 1 primary', () => {
  const c = podinfo({
    service: { match: [{ uri: { prefix: '/podinfo' } }] },
    analysis: {
      iterations: 10,
      match: [
        { headers: { 'x-user-type': { exact: 'test' } } },
        { headers: { cookie: { regex: '^(.*?;)?(type=insider)(;.*)?$' } }, sourceLabels: { app: 'x' } },
      ],
    },
  });
  const http = must(vsSpec(c, { primary: 0, canary: 100, mirrored: false }).http);
  assert.deepEqual(http[0]?.match, [
    { uri: { prefix: '/podinfo' }, headers: { 'x-user-type': { exact: 'test' } } },
    {
      uri: { prefix: '/podinfo' },
      headers: { cookie: { regex: '^(.*?;)?(type=insider)(;.*)?$' } },
      sourceLabels: { app: 'x' },
    },
  ]);
  assert.deepEqual(http[1]?.match, [{ uri: { prefix: '/podinfo' } }]);
  assert.deepEqual(mergeMatchConditions([{ queryParams: { a: { exact: 'b' } } }], []), [
    { queryParams: { a: { exact: 'b' } } },
  ]);
});

test('TCP: a single tcp route matching the service match ports, weights round-trip, never mirrored', () => {
  const c = podinfo({ service: { appProtocol: 'tcp', match: [{ port: 9000 }] } });
  const spec = vsSpec(c, { primary: 60, canary: 40, mirrored: true });
  assert.equal(spec.http, undefined);
  assert.deepEqual(spec.tcp, [
    {
      match: [{ port: 9000 }],
      route: [
        { destination: { host: 'podinfo-primary' }, weight: 60 },
        { destination: { host: 'podinfo-canary' }, weight: 40 },
      ],
    },
  ]);
  assert.deepEqual(
    readVirtualServiceRoutes(c, desiredVirtualService(c, { primary: 60, canary: 40, mirrored: false })),
    {
      primary: 60,
      canary: 40,
      mirrored: false,
    },
  );
});

test('readRoutes errors when no rule routes to primary or canary', () => {
  const c = podinfo();
  const foreign = {
    ...desiredVirtualService(c, initial),
    spec: { hosts: ['x'], http: [{ route: [{ destination: { host: 'x' } }] }] },
  };
  assert.throws(
    () => readVirtualServiceRoutes(c, foreign),
    (err: unknown) => err instanceof RouterError && err.reason === 'MalformedObject',
  );
});

test('withoutRoutes ignores weights, mirror and mirrorPercentage but nothing else', () => {
  const c = podinfo({ analysis: { mirrorWeight: 20 } });
  const a = virtualServiceWithoutRoutes(vsSpec(c, initial));
  assert.deepEqual(virtualServiceWithoutRoutes(vsSpec(c, { primary: 80, canary: 20, mirrored: true })), a);
  assert.notDeepEqual(
    virtualServiceWithoutRoutes(vsSpec(podinfo({ service: { timeout: '5s' } }), initial)),
    a,
  );
});

test('DestinationRules carry host and trafficPolicy', () => {
  const trafficPolicy = { tls: { mode: 'ISTIO_MUTUAL' }, loadBalancer: { simple: 'LEAST_REQUEST' } };
  const dr = desiredDestinationRule(podinfo({ service: { trafficPolicy } }), 'canary');
  assert.equal(dr.metadata.name, 'podinfo-canary');
  assert.deepEqual(dr['spec'], { host: 'podinfo-canary', trafficPolicy });
  assert.deepEqual(desiredDestinationRule(podinfo(), 'primary')['spec'], { host: 'podinfo-primary' });
});

test('A/B: without canary weight (before the first iteration, after promotion or rollback) no match rules remain', () => {
  const c = podinfo({
    service: { match: [{ uri: { prefix: '/api' } }] },
    analysis: {
      iterations: 3,
      stepWeight: undefined,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
    },
  });
  const http = must(vsSpec(c).http);
  assert.deepEqual(http, [
    {
      match: [{ uri: { prefix: '/api' } }],
      route: [
        { destination: { host: 'podinfo-primary' }, weight: 100 },
        { destination: { host: 'podinfo-canary' } },
      ],
    },
  ]);
  assert.deepEqual(readVirtualServiceRoutes(c, desiredVirtualService(c, initial)), initial);
});

test('A/B match kinds: headers, cookie regex and query params (exact/prefix/suffix/regex) merge key by key', () => {
  const merged = mergeMatchConditions(
    [
      { headers: { 'x-canary': { exact: 'insider' }, 'user-agent': { suffix: 'Firefox' } } },
      { headers: { cookie: { regex: '^(.*?;)?(canary=always)(;.*)?$' } } },
      { queryParams: { canary: { prefix: 'on' } }, withoutHeaders: { 'x-opt-out': { exact: 'yes' } } },
    ],
    [{ uri: { prefix: '/api' }, headers: { host: { exact: 'app.example.com' } } }],
  );
  assert.deepEqual(merged, [
    {
      uri: { prefix: '/api' },
      headers: {
        host: { exact: 'app.example.com' },
        'x-canary': { exact: 'insider' },
        'user-agent': { suffix: 'Firefox' },
      },
    },
    {
      uri: { prefix: '/api' },
      headers: { host: { exact: 'app.example.com' }, cookie: { regex: '^(.*?;)?(canary=always)(;.*)?$' } },
    },
    {
      uri: { prefix: '/api' },
      headers: { host: { exact: 'app.example.com' } },
      queryParams: { canary: { prefix: 'on' } },
      withoutHeaders: { 'x-opt-out': { exact: 'yes' } },
    },
  ]);
});

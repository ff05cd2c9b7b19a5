// The richer shapes the routers write — Gateway API A/B, session-affinity and mirror rules,
// header/rewrite filters; Contour A/B conditions and retries — created on the real API server
// with the projects' real CRDs and read back: the CRD schema must accept them (create) and
// keep every field (no pruning), so the data planes get what the router meant.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CanarySchema, type Canary } from '../../../src/api/canary.js';
import { deepEqual } from '../../../src/kube/json.js';
import type { KubeObject } from '../../../src/kube/types.js';
import { desiredHttpProxy } from '../../../src/routers/contour.js';
import type { GatewayApiVersion } from '../../../src/routers/gatewayapi-matches.js';
import { desiredHttpRoute } from '../../../src/routers/gatewayapi-route.js';
import { withoutEmpty } from '../../../src/routers/shared/normalize.js';
import { testEnv, type TestEnv } from '../../harness/cluster.js';
import { applyThirdPartyCrds } from '../../harness/third-party-crds.js';

function canary(
  name: string,
  ns: string,
  service: Record<string, unknown>,
  analysis: Record<string, unknown>,
): Canary {
  return CanarySchema.parse({
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: ns },
    spec: {
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      service: { port: 9898, name, ...service },
      analysis: { interval: '30s', ...analysis },
    },
  });
}

async function roundTrip(env: TestEnv, obj: KubeObject): Promise<void> {
  const created = await env.kube.create(obj);
  assert.ok(
    deepEqual(withoutEmpty(created['spec']), withoutEmpty(obj['spec'])),
    `${obj.kind} ${obj.metadata.name} stored as written:\nstored ${JSON.stringify(created['spec'])}\nmeant  ${JSON.stringify(obj['spec'])}`,
  );
}

const gateways = [{ name: 'public', namespace: 'gateways' }];
const routes = (primary: number, canaryWeight: number, extra: Record<string, unknown> = {}) => ({
  primary,
  canary: canaryWeight,
  mirrored: false,
  ...extra,
});

test('Gateway API: A/B, session affinity, mirroring and filter shapes are accepted and kept (v1 and v1beta1)', async (t) => {
  const env = await testEnv(t, 'shapes-gw');
  await applyThirdPartyCrds(env.cluster, 'gatewayapi');
  const ns = env.namespace;
  for (const version of ['v1', 'v1beta1'] as GatewayApiVersion[]) {
    const ab = canary(
      `ab-${version}`,
      ns,
      { gatewayRefs: gateways, match: [{ uri: { prefix: '/api' } }] },
      {
        iterations: 5,
        match: [
          { headers: { 'x-canary': { exact: 'insider' } } },
          { headers: { cookie: { regex: '^(.*?;)?(type=insider)(;.*)?$' } } },
          { queryParams: { beta: { exact: 'on' } } },
        ],
      },
    );
    await roundTrip(env, desiredHttpRoute(ab, routes(0, 100), version));
    const affinity = {
      cookieName: 'flagger-cookie',
      primaryCookieName: 'primary-cookie',
      maxAge: 300,
      path: '/',
      secure: true,
    };
    const sticky = canary(
      `sa-${version}`,
      ns,
      { gatewayRefs: gateways, hosts: ['app.example.com'] },
      { sessionAffinity: affinity },
    );
    const cookies = { canary: 'flagger-cookie=abcdefghij', primary: 'primary-cookie=klmnopqrst' };
    await roundTrip(env, desiredHttpRoute(sticky, routes(80, 20, { cookies }), version));
    const expiry = canary(`ex-${version}`, ns, { gatewayRefs: gateways }, { sessionAffinity: affinity });
    await roundTrip(
      env,
      desiredHttpRoute(
        expiry,
        routes(100, 0, { cookies: { previous: 'flagger-cookie=abcdefghij' } }),
        version,
      ),
    );
    const bg = canary(`bg-${version}`, ns, { gatewayRefs: gateways }, { iterations: 5, mirror: true });
    await roundTrip(env, desiredHttpRoute(bg, routes(100, 0, { mirrored: true }), version));
    const filters = canary(
      `fl-${version}`,
      ns,
      {
        gatewayRefs: [{ group: '', kind: 'Service', name: `fl-${version}`, port: 9898 }],
        headers: {
          request: { add: { 'x-b': '2', 'x-a': '1' }, remove: ['x-debug'] },
          response: { set: { 'cache-control': 'no-cache' } },
        },
        rewrite: { uri: '/v2', type: 'ReplacePrefixMatch' },
        match: [{ uri: { prefix: '/v1' } }],
        mirror: [{ backendRef: { name: 'shadow', port: 80 } }],
        ...(version === 'v1' ? { timeout: '30s', backendTimeout: '10s' } : {}),
      },
      {},
    );
    await roundTrip(env, desiredHttpRoute(filters, routes(70, 30), version));
  }
});

test('Contour: A/B header conditions, timeout and retry policy are accepted and kept', async (t) => {
  const env = await testEnv(t, 'shapes-contour');
  await applyThirdPartyCrds(env.cluster, 'contour');
  const c = canary(
    'ab',
    env.namespace,
    {
      match: [{ uri: { prefix: '/api' } }],
      timeout: '15s',
      retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,connect-failure' },
    },
    {
      iterations: 5,
      match: [
        { headers: { 'x-canary': { exact: 'insider' } } },
        { headers: { 'user-agent': { prefix: 'Mozilla' } } },
      ],
    },
  );
  await roundTrip(env, desiredHttpProxy(c, routes(0, 100), 'contour'));
});

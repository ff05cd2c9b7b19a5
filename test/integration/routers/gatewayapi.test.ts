// gatewayapi:v1 and gatewayapi:v1beta1: HTTPRoute weights through a whole canary lifecycle,
// on the Gateway API's real standard-channel CRDs (v1.4.0 serves both versions). v1 attaches
// to a Gateway with timeouts; v1beta1 is a GAMMA route whose parent is the Service itself.
// No corsPolicy: the CORS filter Flagger writes exists only in the experimental channel, and the
// standard-channel CRD rejects it (as it would Flagger's route).
import { test } from 'node:test';
import { desiredHttpRoute, gatewayApiVersion } from '../../../src/routers/gatewayapi-route.js';
import type { GatewayApiVersion } from '../../../src/routers/gatewayapi-matches.js';
import { at, readObject, routerLifecycle, weightsOf, type RouterCase } from './router-lifecycle.js';

function gatewayCase(version: GatewayApiVersion, service: Record<string, unknown>): RouterCase {
  return {
    provider: `gatewayapi:${version}`,
    crds: ['gatewayapi'],
    spec: () => ({ service: { port: 9898, ...service } }),
    routed: (ns) => ({
      apiVersion: gatewayApiVersion(version),
      kind: 'HTTPRoute',
      name: 'podinfo',
      namespace: ns,
    }),
    desired: (_env, canary, routes) => Promise.resolve(desiredHttpRoute(canary, routes, version)),
    weights: async (env) => {
      const route = await readObject(env, gatewayApiVersion(version), 'HTTPRoute', 'podinfo');
      return route && weightsOf(at(route, 'spec', 'rules', 0, 'backendRefs'));
    },
  };
}

test('gatewayapi:v1: HTTPRoute on a Gateway accepted by the real CRD, weights move, promotion and rollback', async (t) => {
  await routerLifecycle(
    t,
    gatewayCase('v1', {
      hosts: ['app.example.com'],
      gatewayRefs: [{ name: 'public', namespace: 'gateways' }],
      timeout: '30s',
      backendTimeout: '10s',
      headers: { request: { set: { 'x-env': 'test' } }, response: { remove: ['server'] } },
    }),
  );
});

test('gatewayapi:v1beta1: GAMMA HTTPRoute (parent Service) accepted by the real CRD, weights move, promotion and rollback', async (t) => {
  await routerLifecycle(
    t,
    gatewayCase('v1beta1', { gatewayRefs: [{ group: '', kind: 'Service', name: 'podinfo', port: 9898 }] }),
  );
});

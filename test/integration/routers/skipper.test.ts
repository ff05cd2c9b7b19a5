// skipper: the canary Ingress's backend-weights through a whole canary lifecycle.
import { test } from 'node:test';
import { BACKEND_WEIGHTS, desiredSkipperIngress } from '../../../src/routers/skipper.js';
import { INGRESS_API_VERSION } from '../../../src/routers/shared/ingress-copy.js';
import { apexIngress, ingressRef } from './ingresses.js';
import { readObject, routerLifecycle } from './router-lifecycle.js';

test('skipper: canary Ingress accepted by the API server, weights move, promotion and rollback', async (t) => {
  await routerLifecycle(t, {
    provider: 'skipper',
    crds: [],
    spec: () => ({ ingressRef }),
    before: (ns) => [apexIngress(ns, { 'zalando.org/skipper-predicate': 'Method("GET")' })],
    routed: (ns) => ({
      apiVersion: INGRESS_API_VERSION,
      kind: 'Ingress',
      name: 'podinfo-canary',
      namespace: ns,
    }),
    desired: async (env, canary, routes) => {
      const apex = await readObject(env, INGRESS_API_VERSION, 'Ingress', 'podinfo');
      if (apex === undefined) throw new Error('apex Ingress missing');
      return desiredSkipperIngress(canary, apex, routes);
    },
    weights: async (env) => {
      const ing = await readObject(env, INGRESS_API_VERSION, 'Ingress', 'podinfo-canary');
      const raw = ing?.metadata.annotations?.[BACKEND_WEIGHTS];
      if (raw === undefined) return undefined;
      const w = JSON.parse(raw) as Record<string, number>;
      return { primary: w['podinfo-primary'] ?? -1, canary: w['podinfo-canary'] ?? -1 };
    },
  });
});

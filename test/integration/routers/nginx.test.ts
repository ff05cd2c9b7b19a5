// nginx: the canary Ingress's canary-weight annotation through a whole canary lifecycle, with
// a custom -ingress-annotations-prefix.
import { test } from 'node:test';
import { desiredNginxIngress } from '../../../src/routers/nginx.js';
import { INGRESS_API_VERSION } from '../../../src/routers/shared/ingress-copy.js';
import { apexIngress, ingressRef } from './ingresses.js';
import { readObject, routerLifecycle } from './router-lifecycle.js';

const PREFIX = 'ingress.example.com';

test('nginx: canary Ingress accepted by the API server, weight annotation moves, promotion and rollback', async (t) => {
  await routerLifecycle(t, {
    provider: 'nginx',
    operator: { ingressAnnotationsPrefix: PREFIX },
    crds: [],
    spec: () => ({ ingressRef }),
    before: (ns) => [apexIngress(ns, { [`${PREFIX}/rewrite-target`]: '/' })],
    routed: (ns) => ({
      apiVersion: INGRESS_API_VERSION,
      kind: 'Ingress',
      name: 'podinfo-canary',
      namespace: ns,
    }),
    desired: async (env, canary, routes) => {
      const apex = await readObject(env, INGRESS_API_VERSION, 'Ingress', 'podinfo');
      if (apex === undefined) throw new Error('apex Ingress missing');
      return desiredNginxIngress(canary, apex, routes, PREFIX);
    },
    weights: async (env) => {
      const ing = await readObject(env, INGRESS_API_VERSION, 'Ingress', 'podinfo-canary');
      const annotations = ing?.metadata.annotations;
      if (annotations?.[`${PREFIX}/canary`] !== 'true') return undefined;
      const w = Number(annotations[`${PREFIX}/canary-weight`]);
      return { primary: 100 - w, canary: w };
    },
  });
});

// apisix: the canary ApisixRoute's backend weights through a whole canary lifecycle, on the
// real ApisixRoute CRD of apisix-ingress-controller.
import { test } from 'node:test';
import { APISIX_API_VERSION, desiredApisixRoute } from '../../../src/routers/apisix.js';
import { at, readObject, routerLifecycle, weightsOf } from './router-lifecycle.js';

test('apisix: canary ApisixRoute accepted by the real CRD, weights move, promotion and rollback', async (t) => {
  await routerLifecycle(t, {
    provider: 'apisix',
    crds: ['apisix'],
    spec: () => ({ routeRef: { apiVersion: APISIX_API_VERSION, kind: 'ApisixRoute', name: 'podinfo' } }),
    before: (ns) => [
      {
        apiVersion: APISIX_API_VERSION,
        kind: 'ApisixRoute',
        metadata: { name: 'podinfo', namespace: ns },
        spec: {
          http: [
            {
              name: 'method',
              match: { hosts: ['app.example.com'], methods: ['GET'], paths: ['/*'] },
              backends: [{ serviceName: 'podinfo', servicePort: 9898 }],
            },
          ],
        },
      },
    ],
    routed: (ns) => ({
      apiVersion: APISIX_API_VERSION,
      kind: 'ApisixRoute',
      name: 'podinfo-podinfo-canary',
      namespace: ns,
    }),
    desired: async (env, canary, routes) => {
      const source = await readObject(env, APISIX_API_VERSION, 'ApisixRoute', 'podinfo');
      if (source === undefined) throw new Error('ApisixRoute missing');
      return desiredApisixRoute(canary, source, routes);
    },
    weights: async (env) => {
      const route = await readObject(env, APISIX_API_VERSION, 'ApisixRoute', 'podinfo-podinfo-canary');
      return route && weightsOf(at(route, 'spec', 'http', 0, 'backends'), 'serviceName');
    },
  });
});

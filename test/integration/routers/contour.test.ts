// contour: HTTPProxy weights through a whole canary lifecycle, on Contour's real CRDs, with
// -ingress-class setting spec.ingressClassName.
import { test } from 'node:test';
import { CONTOUR_API_VERSION, desiredHttpProxy } from '../../../src/routers/contour.js';
import { at, readObject, routerLifecycle, weightsOf } from './router-lifecycle.js';

test('contour: HTTPProxy accepted by the real CRD, weights move, promotion and rollback', async (t) => {
  await routerLifecycle(t, {
    provider: 'contour',
    operator: { ingressClass: 'contour' },
    crds: ['contour'],
    spec: () => ({
      service: {
        port: 9898,
        timeout: '15s',
        retries: { attempts: 3, perTryTimeout: '5s', retryOn: 'gateway-error,connect-failure' },
      },
    }),
    routed: (ns) => ({ apiVersion: CONTOUR_API_VERSION, kind: 'HTTPProxy', name: 'podinfo', namespace: ns }),
    desired: (_env, canary, routes) => Promise.resolve(desiredHttpProxy(canary, routes, 'contour')),
    weights: async (env) => {
      const proxy = await readObject(env, CONTOUR_API_VERSION, 'HTTPProxy', 'podinfo');
      return proxy && weightsOf(at(proxy, 'spec', 'routes', 0, 'services'));
    },
  });
});

// traefik: TraefikService weights through a whole canary lifecycle, on Traefik's real CRDs.
import { test } from 'node:test';
import { TRAEFIK_API_VERSION, desiredTraefikService } from '../../../src/routers/traefik.js';
import { at, readObject, routerLifecycle, weightsOf } from './router-lifecycle.js';

test('traefik: TraefikService accepted by the real CRD, weights move, promotion and rollback', async (t) => {
  await routerLifecycle(t, {
    provider: 'traefik',
    crds: ['traefik'],
    routed: (ns) => ({
      apiVersion: TRAEFIK_API_VERSION,
      kind: 'TraefikService',
      name: 'podinfo',
      namespace: ns,
    }),
    desired: (_env, canary, routes) => Promise.resolve(desiredTraefikService(canary, routes)),
    weights: async (env) => {
      const ts = await readObject(env, TRAEFIK_API_VERSION, 'TraefikService', 'podinfo');
      return ts && weightsOf(at(ts, 'spec', 'weighted', 'services'));
    },
  });
});

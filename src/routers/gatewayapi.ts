// Providers `gatewayapi:v1` and `gatewayapi:v1beta1` (spec §3.12): the HTTPRoute `<svc>`
// (gatewayapi-route.ts). On v1, reading the routes first checks that every parent (Gateway,
// or Service for GAMMA) has Accepted the route's current generation, so the analysis never
// judges a weight the data plane has not applied yet.

import type { Canary } from '../api/canary.js';
import { canaryNamespace, serviceName } from '../api/defaults.js';
import { asArray, deepEqual, isRecord } from '../kube/json.js';
import type { KubeObject } from '../kube/types.js';
import type { GatewayApiVersion } from './gatewayapi-matches.js';
import { gatewayApiVersion, httpRoute } from './gatewayapi-route.js';
import type { Router, RouterCapabilities, Routes } from './router.js';
import { reconcileRouted, setRoutesRouted } from './shared/routed-object.js';

/** Throws Flagger's "HTTPRoute … parent … is not ready" when a parent has not accepted this generation. */
export function assertParentsReady(canary: Canary, live: KubeObject): void {
  const generation = live.metadata.generation ?? 0;
  const spec = isRecord(live['spec']) ? live['spec'] : {};
  const status = isRecord(live['status']) ? live['status'] : {};
  for (const parentRef of asArray(spec['parentRefs'])) {
    for (const parent of asArray(status['parents'])) {
      if (!isRecord(parent) || !deepEqual(parent['parentRef'], parentRef)) continue;
      for (const c of asArray(parent['conditions'])) {
        if (!isRecord(c) || c['type'] !== 'Accepted') continue;
        const observed = typeof c['observedGeneration'] === 'number' ? c['observedGeneration'] : 0;
        if (c['status'] !== 'True' || observed < generation) {
          const name = isRecord(parentRef) ? String(parentRef['name']) : '';
          throw new Error(
            `HTTPRoute ${serviceName(canary)}.${canaryNamespace(canary)} parent ${name} is not ready ` +
              `(status: ${String(c['status'])}, observed generation: ${observed}, current generation: ${generation})`,
          );
        }
      }
    }
  }
}

function createGatewayApiRouter(version: GatewayApiVersion): Router {
  const route = httpRoute(version);
  const capabilities: RouterCapabilities = {
    mirroring: true,
    headerMatching: true,
    sessionAffinity: true,
    threeWaySplit: true,
  };
  return {
    capabilities,
    objectKinds: [{ apiVersion: gatewayApiVersion(version), kind: 'HTTPRoute' }],
    async reconcile(canary, ctx): Promise<void> {
      await reconcileRouted(route, canary, ctx);
    },
    async getRoutes(canary, ctx): Promise<Routes | undefined> {
      const live = await ctx.client.get(route.ref(canary), { signal: ctx.signal });
      if (live === undefined) return undefined;
      if (version === 'v1') assertParentsReady(canary, live);
      return route.readRoutes(canary, live);
    },
    async setRoutes(canary, routes, ctx): Promise<void> {
      await setRoutesRouted(route, canary, routes, ctx);
    },
    finalize: () => Promise.resolve(),
  };
}

export const createGatewayApiV1Router = (): Router => createGatewayApiRouter('v1');
export const createGatewayApiV1beta1Router = (): Router => createGatewayApiRouter('v1beta1');

// Istio (spec §3.1): DestinationRules `<svc>-primary` / `<svc>-canary` carrying
// service.trafficPolicy, and the VirtualService `<svc>` (istio-virtual-service.ts) whose
// weights shift traffic. A pre-existing VirtualService is taken over and restored on finalize.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName } from '../api/defaults.js';
import type { KubeObject } from '../kube/types.js';
import {
  ISTIO_API_VERSION,
  desiredVirtualService,
  readVirtualServiceRoutes,
  virtualServiceRef,
  virtualServiceWithoutRoutes,
} from './istio-virtual-service.js';
import type { Router, RouterCapabilities, RouterContext } from './router.js';
import {
  ensureSpec,
  finalizeRouted,
  getRoutesRouted,
  reconcileRouted,
  setRoutesRouted,
  type RoutedObject,
} from './shared/routed-object.js';

/** The DestinationRule for `<svc>-primary` or `<svc>-canary`. Pure. */
export function desiredDestinationRule(canary: Canary, role: 'primary' | 'canary'): KubeObject {
  const host = role === 'primary' ? primaryName(canary) : canaryName(canary);
  const spec: Record<string, unknown> = { host };
  const policy = canary.spec.service.trafficPolicy;
  if (policy !== undefined) spec['trafficPolicy'] = structuredClone(policy);
  return {
    apiVersion: ISTIO_API_VERSION,
    kind: 'DestinationRule',
    metadata: { name: host, namespace: canaryNamespace(canary) },
    spec,
  };
}

export const istioVirtualService: RoutedObject = {
  ref: virtualServiceRef,
  desired: desiredVirtualService,
  readRoutes: readVirtualServiceRoutes,
  withoutRoutes: (_canary, spec) => virtualServiceWithoutRoutes(spec),
  restoreOnFinalize: true,
};

const capabilities: RouterCapabilities = {
  mirroring: true,
  headerMatching: true,
  sessionAffinity: true,
  threeWaySplit: true,
};

export function createIstioRouter(): Router {
  return {
    capabilities,
    objectKinds: [
      { apiVersion: ISTIO_API_VERSION, kind: 'VirtualService' },
      { apiVersion: ISTIO_API_VERSION, kind: 'DestinationRule' },
    ],
    async reconcile(canary: Canary, ctx: RouterContext): Promise<void> {
      // Validate before writing anything, so a bad spec leaves no half-made objects.
      desiredVirtualService(canary, { primary: 100, canary: 0, mirrored: false });
      await ensureSpec(canary, desiredDestinationRule(canary, 'canary'), ctx);
      await ensureSpec(canary, desiredDestinationRule(canary, 'primary'), ctx);
      await reconcileRouted(istioVirtualService, canary, ctx);
    },
    getRoutes: (canary, ctx) => getRoutesRouted(istioVirtualService, canary, ctx),
    async setRoutes(canary, routes, ctx): Promise<void> {
      await setRoutesRouted(istioVirtualService, canary, routes, ctx);
    },
    async finalize(canary, ctx): Promise<void> {
      await finalizeRouted(istioVirtualService, canary, ctx);
    },
  };
}

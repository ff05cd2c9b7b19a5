// Provider `kuma` (spec §3.9): a cluster-scoped TrafficRoute `<svc>` (kuma.io/v1alpha1) in the
// mesh named by the Canary annotation `kuma.io/mesh` (default `default`), splitting traffic
// between the `<svc>-primary` and `<svc>-canary` Kuma services `<name>_<ns>_svc_<port>`.
// Cluster-scoped, so it never gets an owner reference to the namespaced Canary.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import {
  RouterError,
  canaryId,
  type Router,
  type RouterCapabilities,
  type RouterContext,
  type Routes,
} from './router.js';
import { withToolkitAnnotations } from './shared/metadata.js';
import {
  getRoutesRouted,
  reconcileRouted,
  setRoutesRouted,
  type RoutedObject,
} from './shared/routed-object.js';

export const KUMA_API_VERSION = 'kuma.io/v1alpha1';
export const KUMA_MESH_ANNOTATION = 'kuma.io/mesh';
const SERVICE_TAG = 'kuma.io/service';

/** Kuma's service tag for a Kubernetes Service port: `<name>_<namespace>_svc_<port>`. */
export const kumaService = (canary: Canary, name: string): string =>
  `${name}_${canaryNamespace(canary)}_svc_${canary.spec.service.port}`;

export const trafficRouteRef = (canary: Canary): ObjectRef => ({
  apiVersion: KUMA_API_VERSION,
  kind: 'TrafficRoute',
  name: serviceName(canary),
});

export function desiredTrafficRoute(canary: Canary, routes: Routes): KubeObject {
  const apex = canary.spec.service.apex;
  return {
    ...trafficRouteRef(canary),
    metadata: {
      name: serviceName(canary),
      labels: { ...apex?.labels },
      annotations: withToolkitAnnotations(apex?.annotations),
    },
    // Only read when the route is created: Flagger never moves an existing route to another mesh.
    mesh: canary.metadata.annotations?.[KUMA_MESH_ANNOTATION] ?? 'default',
    spec: {
      sources: [{ match: { [SERVICE_TAG]: '*' } }],
      destinations: [{ match: { [SERVICE_TAG]: kumaService(canary, serviceName(canary)) } }],
      conf: {
        split: [
          {
            weight: routes.primary,
            destination: { [SERVICE_TAG]: kumaService(canary, primaryName(canary)) },
          },
          { weight: routes.canary, destination: { [SERVICE_TAG]: kumaService(canary, canaryName(canary)) } },
        ],
      },
    },
  };
}

function splitsOf(spec: unknown): Record<string, unknown>[] {
  const conf = isRecord(spec) ? spec['conf'] : undefined;
  const split = isRecord(conf) ? conf['split'] : undefined;
  return Array.isArray(split) ? split.filter(isRecord) : [];
}

/** The primary split is the one whose service tag starts with `<svc>-primary_`; canary = 100 - primary. */
export function readTrafficRouteRoutes(canary: Canary, live: KubeObject): Routes {
  let primary = 0;
  let canaryWeight = 0;
  for (const s of splitsOf(live['spec'])) {
    const dest = isRecord(s['destination']) ? s['destination'][SERVICE_TAG] : undefined;
    if (typeof dest === 'string' && dest.split('_')[0] === primaryName(canary)) {
      primary = typeof s['weight'] === 'number' ? s['weight'] : 0;
      canaryWeight = 100 - primary;
    }
  }
  if (primary === 0 && canaryWeight === 0) {
    throw new RouterError(
      'MalformedObject',
      `TrafficRoute ${live.metadata.name} does not contain routes for ${primaryName(canary)} and ${canaryName(canary)} (canary ${canaryId(canary)})`,
    );
  }
  return { primary, canary: canaryWeight, mirrored: false };
}

function withoutWeights(spec: unknown): unknown {
  if (!isRecord(spec)) return spec;
  const conf = isRecord(spec['conf']) ? spec['conf'] : {};
  return { ...spec, conf: { ...conf, split: splitsOf(spec).map(({ weight: _w, ...rest }) => rest) } };
}

export const kumaTrafficRoute: RoutedObject = {
  ref: trafficRouteRef,
  desired: desiredTrafficRoute,
  readRoutes: readTrafficRouteRoutes,
  withoutRoutes: (_canary, spec) => withoutWeights(spec),
  restoreOnFinalize: false,
};

const capabilities: RouterCapabilities = { mirroring: false, headerMatching: false, sessionAffinity: false };

/** A namespaced owner cannot own a cluster-scoped object. */
const clusterScoped = (ctx: RouterContext): RouterContext => ({ ...ctx, setOwnerRefs: false });

export function createKumaRouter(): Router {
  return {
    capabilities,
    objectKinds: [{ apiVersion: KUMA_API_VERSION, kind: 'TrafficRoute', clusterScoped: true }],
    async reconcile(canary, ctx): Promise<void> {
      await reconcileRouted(kumaTrafficRoute, canary, clusterScoped(ctx));
    },
    getRoutes: (canary, ctx) => getRoutesRouted(kumaTrafficRoute, canary, ctx),
    async setRoutes(canary, routes, ctx): Promise<void> {
      await setRoutesRouted(kumaTrafficRoute, canary, routes, clusterScoped(ctx));
    },
    finalize: () => Promise.resolve(),
  };
}

// Provider `appmesh` (spec §3.3, appmesh.k8s.aws/v1beta1): VirtualNodes `<svc>`,
// `<svc>-primary`, `<svc>-canary` (DNS discovery), the apex VirtualService `<svc>.<ns>` whose
// router `<svc>` splits traffic (or, for A/B, routes `<svc>-a` by header and `<svc>-b` to the
// primary), and `<svc>-canary.<ns>` sending everything to the canary. Requires meshName.
// Deprecated: AWS ended App Mesh support on 2026-09-30; kept for users migrating from Flagger.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import {
  ACCESS_LOG,
  accessLogEnabled,
  appMeshProtocol,
  gatewayAnnotations,
  headerMatches,
  isAbTest,
  retrySettings,
  routePrefix,
} from './appmesh-shared.js';
import { RouterError, canaryId, type Router, type RouterCapabilities, type Routes } from './router.js';
import { withToolkitAnnotations } from './shared/metadata.js';
import {
  ensureSpec,
  getRoutesRouted,
  reconcileRouted,
  setRoutesRouted,
  type RoutedObject,
} from './shared/routed-object.js';

export const APPMESH_V1BETA1 = 'appmesh.k8s.aws/v1beta1';

function requireMeshName(canary: Canary): string {
  const mesh = canary.spec.service.meshName;
  if (!mesh)
    throw new RouterError(
      'InvalidSpec',
      `spec.service.meshName: mesh name cannot be empty (canary ${canaryId(canary)})`,
    );
  return mesh;
}

/** VirtualNode `name` answering on `host` (the apex node resolves to the primary). */
export function desiredVirtualNode(canary: Canary, name: string, host: string): KubeObject {
  const apex = canary.spec.service.apex;
  const spec: Record<string, unknown> = {
    meshName: requireMeshName(canary),
    listeners: [{ portMapping: { port: canary.spec.service.port, protocol: appMeshProtocol(canary) } }],
    serviceDiscovery: { dns: { hostName: host } },
  };
  const backends = canary.spec.service.backends ?? [];
  if (backends.length > 0)
    spec['backends'] = backends.map((b) => ({ virtualService: { virtualServiceName: b } }));
  if (accessLogEnabled(canary)) spec['logging'] = structuredClone(ACCESS_LOG);
  return {
    apiVersion: APPMESH_V1BETA1,
    kind: 'VirtualNode',
    metadata: {
      name,
      namespace: canaryNamespace(canary),
      labels: { ...apex?.labels },
      annotations: withToolkitAnnotations(apex?.annotations),
    },
    spec,
  };
}

function retryPolicy(canary: Canary): Record<string, unknown> | undefined {
  const r = retrySettings(canary);
  return r && { perRetryTimeoutMillis: r.perTryMs, maxRetries: r.attempts, httpRetryEvents: r.events };
}

const target = (virtualNodeName: string, weight: number): Record<string, unknown> => ({
  virtualNodeName,
  weight,
});

function httpRoute(canary: Canary, action: unknown, headers?: unknown[]): Record<string, unknown> {
  const route: Record<string, unknown> = {
    match: { prefix: routePrefix(canary), ...(headers ? { headers } : {}) },
    action,
  };
  const retry = retryPolicy(canary);
  if (retry) route['retryPolicy'] = retry;
  return route;
}

/** VirtualService `name` on router `router`, with canary weight `w` (apex: live weights; canary VS: 100). */
function desiredVirtualService(canary: Canary, name: string, routerName: string, routes: Routes): KubeObject {
  const svc = serviceName(canary);
  const weighted = {
    weightedTargets: [target(canaryName(canary), routes.canary), target(primaryName(canary), routes.primary)],
  };
  const apex = routerName === svc;
  const vsRoutes =
    apex && isAbTest(canary)
      ? [
          { name: `${svc}-a`, priority: 10, http: httpRoute(canary, weighted, headerMatches(canary)) },
          {
            name: `${svc}-b`,
            priority: 20,
            http: httpRoute(canary, { weightedTargets: [target(primaryName(canary), 100)] }),
          },
        ]
      : [{ name: routerName, http: httpRoute(canary, weighted) }];
  const annotations = apex ? gatewayAnnotations(canary) : {};
  return {
    apiVersion: APPMESH_V1BETA1,
    kind: 'VirtualService',
    metadata: {
      name,
      namespace: canaryNamespace(canary),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      meshName: requireMeshName(canary),
      virtualRouter: {
        name: routerName,
        listeners: [{ portMapping: { port: canary.spec.service.port, protocol: appMeshProtocol(canary) } }],
      },
      routes: vsRoutes,
    },
  };
}

export const apexVirtualServiceRef = (canary: Canary): ObjectRef => ({
  apiVersion: APPMESH_V1BETA1,
  kind: 'VirtualService',
  name: `${serviceName(canary)}.${canaryNamespace(canary)}`,
  namespace: canaryNamespace(canary),
});

function routesOf(spec: unknown): Record<string, unknown>[] {
  const routes = isRecord(spec) ? spec['routes'] : undefined;
  return Array.isArray(routes) ? routes.filter(isRecord) : [];
}

/** `routes[0]`'s weighted targets, as Flagger reads them (exactly two expected). */
export function readWeightedTargets(
  canary: Canary,
  live: KubeObject,
  routeKey: string,
  nodeName: (t: Record<string, unknown>) => unknown,
): Routes {
  const first = routesOf(live['spec'])[0];
  const http = isRecord(first?.[routeKey]) ? first[routeKey] : undefined;
  const action = isRecord(http?.['action']) ? http['action'] : undefined;
  const targets = Array.isArray(action?.['weightedTargets'])
    ? action['weightedTargets'].filter(isRecord)
    : [];
  if (targets.length !== 2) {
    throw new RouterError(
      'MalformedObject',
      `${live.kind} ${live.metadata.name} routes not found (canary ${canaryId(canary)})`,
    );
  }
  let primary = 0;
  let canaryWeight = 0;
  for (const t of targets) {
    const w = typeof t['weight'] === 'number' ? t['weight'] : 0;
    if (nodeName(t) === canaryName(canary)) canaryWeight = w;
    if (nodeName(t) === primaryName(canary)) primary = w;
  }
  if (primary === 0 && canaryWeight === 0) {
    throw new RouterError(
      'MalformedObject',
      `${live.kind} ${live.metadata.name} does not contain routes for ${primaryName(canary)} and ${canaryName(canary)}`,
    );
  }
  return { primary, canary: canaryWeight, mirrored: false };
}

/** The spec without any weighted targets (Flagger's reconcile diff ignores them all). */
export function withoutWeightedTargets(spec: unknown, routeKey: string): unknown {
  if (!isRecord(spec)) return spec;
  const routes = routesOf(spec).map((r) => {
    const http = r[routeKey];
    if (!isRecord(http) || !isRecord(http['action'])) return r;
    const { weightedTargets: _t, ...action } = http['action'];
    return { ...r, [routeKey]: { ...http, action } };
  });
  return { ...spec, routes };
}

export const appMeshApexVirtualService: RoutedObject = {
  ref: apexVirtualServiceRef,
  desired: (canary, routes) =>
    desiredVirtualService(canary, apexVirtualServiceRef(canary).name, serviceName(canary), routes),
  readRoutes: (canary, live) => readWeightedTargets(canary, live, 'http', (t) => t['virtualNodeName']),
  withoutRoutes: (_canary, spec) => withoutWeightedTargets(spec, 'http'),
  restoreOnFinalize: false,
};

// App Mesh injects its Envoy sidecar only into pods whose VirtualNode already exists.
const capabilities: RouterCapabilities = {
  mirroring: false,
  headerMatching: true,
  sessionAffinity: false,
  reconcileBeforePrimary: true,
};

export function createAppMeshRouter(): Router {
  return {
    capabilities,
    objectKinds: [
      { apiVersion: APPMESH_V1BETA1, kind: 'VirtualNode' },
      { apiVersion: APPMESH_V1BETA1, kind: 'VirtualService' },
    ],
    async reconcile(canary, ctx): Promise<void> {
      const ns = canaryNamespace(canary);
      const [svc, primary, canarySvc] = [serviceName(canary), primaryName(canary), canaryName(canary)];
      await ensureSpec(canary, desiredVirtualNode(canary, svc, `${primary}.${ns}`), ctx);
      await ensureSpec(canary, desiredVirtualNode(canary, primary, `${primary}.${ns}`), ctx);
      await ensureSpec(canary, desiredVirtualNode(canary, canarySvc, `${canarySvc}.${ns}`), ctx);
      await reconcileRouted(appMeshApexVirtualService, canary, ctx);
      const allCanary = { primary: 0, canary: 100, mirrored: false };
      await ensureSpec(
        canary,
        desiredVirtualService(canary, `${canarySvc}.${ns}`, canarySvc, allCanary),
        ctx,
      );
    },
    getRoutes: (canary, ctx) => getRoutesRouted(appMeshApexVirtualService, canary, ctx),
    async setRoutes(canary, routes, ctx): Promise<void> {
      await setRoutesRouted(appMeshApexVirtualService, canary, routes, ctx);
    },
    finalize: () => Promise.resolve(),
  };
}

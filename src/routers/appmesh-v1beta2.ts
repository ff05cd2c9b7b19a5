// Provider `appmesh:v1beta2` (spec §3.3, appmesh.k8s.aws/v1beta2): VirtualNodes
// `<svc>-primary` / `<svc>-canary` selecting their pods (podSelector), VirtualRouters `<svc>`
// (weighted) and `<svc>-canary` (all canary), each behind a VirtualService of the same name.
// The App Mesh controller fills `awsName` and `meshRef`; they are kept on every update.
// Deprecated: AWS ended App Mesh support on 2026-09-30; kept for users migrating from Flagger.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { ensureObject, type EnsureResult } from '../kube/ensure.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { readWeightedTargets, withoutWeightedTargets } from './appmesh.js';
import {
  ACCESS_LOG,
  accessLogEnabled,
  appMeshProtocol,
  durationMs,
  gatewayAnnotations,
  headerMatches,
  isAbTest,
  retrySettings,
  routePrefix,
} from './appmesh-shared.js';
import {
  RouterError,
  type Router,
  type RouterCapabilities,
  type RouterContext,
  type Routes,
} from './router.js';
import { withToolkitAnnotations } from './shared/metadata.js';
import { withoutEmpty } from './shared/normalize.js';
import { INITIAL_ROUTES, ownerFor } from './shared/routed-object.js';

export const APPMESH_V1BETA2 = 'appmesh.k8s.aws/v1beta2';
/** Set by the App Mesh controller; never overwritten or compared. */
const CONTROLLER_FIELDS = ['awsName', 'meshRef'] as const;
/** Flagger's default pod selector label when the target's is unknown. */
const DEFAULT_SELECTOR_LABEL = 'app';

/** targetPort when numeric (the container's port, which Envoy listens in front of), else port. */
function containerPort(canary: Canary): number {
  const tp = canary.spec.service.targetPort;
  return typeof tp === 'number' && tp > 0 ? tp : canary.spec.service.port;
}

function perRequest(canary: Canary): Record<string, unknown> | undefined {
  const ms = durationMs(canary.spec.service.timeout);
  return ms === undefined ? undefined : { perRequest: { unit: 'ms', value: ms } };
}

const ns = (canary: Canary): string => canaryNamespace(canary);

export function desiredVirtualNodeV2(
  canary: Canary,
  name: string,
  podValue: string,
  label: string,
): KubeObject {
  const timeout = perRequest(canary);
  const listener: Record<string, unknown> = {
    portMapping: { port: containerPort(canary), protocol: appMeshProtocol(canary) },
  };
  if (timeout) listener['timeout'] = { http: timeout };
  const spec: Record<string, unknown> = {
    listeners: [listener],
    serviceDiscovery: { dns: { hostname: `${name}.${ns(canary)}.svc.cluster.local.` } },
    podSelector: { matchLabels: { [label]: podValue } },
  };
  if (accessLogEnabled(canary)) spec['logging'] = structuredClone(ACCESS_LOG);
  const backends = canary.spec.service.backends ?? [];
  if (backends.length > 0) {
    spec['backends'] = backends.map((b) => ({
      virtualService: b.startsWith('arn:aws') ? { virtualServiceARN: b } : { virtualServiceRef: { name: b } },
    }));
  }
  const apex = canary.spec.service.apex;
  return {
    apiVersion: APPMESH_V1BETA2,
    kind: 'VirtualNode',
    metadata: {
      name,
      namespace: ns(canary),
      labels: { ...apex?.labels },
      annotations: withToolkitAnnotations(apex?.annotations),
    },
    spec,
  };
}

function httpRoute(
  canary: Canary,
  targets: [string, number][],
  headers?: unknown[],
): Record<string, unknown> {
  const route: Record<string, unknown> = {
    match: { prefix: routePrefix(canary), ...(headers ? { headers } : {}) },
    action: { weightedTargets: targets.map(([name, weight]) => ({ virtualNodeRef: { name }, weight })) },
  };
  const timeout = perRequest(canary);
  if (timeout) route['timeout'] = timeout;
  const r = retrySettings(canary);
  if (r) {
    route['retryPolicy'] = {
      perRetryTimeout: { unit: 'ms', value: r.perTryMs },
      maxRetries: r.attempts,
      httpRetryEvents: r.events,
    };
  }
  return route;
}

export function desiredVirtualRouter(canary: Canary, name: string, routes: Routes): KubeObject {
  const svc = serviceName(canary);
  const weighted: [string, number][] = [
    [canaryName(canary), routes.canary],
    [primaryName(canary), routes.primary],
  ];
  const vrRoutes =
    name === svc && isAbTest(canary)
      ? [
          { name: `${svc}-a`, priority: 10, httpRoute: httpRoute(canary, weighted, headerMatches(canary)) },
          { name: `${svc}-b`, priority: 20, httpRoute: httpRoute(canary, [[primaryName(canary), 100]]) },
        ]
      : [{ name, httpRoute: httpRoute(canary, weighted) }];
  return {
    apiVersion: APPMESH_V1BETA2,
    kind: 'VirtualRouter',
    metadata: { name, namespace: ns(canary) },
    spec: {
      listeners: [{ portMapping: { port: containerPort(canary), protocol: appMeshProtocol(canary) } }],
      routes: vrRoutes,
    },
  };
}

export function desiredVirtualServiceV2(canary: Canary, name: string): KubeObject {
  const annotations = name === serviceName(canary) ? gatewayAnnotations(canary) : {};
  return {
    apiVersion: APPMESH_V1BETA2,
    kind: 'VirtualService',
    metadata: {
      name,
      namespace: ns(canary),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: { provider: { virtualRouter: { virtualRouterRef: { name } } } },
  };
}

const routerRef = (canary: Canary): ObjectRef => ({
  apiVersion: APPMESH_V1BETA2,
  kind: 'VirtualRouter',
  name: serviceName(canary),
  namespace: ns(canary),
});

const specOf = (o: KubeObject): Record<string, unknown> => (isRecord(o['spec']) ? o['spec'] : {});

function withoutControllerFields(spec: Record<string, unknown>): Record<string, unknown> {
  const { awsName: _name, meshRef: _mesh, ...rest } = spec;
  return rest;
}

/** `live` with `spec` (keeping the controller's fields) and desired metadata laid over. */
function mergeKeeping(live: KubeObject, spec: Record<string, unknown>, desired: KubeObject): KubeObject {
  const next = structuredClone(live);
  const kept: Record<string, unknown> = {};
  for (const key of CONTROLLER_FIELDS) if (specOf(live)[key] !== undefined) kept[key] = specOf(live)[key];
  next['spec'] = { ...structuredClone(spec), ...kept };
  next.metadata.labels = { ...live.metadata.labels, ...desired.metadata.labels };
  next.metadata.annotations = { ...live.metadata.annotations, ...desired.metadata.annotations };
  return next;
}

function ensureKeeping(
  canary: Canary,
  desired: KubeObject,
  ctx: RouterContext,
  opts: { ignoreWeights: boolean; spec: (live: KubeObject) => Record<string, unknown> },
): Promise<EnsureResult> {
  const comparable = (o: KubeObject): unknown => {
    const spec = withoutControllerFields(specOf(o));
    return withoutEmpty(opts.ignoreWeights ? withoutWeightedTargets(spec, 'httpRoute') : spec);
  };
  return ensureObject(ctx.client, desired, {
    owner: ownerFor(canary, ctx),
    signal: ctx.signal,
    project: (o) => ({
      spec: comparable(o),
      labels: o.metadata.labels ?? {},
      annotations: o.metadata.annotations ?? {},
    }),
    merge: (live, d) => mergeKeeping(live, opts.spec(live), d),
  });
}

const readRouterRoutes = (canary: Canary, live: KubeObject): Routes =>
  readWeightedTargets(canary, live, 'httpRoute', (t) =>
    isRecord(t['virtualNodeRef']) ? t['virtualNodeRef']['name'] : undefined,
  );

function liveRoutes(canary: Canary, live: KubeObject): Routes {
  try {
    return readRouterRoutes(canary, live);
  } catch (err) {
    if (err instanceof RouterError && err.reason === 'MalformedObject') return INITIAL_ROUTES;
    throw err;
  }
}

// App Mesh injects its Envoy sidecar only into pods whose VirtualNode already exists.
const capabilities: RouterCapabilities = {
  mirroring: false,
  headerMatching: true,
  sessionAffinity: false,
  reconcileBeforePrimary: true,
};

export function createAppMeshV1beta2Router(): Router {
  return {
    capabilities,
    objectKinds: ['VirtualNode', 'VirtualRouter', 'VirtualService'].map((kind) => ({
      apiVersion: APPMESH_V1BETA2,
      kind,
    })),
    async reconcile(canary, ctx): Promise<void> {
      const label = ctx.selectorLabel ?? DEFAULT_SELECTOR_LABEL;
      const target = canary.spec.targetRef.name;
      for (const [name, pods] of [
        [primaryName(canary), `${target}-primary`],
        [canaryName(canary), target],
      ] as const) {
        const node = desiredVirtualNodeV2(canary, name, pods, label);
        await ensureKeeping(canary, node, ctx, { ignoreWeights: false, spec: () => specOf(node) });
      }
      const apex = desiredVirtualRouter(canary, serviceName(canary), INITIAL_ROUTES);
      await ensureKeeping(canary, apex, ctx, {
        ignoreWeights: true,
        spec: (live) => specOf(desiredVirtualRouter(canary, serviceName(canary), liveRoutes(canary, live))),
      });
      const allCanary = desiredVirtualRouter(canary, canaryName(canary), {
        primary: 0,
        canary: 100,
        mirrored: false,
      });
      await ensureKeeping(canary, allCanary, ctx, { ignoreWeights: false, spec: () => specOf(allCanary) });
      for (const name of [serviceName(canary), canaryName(canary)]) {
        const vs = desiredVirtualServiceV2(canary, name);
        await ensureKeeping(canary, vs, ctx, { ignoreWeights: false, spec: () => specOf(vs) });
      }
    },
    async getRoutes(canary, ctx): Promise<Routes | undefined> {
      const live = await ctx.client.get(routerRef(canary), { signal: ctx.signal });
      return live === undefined ? undefined : readRouterRoutes(canary, live);
    },
    async setRoutes(canary, routes, ctx): Promise<void> {
      const desired = desiredVirtualRouter(canary, serviceName(canary), routes);
      await ensureKeeping(canary, desired, ctx, { ignoreWeights: false, spec: () => specOf(desired) });
    },
    finalize: () => Promise.resolve(),
  };
}

// Provider `apisix` (spec §3.11): spec.routeRef names an ApisixRoute (apisix.apache.org/v2);
// its HTTP route whose single backend is the apex Service is copied into ApisixRoute
// `<route>-<svc>-canary` at priority 10000, with backends `<svc>-primary` and `<svc>-canary`
// (same port, resolveGranularity and subset) carrying the weights. The original is untouched.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { asArray, isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import {
  RouterError,
  type Router,
  type RouterCapabilities,
  type RouterContext,
  type Routes,
} from './router.js';
import { reconcileRouted, setRoutesRouted, type RoutedObject } from './shared/routed-object.js';
import { assertSomeWeight, numberField } from './shared/weights.js';

export const APISIX_API_VERSION = 'apisix.apache.org/v2';
const MAX_PRIORITY = 10000;
type Json = Record<string, unknown>;

function routeRefName(canary: Canary): string {
  const name = canary.spec.routeRef?.name;
  if (name === undefined || name === '')
    throw new RouterError('InvalidSpec', 'apisix route selector is empty');
  return name;
}

export const apisixCanaryRouteRef = (canary: Canary): ObjectRef => ({
  apiVersion: APISIX_API_VERSION,
  kind: 'ApisixRoute',
  name: `${routeRefName(canary)}-${serviceName(canary)}-canary`,
  namespace: canaryNamespace(canary),
});

const httpRoutes = (route: KubeObject): Json[] =>
  isRecord(route['spec']) ? asArray(route['spec']['http']).filter(isRecord) : [];

/** The HTTP route with a backend named `service`; Flagger's "Can not find" error otherwise. */
function targetHttpRoute(canary: Canary, route: KubeObject, service: string): Json {
  const found = httpRoutes(route).find((r) =>
    asArray(r['backends']).some((b) => isRecord(b) && b['serviceName'] === service),
  );
  if (found === undefined) {
    throw new RouterError(
      'MalformedObject',
      `Can not find ${service} backend on apisix route ${routeRefName(canary)}.${canaryNamespace(canary)} `,
    );
  }
  return found;
}

export function desiredApisixRoute(canary: Canary, source: KubeObject, routes: Routes): KubeObject {
  const id = `${routeRefName(canary)}.${canaryNamespace(canary)}`;
  if (httpRoutes(source).length === 0)
    throw new RouterError('InvalidSpec', `APISIX route ${id}'s spec.http is empty`);
  let target: Json;
  try {
    target = structuredClone(targetHttpRoute(canary, source, serviceName(canary)));
  } catch (err) {
    throw new RouterError('InvalidSpec', err instanceof Error ? err.message : String(err));
  }
  const backends = asArray(target['backends']).filter(isRecord);
  const first = backends[0];
  if (backends.length !== 1 || first === undefined) {
    throw new RouterError(
      'InvalidSpec',
      `APISIX route ${id}'s http route ${String(target['name'])} only one http backend is supported`,
    );
  }
  const canaryBackend: Json = {
    serviceName: canaryName(canary),
    servicePort: first['servicePort'],
    weight: routes.canary,
  };
  if (first['resolveGranularity'] !== undefined)
    canaryBackend['resolveGranularity'] = first['resolveGranularity'];
  if (first['subset'] !== undefined) canaryBackend['subset'] = first['subset'];
  target['priority'] = MAX_PRIORITY;
  target['backends'] = [
    { ...first, serviceName: primaryName(canary), weight: routes.primary },
    canaryBackend,
  ];
  const ref = apisixCanaryRouteRef(canary);
  return {
    apiVersion: APISIX_API_VERSION,
    kind: 'ApisixRoute',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { ...source.metadata.labels },
      annotations: { ...source.metadata.annotations },
    },
    spec: { ...(isRecord(source['spec']) ? structuredClone(source['spec']) : {}), http: [target] },
  };
}

/** The primary backend's weight in the canary route; canary = 100 - primary. */
export function readApisixRoutes(canary: Canary, live: KubeObject): Routes {
  const target = targetHttpRoute(canary, live, primaryName(canary));
  const primary = asArray(target['backends'])
    .filter(isRecord)
    .find((b) => b['serviceName'] === primaryName(canary));
  const weight = primary === undefined ? 0 : (numberField(primary, 'weight') ?? 0);
  return { primary: weight, canary: 100 - weight, mirrored: false };
}

function withoutWeights(spec: unknown): unknown {
  if (!isRecord(spec)) return spec;
  return {
    ...spec,
    http: asArray(spec['http']).map((r) =>
      isRecord(r)
        ? {
            ...r,
            backends: asArray(r['backends']).map((b) => (isRecord(b) ? { ...b, weight: undefined } : b)),
          }
        : r,
    ),
  };
}

export function apisixCanaryRoute(source: KubeObject): RoutedObject {
  return {
    ref: apisixCanaryRouteRef,
    desired: (canary, routes) => desiredApisixRoute(canary, source, routes),
    readRoutes: readApisixRoutes,
    withoutRoutes: (_canary, spec) => withoutWeights(spec),
    restoreOnFinalize: false,
  };
}

async function readSourceRoute(canary: Canary, ctx: RouterContext): Promise<KubeObject> {
  const ref: ObjectRef = {
    apiVersion: APISIX_API_VERSION,
    kind: 'ApisixRoute',
    name: routeRefName(canary),
    namespace: canaryNamespace(canary),
  };
  const live = await ctx.client.get(ref, { signal: ctx.signal });
  if (live === undefined) {
    throw new RouterError(
      'NotFound',
      `APISIX route ${ref.name}.${ref.namespace ?? ''} get query error: not found`,
    );
  }
  return live;
}

const capabilities: RouterCapabilities = { mirroring: false, headerMatching: false, sessionAffinity: false };

export function createApisixRouter(): Router {
  return {
    capabilities,
    objectKinds: [{ apiVersion: APISIX_API_VERSION, kind: 'ApisixRoute' }],
    async reconcile(canary, ctx): Promise<void> {
      await reconcileRouted(apisixCanaryRoute(await readSourceRoute(canary, ctx)), canary, ctx);
    },
    async getRoutes(canary, ctx): Promise<Routes | undefined> {
      const live = await ctx.client.get(apisixCanaryRouteRef(canary), { signal: ctx.signal });
      return live === undefined ? undefined : readApisixRoutes(canary, live);
    },
    async setRoutes(canary, routes, ctx): Promise<void> {
      assertSomeWeight('RoutingRule', serviceName(canary), canary, routes);
      await setRoutesRouted(apisixCanaryRoute(await readSourceRoute(canary, ctx)), canary, routes, ctx);
    },
    finalize: () => Promise.resolve(),
  };
}

// Providers `gloo` / `gloo*` (spec §3.6): Upstreams (gloo.solo.io/v1)
// `<ns>-<svc>-primaryupstream-<port>` and `<ns>-<svc>-canaryupstream-<port>` for the
// `-primary` / `-canary` Services (settings copied from spec.upstreamRef), and a RouteTable
// `<svc>` (gateway.solo.io/v1) splitting one route between them. A/B adds header and method
// matchers. The user's Gloo VirtualService delegates to this RouteTable.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { ensureObject } from '../kube/ensure.js';
import { asArray, deepEqual, isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import {
  RouterError,
  type Router,
  type RouterCapabilities,
  type RouterContext,
  type Routes,
} from './router.js';
import {
  getRoutesRouted,
  ownerFor,
  reconcileRouted,
  setRoutesRouted,
  type RoutedObject,
} from './shared/routed-object.js';
import { apexMetadata, assertSomeWeight, numberField } from './shared/weights.js';

export const GLOO_API_VERSION = 'gloo.solo.io/v1';
export const GLOO_GATEWAY_API_VERSION = 'gateway.solo.io/v1';
type Json = Record<string, unknown>;

export const upstreamName = (canary: Canary, role: 'primary' | 'canary'): string =>
  `${canaryNamespace(canary)}-${serviceName(canary)}-${role}upstream-${canary.spec.service.port}`;

export const routeTableRef = (canary: Canary): ObjectRef => ({
  apiVersion: GLOO_GATEWAY_API_VERSION,
  kind: 'RouteTable',
  name: serviceName(canary),
  namespace: canaryNamespace(canary),
});

/** Header matchers (exact, or `regex: true`) and the methods of analysis.match, or none. */
function matchers(canary: Canary): Json[] | undefined {
  const headers: Json[] = [];
  const methods: string[] = [];
  for (const m of canary.spec.analysis.match ?? []) {
    for (const [name, s] of Object.entries(m.headers ?? {})) {
      if (s.regex) headers.push({ name, value: s.regex, regex: true });
      else headers.push(s.exact ? { name, value: s.exact } : { name });
    }
    if (m.method !== undefined) methods.push(m.method.exact ?? '');
  }
  if (headers.length === 0 && methods.length === 0) return undefined;
  const out: Json = {};
  if (headers.length > 0) out['headers'] = headers;
  if (methods.length > 0) out['methods'] = methods;
  return [out];
}

/** Go's omitempty: a zero weight is not written. */
const destination = (canary: Canary, name: string, weight: number): Json => ({
  destination: { upstream: { name, namespace: canaryNamespace(canary) } },
  ...(weight === 0 ? {} : { weight }),
});

export function desiredRouteTable(canary: Canary, routes: Routes): KubeObject {
  const route: Json = { inheritablePathMatchers: true };
  const m = matchers(canary);
  if (m !== undefined) route['matchers'] = m;
  route['routeAction'] = {
    multi: {
      destinations: [
        destination(canary, upstreamName(canary, 'primary'), routes.primary),
        destination(canary, upstreamName(canary, 'canary'), routes.canary),
      ],
    },
  };
  return {
    apiVersion: GLOO_GATEWAY_API_VERSION,
    kind: 'RouteTable',
    metadata: apexMetadata(canary),
    spec: { routes: [route] },
  };
}

function destinationsOf(spec: unknown): Json[] {
  const route = isRecord(spec) ? asArray(spec['routes'])[0] : undefined;
  const action = isRecord(route) ? route['routeAction'] : undefined;
  const multi = isRecord(action) ? action['multi'] : undefined;
  return isRecord(multi) ? asArray(multi['destinations']).filter(isRecord) : [];
}

const upstreamOf = (d: Json): unknown =>
  isRecord(d['destination']) && isRecord(d['destination']['upstream'])
    ? d['destination']['upstream']['name']
    : undefined;

export function readRouteTableRoutes(canary: Canary, live: KubeObject): Routes {
  const dests = destinationsOf(live['spec']);
  const primary = dests.find((d) => upstreamOf(d) === upstreamName(canary, 'primary'));
  if (dests.length < 2 || primary === undefined) {
    throw new RouterError(
      'MalformedObject',
      `RouteTable ${live.metadata.name}.${canaryNamespace(canary)} destinations not found`,
    );
  }
  const weight = numberField(primary, 'weight') ?? 0;
  return { primary: weight, canary: 100 - weight, mirrored: false };
}

export const glooRouteTable: RoutedObject = {
  ref: routeTableRef,
  desired: desiredRouteTable,
  readRoutes: readRouteTableRoutes,
  withoutRoutes: (_canary, spec) =>
    isRecord(spec)
      ? {
          ...spec,
          routes: asArray(spec['routes']).map((r) =>
            isRecord(r)
              ? {
                  ...r,
                  routeAction: {
                    multi: { destinations: destinationsOf(spec).map(({ weight: _w, ...d }) => d) },
                  },
                }
              : r,
          ),
        }
      : spec,
  restoreOnFinalize: false,
};

/** Settings Flagger copies from the upstreamRef Upstream. */
const COPIED = [
  'labels',
  'sslConfig',
  'circuitBreakers',
  'connectionConfig',
  'loadBalancerConfig',
  'useHttp2',
  'initialStreamWindowSize',
  'initialConnectionWindowSize',
  'httpProxyHostName',
] as const;

export function desiredUpstream(
  canary: Canary,
  role: 'primary' | 'canary',
  service: KubeObject,
  config: KubeObject | undefined,
): KubeObject {
  const spec: Json = {};
  const configSpec = config !== undefined && isRecord(config['spec']) ? config['spec'] : {};
  for (const key of COPIED) if (configSpec[key] !== undefined) spec[key] = structuredClone(configSpec[key]);
  const svcSpec = isRecord(service['spec']) ? service['spec'] : {};
  const kube: Json = {
    serviceName: service.metadata.name,
    serviceNamespace: canaryNamespace(canary),
    servicePort: canary.spec.service.port,
  };
  if (isRecord(svcSpec['selector'])) kube['selector'] = structuredClone(svcSpec['selector']);
  spec['kube'] = kube;
  return {
    apiVersion: GLOO_API_VERSION,
    kind: 'Upstream',
    metadata: { name: upstreamName(canary, role), namespace: canaryNamespace(canary) },
    spec,
  };
}

async function readRequired(ctx: RouterContext, ref: ObjectRef, what: string): Promise<KubeObject> {
  const live = await ctx.client.get(ref, { signal: ctx.signal });
  if (live === undefined)
    throw new RouterError(
      'NotFound',
      `${what} ${ref.name}.${ref.namespace ?? ''} get query error: not found`,
    );
  return live;
}

/** Creates the Upstream; on an existing one only loadBalancerConfig follows the upstreamRef (as Flagger does). */
async function ensureUpstream(
  canary: Canary,
  role: 'primary' | 'canary',
  config: KubeObject | undefined,
  ctx: RouterContext,
): Promise<void> {
  const ns = canaryNamespace(canary);
  const svcName = role === 'primary' ? primaryName(canary) : canaryName(canary);
  const service = await readRequired(
    ctx,
    { apiVersion: 'v1', kind: 'Service', name: svcName, namespace: ns },
    'service',
  );
  const lb = (o: KubeObject): unknown => (isRecord(o['spec']) ? o['spec']['loadBalancerConfig'] : undefined);
  await ensureObject(ctx.client, desiredUpstream(canary, role, service, config), {
    owner: ownerFor(canary, ctx),
    signal: ctx.signal,
    project: lb,
    merge: (live) => {
      const next = structuredClone(live);
      const want = config === undefined ? undefined : lb(config);
      if (config === undefined || deepEqual(want, lb(live))) return next;
      next['spec'] = {
        ...(isRecord(live['spec']) ? live['spec'] : {}),
        loadBalancerConfig: structuredClone(want),
      };
      return next;
    },
  });
}

const capabilities: RouterCapabilities = { mirroring: false, headerMatching: true, sessionAffinity: false };

export function createGlooRouter(): Router {
  return {
    capabilities,
    objectKinds: [
      { apiVersion: GLOO_API_VERSION, kind: 'Upstream' },
      { apiVersion: GLOO_GATEWAY_API_VERSION, kind: 'RouteTable' },
    ],
    async reconcile(canary, ctx): Promise<void> {
      const ref = canary.spec.upstreamRef;
      const config =
        ref === undefined
          ? undefined
          : await readRequired(
              ctx,
              {
                apiVersion: GLOO_API_VERSION,
                kind: 'Upstream',
                name: ref.name,
                namespace: ref.namespace ?? canaryNamespace(canary),
              },
              'config upstream',
            );
      await ensureUpstream(canary, 'primary', config, ctx);
      await ensureUpstream(canary, 'canary', config, ctx);
      await reconcileRouted(glooRouteTable, canary, ctx);
    },
    getRoutes: (canary, ctx) => getRoutesRouted(glooRouteTable, canary, ctx),
    async setRoutes(canary, routes, ctx): Promise<void> {
      assertSomeWeight('RoutingRule', serviceName(canary), canary, routes);
      await setRoutesRouted(glooRouteTable, canary, routes, ctx);
    },
    finalize: () => Promise.resolve(),
  };
}

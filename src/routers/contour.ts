// Provider `contour` (spec §3.5): an HTTPProxy `<svc>` (projectcontour.io/v1) with one route
// splitting `<svc>-primary` / `<svc>-canary` by weight; A/B puts the header conditions on a
// first weighted route and keeps a default route all on the primary. Each service sets
// `l5d-dst-override`, so the proxy also works in front of Linkerd. `-ingress-class` becomes
// `spec.ingressClassName`.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
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
  reconcileRouted,
  setRoutesRouted,
  type RoutedObject,
} from './shared/routed-object.js';
import { apexMetadata, assertSomeWeight, numberField } from './shared/weights.js';
import { baselineServiceName, baselineShare, withBaseline } from './shared/baseline.js';

export const CONTOUR_API_VERSION = 'projectcontour.io/v1';

export const httpProxyRef = (canary: Canary): ObjectRef => ({
  apiVersion: CONTOUR_API_VERSION,
  kind: 'HTTPProxy',
  name: serviceName(canary),
  namespace: canaryNamespace(canary),
});

/** `service.match[0].uri.prefix`, else `/`. */
function prefixOf(canary: Canary): string {
  return canary.spec.service.match?.[0]?.uri?.prefix || '/';
}

/** One condition per analysis header: exact, or `contains` for prefix and suffix (as Flagger maps them). */
function abConditions(canary: Canary): Record<string, unknown>[] {
  const prefix = prefixOf(canary);
  const out: Record<string, unknown>[] = [];
  for (const match of canary.spec.analysis.match ?? []) {
    for (const [name, m] of Object.entries(match.headers ?? {})) {
      // Go's omitempty: a regex-only match leaves a bare header name, as Flagger writes it.
      let header: Record<string, unknown> = m.exact ? { name, exact: m.exact } : { name };
      if (m.suffix) header = { name, contains: m.suffix };
      if (m.prefix) header = { name, contains: m.prefix };
      out.push({ prefix, header });
    }
  }
  return out;
}

function route(canary: Canary, conditions: unknown[], routes: Routes): Record<string, unknown> {
  const { port, timeout, retries } = canary.spec.service;
  const svc = (name: string, weight: number): Record<string, unknown> => ({
    name,
    port,
    weight,
    requestHeadersPolicy: {
      set: [
        { name: 'l5d-dst-override', value: `${name}.${canaryNamespace(canary)}.svc.cluster.local:${port}` },
      ],
    },
  });
  const r: Record<string, unknown> = { conditions };
  if (timeout) r['timeoutPolicy'] = { response: timeout, idle: '5m' };
  if (retries !== undefined) {
    const policy: Record<string, unknown> = { count: retries.attempts ?? 0 };
    if (retries.perTryTimeout) policy['perTryTimeout'] = retries.perTryTimeout;
    // Flagger splits an empty retryOn into [""], which Contour's schema rejects; omit it instead.
    if (retries.retryOn) policy['retryOn'] = retries.retryOn.split(',');
    r['retryPolicy'] = policy;
  }
  const services = [svc(primaryName(canary), routes.primary), svc(canaryName(canary), routes.canary)];
  const baseline = baselineShare(routes);
  if (baseline !== undefined) services.push(svc(baselineServiceName(canary), baseline));
  r['services'] = services;
  return r;
}

export function desiredHttpProxy(canary: Canary, routes: Routes, ingressClass = ''): KubeObject {
  const base = [{ prefix: prefixOf(canary) }];
  const ab = (canary.spec.analysis.match ?? []).length > 0;
  const spec: Record<string, unknown> = {
    routes: ab
      ? [
          route(canary, abConditions(canary), routes),
          route(canary, base, { primary: 100, canary: 0, mirrored: false }),
        ]
      : [route(canary, base, routes)],
  };
  if (ingressClass !== '') spec['ingressClassName'] = ingressClass;
  return { apiVersion: CONTOUR_API_VERSION, kind: 'HTTPProxy', metadata: apexMetadata(canary), spec };
}

const routesOf = (spec: unknown): Record<string, unknown>[] => {
  const r = isRecord(spec) ? spec['routes'] : undefined;
  return Array.isArray(r) ? r.filter(isRecord) : [];
};
const servicesOf = (route: Record<string, unknown> | undefined): Record<string, unknown>[] => {
  const s = route?.['services'];
  return Array.isArray(s) ? s.filter(isRecord) : [];
};

/** The first route's primary (and baseline) weight; canary = 100 - primary - baseline. */
export function readHttpProxyRoutes(canary: Canary, live: KubeObject): Routes {
  const services = servicesOf(routesOf(live['spec'])[0]);
  const primary = services.find((s) => s['name'] === primaryName(canary));
  if (services.length < 2 || primary === undefined) {
    throw new RouterError(
      'MalformedObject',
      `HTTPProxy ${live.metadata.name}.${canaryNamespace(canary)} services not found`,
    );
  }
  const weight = numberField(primary, 'weight') ?? 0;
  const found = services.find((s) => s['name'] === baselineServiceName(canary));
  const baseline = found === undefined ? 0 : (numberField(found, 'weight') ?? 0);
  return withBaseline({ primary: weight, canary: 100 - weight - baseline, mirrored: false }, baseline);
}

/** The spec without service weights. The A/B default route's fixed 100/0 is not a live weight, but dropping it is harmless. */
function withoutWeights(spec: unknown): unknown {
  if (!isRecord(spec)) return spec;
  return {
    ...spec,
    routes: routesOf(spec).map((r) => ({
      ...r,
      services: servicesOf(r).map(({ weight: _w, ...rest }) => rest),
    })),
  };
}

export function contourHttpProxy(ingressClass = ''): RoutedObject {
  return {
    ref: httpProxyRef,
    desired: (canary, routes) => desiredHttpProxy(canary, routes, ingressClass),
    readRoutes: readHttpProxyRoutes,
    withoutRoutes: (_canary, spec) => withoutWeights(spec),
    restoreOnFinalize: false,
  };
}

const capabilities: RouterCapabilities = {
  mirroring: false,
  headerMatching: true,
  sessionAffinity: false,
  threeWaySplit: true,
};

const proxyFor = (ctx: RouterContext): RoutedObject => contourHttpProxy(ctx.ingressClass ?? '');

export function createContourRouter(): Router {
  return {
    capabilities,
    objectKinds: [{ apiVersion: CONTOUR_API_VERSION, kind: 'HTTPProxy' }],
    async reconcile(canary, ctx): Promise<void> {
      await reconcileRouted(proxyFor(ctx), canary, ctx);
    },
    getRoutes: (canary, ctx) => getRoutesRouted(proxyFor(ctx), canary, ctx),
    async setRoutes(canary, routes, ctx): Promise<void> {
      assertSomeWeight('HTTPProxy', serviceName(canary), canary, routes);
      await setRoutesRouted(proxyFor(ctx), canary, routes, ctx);
    },
    finalize: () => Promise.resolve(),
  };
}

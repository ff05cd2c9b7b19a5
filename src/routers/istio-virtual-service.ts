// The Istio VirtualService `<svc>` (networking.istio.io/v1beta1), as pure functions of the
// Canary and the routes (spec §3.1). Reads: spec.service (hosts, gateways, delegation, match,
// rewrite, timeout, retries, corsPolicy, headers, appProtocol, port, portDiscovery, apex
// metadata) and spec.analysis (match, mirrorWeight, sessionAffinity). The weights, `mirror`,
// `mirrorPercentage`, the A/B rule and the session-affinity rules belong to setRoutes (they
// follow the routes); everything else to reconcile.

import type { Canary, HTTPMatchRequest } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { asArray, asNumber, asString, isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { RouterError, canaryId, type Routes } from './router.js';
import { isSessionRule, readSessionCookies, sessionAffinityRules } from './istio-session-affinity.js';
import { withToolkitAnnotations } from './shared/metadata.js';
import { baselineServiceName, baselineShare, withBaseline } from './shared/baseline.js';

export const ISTIO_API_VERSION = 'networking.istio.io/v1beta1';

export interface IstioDestination {
  host: string;
  port?: { number: number };
}

export interface IstioRouteDestination {
  destination: IstioDestination;
  /** Omitted when 0, as Istio's own serialisation does. */
  weight?: number;
  /** Session affinity: the Set-Cookie added to this destination's responses. */
  headers?: Record<string, unknown>;
}

export interface IstioHTTPRoute {
  /** Set on the generated session-affinity rules only. */
  name?: string;
  match?: HTTPMatchRequest[];
  rewrite?: { uri?: string; authority?: string };
  timeout?: string;
  retries?: Record<string, unknown>;
  corsPolicy?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  route: IstioRouteDestination[];
  mirror?: IstioDestination;
  mirrorPercentage?: { value: number };
}

export interface IstioTCPRoute {
  match?: { port: number }[];
  route: IstioRouteDestination[];
}

export interface VirtualServiceSpec {
  hosts: string[];
  gateways: string[];
  http?: IstioHTTPRoute[];
  tcp?: IstioTCPRoute[];
}

export function virtualServiceRef(canary: Canary): ObjectRef {
  return {
    apiVersion: ISTIO_API_VERSION,
    kind: 'VirtualService',
    namespace: canaryNamespace(canary),
    name: serviceName(canary),
  };
}

const isTcp = (canary: Canary): boolean => canary.spec.service.appProtocol === 'tcp';

/**
 * A weighted destination. The port is pinned only when portDiscovery adds more ports to the
 * Services and the route is not plain mesh traffic (a gateway or a delegate VS), where Istio
 * could not otherwise tell which port is meant.
 */
function destination(canary: Canary, host: string): IstioDestination {
  const svc = canary.spec.service;
  const firstGateway = svc.gateways?.[0];
  const needsPort = svc.delegation === true || (firstGateway !== undefined && firstGateway !== 'mesh');
  return svc.portDiscovery === true && needsPort ? { host, port: { number: svc.port } } : { host };
}

function weighted(canary: Canary, host: string, weight: number): IstioRouteDestination {
  const dest: IstioRouteDestination = { destination: destination(canary, host) };
  if (weight !== 0) dest.weight = weight;
  return dest;
}

/**
 * A/B conditions: each analysis condition's headers and sourceLabels (as in Flagger's
 * mergeMatchConditions), and also its queryParams and withoutHeaders, which Flagger drops,
 * merged key by key into a copy of each service match; the analysis conditions alone when
 * the service has no match.
 */
export function mergeMatchConditions(
  analysis: readonly HTTPMatchRequest[],
  service: readonly HTTPMatchRequest[] | undefined,
): HTTPMatchRequest[] {
  if (service === undefined || service.length === 0) return analysis.map((m) => structuredClone(m));
  return service.flatMap((base) =>
    analysis.map((cond) => {
      const merged = structuredClone(base);
      if (cond.headers !== undefined)
        merged.headers = { ...merged.headers, ...structuredClone(cond.headers) };
      if (cond.queryParams !== undefined) {
        merged.queryParams = { ...merged.queryParams, ...structuredClone(cond.queryParams) };
      }
      if (cond.withoutHeaders !== undefined) {
        merged.withoutHeaders = { ...merged.withoutHeaders, ...structuredClone(cond.withoutHeaders) };
      }
      if (cond.sourceLabels !== undefined)
        merged.sourceLabels = { ...merged.sourceLabels, ...cond.sourceLabels };
      return merged;
    }),
  );
}

/** The fields every HTTP route repeats from spec.service. */
function routeBase(canary: Canary): Omit<IstioHTTPRoute, 'route'> {
  const svc = canary.spec.service;
  const base: Omit<IstioHTTPRoute, 'route'> = {};
  if (svc.match !== undefined && svc.match.length > 0) base.match = structuredClone(svc.match);
  const uri = svc.rewrite?.uri;
  const authority = svc.rewrite?.authority;
  if (uri !== undefined || authority !== undefined) {
    base.rewrite = {};
    if (uri !== undefined) base.rewrite.uri = uri;
    if (authority !== undefined) base.rewrite.authority = authority;
  }
  if (svc.timeout !== undefined && svc.timeout !== '') base.timeout = svc.timeout;
  if (svc.retries !== undefined) base.retries = structuredClone(svc.retries);
  if (svc.corsPolicy !== undefined) base.corsPolicy = structuredClone(svc.corsPolicy);
  if (svc.headers !== undefined) base.headers = structuredClone(svc.headers);
  return base;
}

/**
 * The HTTP rules for the routes:
 *  - A/B (analysis.match) while the canary has weight: the match rule with the weights, then
 *    a primary-only rule. With no canary weight (before the first iteration, after promotion
 *    or rollback) the match rules are removed and one plain rule routes to the primary.
 *  - otherwise one weighted rule (mirroring when asked), preceded by the session-affinity
 *    rules when routes carry cookies.
 */
function httpRoutes(canary: Canary, routes: Routes): IstioHTTPRoute[] {
  const base = routeBase(canary);
  const primary = primaryName(canary);
  const canaryHost = canaryName(canary);
  const abMatch = canary.spec.analysis.match ?? [];
  if (abMatch.length > 0 && routes.canary > 0) {
    return [
      {
        ...base,
        match: mergeMatchConditions(abMatch, canary.spec.service.match),
        route: [weighted(canary, primary, routes.primary), weighted(canary, canaryHost, routes.canary)],
      },
      { ...base, route: [weighted(canary, primary, routes.primary)] },
    ];
  }
  const route: IstioHTTPRoute = {
    ...base,
    route: [weighted(canary, primary, routes.primary), weighted(canary, canaryHost, routes.canary)],
  };
  const baseline = baselineShare(routes);
  if (baseline !== undefined) route.route.push(weighted(canary, baselineServiceName(canary), baseline));
  if (routes.mirrored) {
    route.mirror = destination(canary, canaryHost);
    const percent = canary.spec.analysis.mirrorWeight ?? 0;
    if (percent > 0) route.mirrorPercentage = { value: percent };
  }
  return sessionAffinityRules(canary, route, { primary, canary: canaryHost }, routes.cookies);
}

function tcpRoutes(canary: Canary, routes: Routes): IstioTCPRoute[] {
  const ports = (canary.spec.service.match ?? []).flatMap((m) =>
    m.port === undefined ? [] : [{ port: m.port }],
  );
  const route: IstioTCPRoute = {
    route: [
      weighted(canary, primaryName(canary), routes.primary),
      weighted(canary, canaryName(canary), routes.canary),
    ],
  };
  const baseline = baselineShare(routes);
  if (baseline !== undefined) route.route.push(weighted(canary, baselineServiceName(canary), baseline));
  if (ports.length > 0) route.match = ports;
  return [route];
}

/** spec.hosts plus the apex name (unless it or `*` is listed); spec.gateways or [mesh]. */
function hostsAndGateways(canary: Canary): { hosts: string[]; gateways: string[] } {
  const svc = canary.spec.service;
  const hosts = svc.hosts ?? [];
  const gateways = svc.gateways ?? [];
  if (svc.delegation === true) {
    if (hosts.length > 0 || gateways.length > 0) {
      throw new RouterError(
        'InvalidSpec',
        `canary ${canaryId(canary)}: spec.service.hosts and spec.service.gateways must be empty when spec.service.delegation is true`,
      );
    }
    return { hosts: [], gateways: [] };
  }
  const apex = serviceName(canary);
  return {
    hosts: hosts.includes(apex) || hosts.includes('*') ? [...hosts] : [...hosts, apex],
    gateways: gateways.length > 0 ? [...gateways] : ['mesh'],
  };
}

/** The VirtualService for `routes`. Pure; throws RouterError('InvalidSpec'). */
export function desiredVirtualService(canary: Canary, routes: Routes): KubeObject {
  const { hosts, gateways } = hostsAndGateways(canary);
  const spec: VirtualServiceSpec = { hosts, gateways };
  if (isTcp(canary)) spec.tcp = tcpRoutes(canary, { ...routes, mirrored: false });
  else spec.http = httpRoutes(canary, routes);
  const apex = canary.spec.service.apex;
  return {
    apiVersion: ISTIO_API_VERSION,
    kind: 'VirtualService',
    metadata: {
      name: serviceName(canary),
      namespace: canaryNamespace(canary),
      labels: { ...apex?.labels },
      annotations: withToolkitAnnotations(apex?.annotations),
    },
    spec,
  };
}

function hostOf(dest: unknown): string | undefined {
  return isRecord(dest) && isRecord(dest['destination']) ? asString(dest['destination']['host']) : undefined;
}

/**
 * Routes from a live VirtualService: the weights of the first rule that sends traffic to the
 * canary host (a missing weight is 0), mirrored when that HTTP rule mirrors. Pure.
 */
export function readVirtualServiceRoutes(canary: Canary, vs: KubeObject): Routes {
  const spec = isRecord(vs['spec']) ? vs['spec'] : {};
  const canaryHost = canaryName(canary);
  const primaryHost = primaryName(canary);
  const routesTo = (rule: unknown): boolean =>
    isRecord(rule) && asArray(rule['route']).some((d) => hostOf(d) === canaryHost);
  const allHttp = asArray(spec['http']);
  // The sticky rules pin weights for cookie holders; the weighted rule tells the split.
  const http = allHttp.find((r) => routesTo(r) && !isSessionRule(r));
  const rule = http ?? asArray(spec['tcp']).find(routesTo);
  let primary = 0;
  let canaryWeight = 0;
  let baseline = 0;
  for (const dest of isRecord(rule) ? asArray(rule['route']) : []) {
    const weight = isRecord(dest) ? (asNumber(dest['weight']) ?? 0) : 0;
    if (hostOf(dest) === primaryHost) primary = weight;
    if (hostOf(dest) === canaryHost) canaryWeight = weight;
    if (hostOf(dest) === baselineServiceName(canary)) baseline = weight;
  }
  if (primary === 0 && canaryWeight === 0) {
    throw new RouterError(
      'MalformedObject',
      `VirtualService ${vs.metadata.name}.${vs.metadata.namespace ?? ''} does not contain routes for ${primaryHost} and ${canaryHost}`,
    );
  }
  const mirror = isRecord(http) && isRecord(http['mirror']) ? asString(http['mirror']['host']) : undefined;
  const routes = withBaseline(
    { primary, canary: canaryWeight, mirrored: mirror !== undefined && mirror !== '' },
    baseline,
  );
  const cookies = readSessionCookies(allHttp, http, { primary: primaryHost, canary: canaryHost });
  return cookies === undefined ? routes : { ...routes, cookies };
}

function stripWeights(route: unknown): unknown {
  if (!isRecord(route)) return route;
  const { mirror: _m, mirrorPercentage: _p, ...rest } = route;
  rest['route'] = asArray(route['route']).map((d) => {
    if (!isRecord(d)) return d;
    const { weight: _w, headers: _h, ...kept } = d;
    return kept;
  });
  return rest;
}

/**
 * The spec without what setRoutes owns: weights, mirror, mirrorPercentage, the
 * session-affinity rules and their destination headers. What reconcile compares. Pure.
 */
export function virtualServiceWithoutRoutes(spec: unknown): unknown {
  if (!isRecord(spec)) return spec;
  const out: Record<string, unknown> = { ...spec };
  if (spec['http'] !== undefined) {
    out['http'] = asArray(spec['http'])
      .filter((r) => !isSessionRule(r))
      .map(stripWeights);
  }
  if (spec['tcp'] !== undefined) out['tcp'] = asArray(spec['tcp']).map(stripWeights);
  return out;
}

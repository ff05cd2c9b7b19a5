// The HTTPRoute `<svc>` of gatewayapi:v1 / gatewayapi:v1beta1 (spec §3.12) as a RoutedObject:
// parentRefs from service.gatewayRefs (a Gateway, or a Service for GAMMA meshes), hostnames,
// one weighted rule (primary/canary backendRefs), an A/B pair of rules when analysis.match is
// set, the Blue/Green RequestMirror filter, and session-affinity rules.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { asArray, isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { RouterError, type Routes } from './router.js';
import {
  backendRef,
  mapMatches,
  mergeMatches,
  ruleFilters,
  ruleTimeouts,
  serviceMatches,
  type GatewayApiVersion,
  type Json,
} from './gatewayapi-matches.js';
import { findCookieRule, readRouteCookies, sessionAffinityRules } from './gatewayapi-session-affinity.js';
import type { RoutedObject } from './shared/routed-object.js';
import { apexMetadata } from './shared/weights.js';
import { baselineServiceName, baselineShare, withBaseline } from './shared/baseline.js';

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
export const gatewayApiVersion = (version: GatewayApiVersion): string => `${GATEWAY_API_GROUP}/${version}`;

export const httpRouteRef =
  (version: GatewayApiVersion) =>
  (canary: Canary): ObjectRef => ({
    apiVersion: gatewayApiVersion(version),
    kind: 'HTTPRoute',
    name: serviceName(canary),
    namespace: canaryNamespace(canary),
  });

/** parentRefs with the API server's defaults filled in, so live and desired compare equal. */
function parentRefs(canary: Canary): Json[] {
  const refs = canary.spec.service.gatewayRefs ?? [];
  if (refs.length === 0) {
    throw new RouterError(
      'InvalidSpec',
      'GatewayRefs must be specified when using Gateway API as a provider.',
    );
  }
  return refs.map((r) => ({ group: GATEWAY_API_GROUP, kind: 'Gateway', ...structuredClone(r) }));
}

function weightedRule(canary: Canary, routes: Routes, version: GatewayApiVersion, matches: Json[]): Json {
  const port = canary.spec.service.port;
  const filters = ruleFilters(canary, version);
  // Blue/Green mirroring: the canary sees a copy of the primary's traffic.
  if (routes.mirrored && (canary.spec.analysis.iterations ?? 0) > 0) {
    filters.push({
      type: 'RequestMirror',
      requestMirror: { backendRef: { group: '', kind: 'Service', name: canaryName(canary), port } },
    });
  }
  const rule: Json = {
    matches,
    filters,
    backendRefs: [
      backendRef(primaryName(canary), port, routes.primary),
      backendRef(canaryName(canary), port, routes.canary),
    ],
  };
  const baseline = baselineShare(routes);
  if (baseline !== undefined) {
    (rule['backendRefs'] as Json[]).push(backendRef(baselineServiceName(canary), port, baseline));
  }
  const timeouts = ruleTimeouts(canary, version);
  if (timeouts !== undefined) rule['timeouts'] = timeouts;
  return rule;
}

export function desiredHttpRoute(canary: Canary, routes: Routes, version: GatewayApiVersion): KubeObject {
  const parents = parentRefs(canary);
  const matches = serviceMatches(canary);
  const weighted = weightedRule(canary, routes, version, matches);
  let rules: Json[];
  const analysisMatch = canary.spec.analysis.match ?? [];
  if (analysisMatch.length > 0) {
    // A/B: matching requests are split by the weights, the rest stay on the primary.
    const rest: Json = {
      matches,
      filters: ruleFilters(canary, version),
      backendRefs: [backendRef(primaryName(canary), canary.spec.service.port, 100)],
    };
    const timeouts = ruleTimeouts(canary, version);
    if (timeouts !== undefined) rest['timeouts'] = timeouts;
    rules = [{ ...weighted, matches: mergeMatches(mapMatches(analysisMatch), matches) }, rest];
  } else {
    rules = sessionAffinityRules(canary, weighted, routes.cookies, version);
  }
  const spec: Json = { parentRefs: parents, rules };
  const hosts = canary.spec.service.hosts ?? [];
  if (hosts.length > 0) spec['hostnames'] = [...hosts];
  return { apiVersion: gatewayApiVersion(version), kind: 'HTTPRoute', metadata: apexMetadata(canary), spec };
}

const rulesOf = (spec: unknown): unknown[] => (isRecord(spec) ? asArray(spec['rules']) : []);

function weightsOf(canary: Canary, rule: Json): Routes {
  let primary = 0;
  let canaryWeight = 0;
  let baseline = 0;
  for (const b of asArray(rule['backendRefs'])) {
    if (!isRecord(b) || typeof b['weight'] !== 'number') continue;
    if (b['name'] === primaryName(canary)) primary = b['weight'];
    if (b['name'] === canaryName(canary)) canaryWeight = b['weight'];
    if (b['name'] === baselineServiceName(canary)) baseline = b['weight'];
  }
  return withBaseline({ primary, canary: canaryWeight, mirrored: false }, baseline);
}

/**
 * Weights from the session-affinity rule with backend filters, else from the last rule with
 * two backendRefs, or three with the baseline's (the A/B default rule has one); mirrored when a
 * rule mirrors to the canary.
 */
export function readHttpRouteRoutes(canary: Canary, live: KubeObject): Routes {
  const rules = rulesOf(live['spec']);
  const twoBackends = rules.filter(isRecord).filter((r) => {
    const n = asArray(r['backendRefs']).length;
    return n === 2 || (n === 3 && refsName(r, baselineServiceName(canary)));
  });
  const rule =
    (canary.spec.analysis.sessionAffinity !== undefined ? findCookieRule(rules) : undefined) ??
    twoBackends.at(-1);
  if (rule === undefined) {
    throw new RouterError(
      'MalformedObject',
      `HTTPRoute ${live.metadata.name}.${canaryNamespace(canary)} has no rule routing to ${primaryName(canary)} and ${canaryName(canary)}`,
    );
  }
  const mirrored = rules.some(
    (r) =>
      isRecord(r) &&
      asArray(r['filters']).some(
        (f) =>
          isRecord(f) &&
          f['type'] === 'RequestMirror' &&
          isRecord(f['requestMirror']) &&
          isRecord(f['requestMirror']['backendRef']) &&
          f['requestMirror']['backendRef']['name'] === canaryName(canary),
      ),
  );
  const cookies =
    canary.spec.analysis.sessionAffinity !== undefined ? readRouteCookies(canary, rules) : undefined;
  return { ...weightsOf(canary, rule), mirrored, ...(cookies === undefined ? {} : { cookies }) };
}

function refsName(rule: Json, name: string): boolean {
  return asArray(rule['backendRefs']).some((b) => isRecord(b) && b['name'] === name);
}

/** The spec without backend weights (setRoutes owns them; the rest of the routes follow from readRoutes). */
function withoutWeights(spec: unknown): unknown {
  if (!isRecord(spec)) return spec;
  return {
    ...spec,
    rules: rulesOf(spec).map((r) =>
      isRecord(r)
        ? {
            ...r,
            backendRefs: asArray(r['backendRefs']).map((b) =>
              isRecord(b) ? { ...b, weight: undefined } : b,
            ),
          }
        : r,
    ),
  };
}

export function httpRoute(version: GatewayApiVersion): RoutedObject {
  return {
    ref: httpRouteRef(version),
    desired: (canary, routes) => desiredHttpRoute(canary, routes, version),
    readRoutes: readHttpRouteRoutes,
    withoutRoutes: (_canary, spec) => withoutWeights(spec),
    restoreOnFinalize: false,
  };
}

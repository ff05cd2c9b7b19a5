// Provider `traefik` (spec §3.7): a TraefikService `<svc>` (traefik.io/v1alpha1) whose weighted
// round robin splits traffic between `<svc>-primary` and `<svc>-canary`. The canary entry is
// present only while it takes traffic, as Flagger writes it. The user's IngressRoute points
// at this TraefikService.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { RouterError, type Router, type RouterCapabilities, type Routes } from './router.js';
import {
  getRoutesRouted,
  reconcileRouted,
  setRoutesRouted,
  type RoutedObject,
} from './shared/routed-object.js';
import { apexMetadata, assertSomeWeight, numberField } from './shared/weights.js';
import { baselineServiceName, baselineShare, withBaseline } from './shared/baseline.js';

export const TRAEFIK_API_VERSION = 'traefik.io/v1alpha1';

export const traefikServiceRef = (canary: Canary): ObjectRef => ({
  apiVersion: TRAEFIK_API_VERSION,
  kind: 'TraefikService',
  name: serviceName(canary),
  namespace: canaryNamespace(canary),
});

const backend = (canary: Canary, name: string, weight: number): Record<string, unknown> => ({
  name,
  namespace: canaryNamespace(canary),
  port: canary.spec.service.port,
  weight,
});

export function desiredTraefikService(canary: Canary, routes: Routes): KubeObject {
  const services = [backend(canary, primaryName(canary), routes.primary)];
  const baseline = baselineShare(routes);
  if (baseline !== undefined) services.push(backend(canary, baselineServiceName(canary), baseline));
  if (routes.canary > 0) services.push(backend(canary, canaryName(canary), routes.canary));
  return {
    apiVersion: TRAEFIK_API_VERSION,
    kind: 'TraefikService',
    metadata: apexMetadata(canary),
    spec: { weighted: { services } },
  };
}

function weightedServices(spec: unknown): Record<string, unknown>[] {
  const weighted = isRecord(spec) ? spec['weighted'] : undefined;
  const services = isRecord(weighted) ? weighted['services'] : undefined;
  return Array.isArray(services) ? services.filter(isRecord) : [];
}

/** The primary entry's weight; the canary gets the rest (Flagger's GetRoutes) after the baseline's. */
export function readTraefikRoutes(canary: Canary, live: KubeObject): Routes {
  const services = weightedServices(live['spec']);
  const ns = canaryNamespace(canary);
  if (services.length === 0) {
    throw new RouterError('MalformedObject', `TraefikService ${live.metadata.name}.${ns} services not found`);
  }
  const primary = services.find((s) => s['name'] === primaryName(canary));
  if (primary === undefined) {
    throw new RouterError(
      'MalformedObject',
      `TraefikService ${live.metadata.name}.${ns} has no service ${primaryName(canary)}`,
    );
  }
  const weight = numberField(primary, 'weight') ?? 0;
  const found = services.find((s) => s['name'] === baselineServiceName(canary));
  const baseline = found === undefined ? 0 : (numberField(found, 'weight') ?? 0);
  return withBaseline({ primary: weight, canary: 100 - weight - baseline, mirrored: false }, baseline);
}

export const traefikService: RoutedObject = {
  ref: traefikServiceRef,
  desired: desiredTraefikService,
  readRoutes: readTraefikRoutes,
  withoutRoutes: (_canary, spec) => ({
    weighted: { services: weightedServices(spec).map(({ weight: _w, ...rest }) => rest) },
  }),
  restoreOnFinalize: false,
};

const capabilities: RouterCapabilities = {
  mirroring: false,
  headerMatching: false,
  sessionAffinity: false,
  threeWaySplit: true,
};

export function createTraefikRouter(): Router {
  return {
    capabilities,
    objectKinds: [{ apiVersion: TRAEFIK_API_VERSION, kind: 'TraefikService' }],
    async reconcile(canary, ctx): Promise<void> {
      await reconcileRouted(traefikService, canary, ctx);
    },
    getRoutes: (canary, ctx) => getRoutesRouted(traefikService, canary, ctx),
    async setRoutes(canary, routes, ctx): Promise<void> {
      assertSomeWeight('TraefikService', serviceName(canary), canary, routes);
      await setRoutesRouted(traefikService, canary, routes, ctx);
    },
    finalize: () => Promise.resolve(),
  };
}

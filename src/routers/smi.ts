// SMI TrafficSplit (spec §3.2): one `TrafficSplit <svc>` (split.smi-spec.io) whose backends
// `<svc>-canary` / `<svc>-primary` carry the weights. v1alpha1 (providers `linkerd` and
// `smi:v1alpha1:<mesh>`) writes weights as Kubernetes quantities (JSON strings such as "90");
// v1alpha2 (`osm`, `smi:v1alpha2:<mesh>`) and v1alpha3 (`smi:v1alpha3:<mesh>`) as integers.
// No A/B, no mirroring, nothing to restore on finalize.

import type { Canary } from '../api/canary.js';
import { canaryName, canaryNamespace, primaryName, serviceName } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import { RouterError, canaryId, type Router, type RouterCapabilities, type Routes } from './router.js';
import {
  finalizeRouted,
  getRoutesRouted,
  reconcileRouted,
  setRoutesRouted,
  type RoutedObject,
} from './shared/routed-object.js';

export type SmiVersion = 'v1alpha1' | 'v1alpha2' | 'v1alpha3';

export const SMI_GROUP = 'split.smi-spec.io';
/** Istio reads the gateways of a TrafficSplit-generated VirtualService from this annotation. */
export const ISTIO_GATEWAYS_ANNOTATION = 'VirtualService.v1alpha3.networking.istio.io/spec.gateways';

const NO_ROUTING_FEATURES: RouterCapabilities = {
  mirroring: false,
  headerMatching: false,
  sessionAffinity: false,
};

/**
 * A v1alpha1 weight: a Kubernetes quantity, "90" or 90 on the wire. Fractions ("500m") and
 * unparseable values count as 0, as Flagger's Quantity.AsInt64 does.
 */
export function quantityToInt(value: unknown): number {
  if (typeof value === 'number') return Number.isInteger(value) ? value : 0;
  if (typeof value !== 'string') return 0;
  const m = /^([+-]?\d+)(k|M|G|T|P|E)?$/.exec(value.trim());
  if (m === null) return 0;
  const exp = { k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 }[m[2] ?? ''] ?? 0;
  return Number(m[1]) * 10 ** exp;
}

const weightFor = (version: SmiVersion, w: number): number | string =>
  version === 'v1alpha1' ? String(w) : w;

export function trafficSplitRef(canary: Canary, version: SmiVersion): ObjectRef {
  return {
    apiVersion: `${SMI_GROUP}/${version}`,
    kind: 'TrafficSplit',
    name: serviceName(canary),
    namespace: canaryNamespace(canary),
  };
}

/** The TrafficSplit as it should be, carrying `routes`. Pure. */
export function desiredTrafficSplit(
  canary: Canary,
  version: SmiVersion,
  targetMesh: string,
  routes: Routes,
): KubeObject {
  const ref = trafficSplitRef(canary, version);
  const gateways = canary.spec.service.gateways ?? [];
  const annotations =
    targetMesh === 'istio' && gateways.length > 0
      ? { [ISTIO_GATEWAYS_ANNOTATION]: JSON.stringify(gateways) }
      : undefined;
  return {
    apiVersion: ref.apiVersion,
    kind: ref.kind,
    metadata: { name: ref.name, namespace: ref.namespace, ...(annotations ? { annotations } : {}) },
    spec: {
      service: canary.spec.service.hosts?.[0] ?? serviceName(canary),
      backends: [
        { service: canaryName(canary), weight: weightFor(version, routes.canary) },
        { service: primaryName(canary), weight: weightFor(version, routes.primary) },
      ],
    },
  };
}

function backendsOf(spec: unknown): Record<string, unknown>[] {
  const backends = isRecord(spec) ? spec['backends'] : undefined;
  return Array.isArray(backends) ? backends.filter(isRecord) : [];
}

/** Weights of the primary and canary backends; both 0 (or absent) is malformed. */
export function readTrafficSplitRoutes(canary: Canary, live: KubeObject): Routes {
  let primary = 0;
  let canaryWeight = 0;
  for (const b of backendsOf(live['spec'])) {
    if (b['service'] === primaryName(canary)) primary = quantityToInt(b['weight']);
    if (b['service'] === canaryName(canary)) canaryWeight = quantityToInt(b['weight']);
  }
  if (primary === 0 && canaryWeight === 0) {
    throw new RouterError(
      'MalformedObject',
      `TrafficSplit ${live.metadata.name} does not contain routes for ${primaryName(canary)} and ${canaryName(canary)} (canary ${canaryId(canary)})`,
    );
  }
  return { primary, canary: canaryWeight, mirrored: false };
}

/** The spec with backend weights removed: what reconcile compares (Flagger ignores weights). */
function withoutWeights(spec: unknown): unknown {
  if (!isRecord(spec)) return spec;
  return {
    ...spec,
    backends: backendsOf(spec).map(({ weight: _w, ...rest }) => rest),
  };
}

export function smiTrafficSplit(version: SmiVersion, targetMesh: string): RoutedObject {
  return {
    ref: (canary) => trafficSplitRef(canary, version),
    desired: (canary, routes) => desiredTrafficSplit(canary, version, targetMesh, routes),
    readRoutes: readTrafficSplitRoutes,
    withoutRoutes: (_canary, spec) => withoutWeights(spec),
    restoreOnFinalize: false,
  };
}

/** An SMI router for one TrafficSplit version; `targetMesh` is the mesh the split is read by. */
export function createSmiRouter(version: SmiVersion, targetMesh: string): Router {
  const split = smiTrafficSplit(version, targetMesh);
  return {
    capabilities: NO_ROUTING_FEATURES,
    objectKinds: [{ apiVersion: `${SMI_GROUP}/${version}`, kind: 'TrafficSplit' }],
    async reconcile(canary, ctx): Promise<void> {
      await reconcileRouted(split, canary, ctx);
    },
    getRoutes: (canary, ctx) => getRoutesRouted(split, canary, ctx),
    async setRoutes(canary, routes, ctx): Promise<void> {
      await setRoutesRouted(split, canary, routes, ctx);
    },
    async finalize(canary, ctx): Promise<void> {
      await finalizeRouted(split, canary, ctx);
    },
  };
}

const SMI_PROVIDER = /^smi:(v1alpha1|v1alpha2|v1alpha3)(?::(.*))?$/;

/**
 * `smi:<version>:<mesh>` → the router for that TrafficSplit version. As in Flagger the mesh is
 * whatever follows the version (it only matters for `istio`, which gets the gateways annotation).
 */
export function createSmiRouterFor(provider: string): Router {
  const m = SMI_PROVIDER.exec(provider);
  if (m === null) throw new RouterError('InvalidSpec', `unsupported SMI provider "${provider}"`);
  return createSmiRouter(m[1] as SmiVersion, m[2] ?? '');
}

// Provider `skipper` (spec §3.8): Ingress `<ingress>-canary`, a copy of spec.ingressRef whose
// paths to the apex Service point at `<svc>-primary` plus a duplicate to `<svc>-canary`;
// `zalando.org/backend-weights` carries the split, and `zalando.org/skipper-predicate` starts
// with `Weight(100)` so this route wins over the apex Ingress — or with `False()` while the
// canary takes no traffic, which switches the copy off (also what finalize does).

import type { Canary } from '../api/canary.js';
import { canaryName, primaryName, serviceName } from '../api/defaults.js';
import type { KubeObject } from '../kube/types.js';
import {
  RouterError,
  type Router,
  type RouterCapabilities,
  type RouterContext,
  type Routes,
} from './router.js';
import { KUBECTL_LAST_APPLIED } from './shared/original-spec.js';
import { withToolkitAnnotations } from './shared/metadata.js';
import {
  INGRESS_API_VERSION,
  canaryIngressRef,
  readApexIngress,
  rewritePaths,
  withService,
} from './shared/ingress-copy.js';
import { reconcileRouted, setRoutesRouted, type RoutedObject } from './shared/routed-object.js';

export const BACKEND_WEIGHTS = 'zalando.org/backend-weights';
export const SKIPPER_PREDICATE = 'zalando.org/skipper-predicate';
const ROUTE_WEIGHT = 'Weight(100)';
const ROUTE_DISABLE = 'False()';

/** `insert` first, then the other `&&`-joined predicates minus the ones Flagger manages. */
export function insertPredicate(raw: string | undefined, insert: string): string {
  const rest = (raw ?? '')
    .split('&&')
    .map((p) => p.trim())
    .filter((p) => p !== '' && p !== ROUTE_WEIGHT && p !== ROUTE_DISABLE);
  return [insert, ...rest].join(' && ');
}

export function desiredSkipperIngress(canary: Canary, apexIngress: KubeObject, routes: Routes): KubeObject {
  const [apex, primary, canarySvc] = [serviceName(canary), primaryName(canary), canaryName(canary)];
  const spec = rewritePaths(apexIngress, apex, (p) => [withService(p, primary), withService(p, canarySvc)]);
  const { [KUBECTL_LAST_APPLIED]: _applied, ...copied } = apexIngress.metadata.annotations ?? {};
  const annotations = withToolkitAnnotations(copied);
  annotations[BACKEND_WEIGHTS] = JSON.stringify({ [primary]: routes.primary, [canarySvc]: routes.canary });
  annotations[SKIPPER_PREDICATE] = insertPredicate(
    copied[SKIPPER_PREDICATE],
    routes.canary === 0 ? ROUTE_DISABLE : ROUTE_WEIGHT,
  );
  const ref = canaryIngressRef(canary);
  return {
    apiVersion: INGRESS_API_VERSION,
    kind: 'Ingress',
    metadata: {
      name: ref.name,
      namespace: ref.namespace,
      labels: { ...apexIngress.metadata.labels },
      annotations,
    },
    spec,
  };
}

/** The weights from the backend-weights JSON annotation. */
export function readSkipperRoutes(canary: Canary, live: KubeObject): Routes {
  const name = `${live.metadata.name}.${live.metadata.namespace ?? ''}`;
  const raw = live.metadata.annotations?.[BACKEND_WEIGHTS];
  if (raw === undefined) {
    throw new RouterError(
      'MalformedObject',
      `ingress ${name} get backendWeights error: ${BACKEND_WEIGHTS} not found`,
    );
  }
  let weights: unknown;
  try {
    weights = JSON.parse(raw);
  } catch (err) {
    throw new RouterError('MalformedObject', `ingress ${name} get backendWeights error: ${String(err)}`);
  }
  const w = (svc: string): number => {
    const v = (weights as Record<string, unknown> | null)?.[svc];
    if (typeof v !== 'number') {
      throw new RouterError('MalformedObject', `ingress ${name} could not get weights[${svc}]`);
    }
    return v;
  };
  return { primary: w(primaryName(canary)), canary: w(canaryName(canary)), mirrored: false };
}

export function skipperIngress(apexIngress: KubeObject): RoutedObject {
  return {
    ref: canaryIngressRef,
    desired: (canary, routes) => desiredSkipperIngress(canary, apexIngress, routes),
    readRoutes: readSkipperRoutes,
    withoutRoutes: (_canary, spec) => spec,
    restoreOnFinalize: false,
  };
}

const capabilities: RouterCapabilities = { mirroring: false, headerMatching: false, sessionAffinity: false };

export function createSkipperRouter(): Router {
  return {
    capabilities,
    objectKinds: [{ apiVersion: INGRESS_API_VERSION, kind: 'Ingress' }],
    async reconcile(canary, ctx): Promise<void> {
      await reconcileRouted(skipperIngress(await readApexIngress(canary, ctx)), canary, ctx);
    },
    async getRoutes(canary, ctx): Promise<Routes | undefined> {
      const live = await ctx.client.get(canaryIngressRef(canary), { signal: ctx.signal });
      return live === undefined ? undefined : readSkipperRoutes(canary, live);
    },
    async setRoutes(canary, routes, ctx: RouterContext): Promise<void> {
      await setRoutesRouted(skipperIngress(await readApexIngress(canary, ctx)), canary, routes, ctx);
    },
    // Flagger deletes the copy here. Switching it off (all primary, `False()` first) hands
    // traffic back to the apex Ingress just the same without a delete permission; the
    // garbage collector removes the copy with its Canary.
    async finalize(canary, ctx): Promise<void> {
      const live = await ctx.client.get(canaryIngressRef(canary), { signal: ctx.signal });
      if (live === undefined) return;
      const off = { primary: 100, canary: 0, mirrored: false };
      await setRoutesRouted(skipperIngress(await readApexIngress(canary, ctx)), canary, off, ctx);
    },
  };
}

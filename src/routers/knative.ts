// Provider `knative` (spec §3.13): the target is a Knative Service (serving.knative.dev/v1)
// and the "primary" is a revision. The revision that was live before the analysis is recorded
// in the Service annotation `flagger.app/primary-revision`; weights are `spec.traffic`
// (latest revision = canary, the recorded revision = primary) and are read back from
// `status.traffic`, i.e. what Knative actually routes. Finalize removes the annotation.

import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import { modifyObject } from '../kube/ensure.js';
import { isRecord } from '../kube/json.js';
import type { KubeObject, ObjectRef } from '../kube/types.js';
import {
  RouterError,
  canaryId,
  type Router,
  type RouterCapabilities,
  type RouterContext,
  type Routes,
} from './router.js';

export const KNATIVE_SERVING_V1 = 'serving.knative.dev/v1';
export const PRIMARY_REVISION_ANNOTATION = 'flagger.app/primary-revision';

export const knativeServiceRef = (canary: Canary): ObjectRef => ({
  apiVersion: KNATIVE_SERVING_V1,
  kind: 'Service',
  name: canary.spec.targetRef.name,
  namespace: canaryNamespace(canary),
});

const describe = (canary: Canary): string =>
  `Knative Service ${canary.spec.targetRef.name}.${canaryNamespace(canary)}`;

export function latestCreatedRevision(service: KubeObject): string | undefined {
  const status = service['status'];
  const name = isRecord(status) ? status['latestCreatedRevisionName'] : undefined;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export const primaryRevision = (service: KubeObject): string | undefined =>
  service.metadata.annotations?.[PRIMARY_REVISION_ANNOTATION];

/** spec.traffic for the given weights: the latest revision is the canary. Pure. */
export function knativeTraffic(primaryRevisionName: string, routes: Routes): Record<string, unknown>[] {
  return [
    { latestRevision: true, percent: routes.canary },
    { revisionName: primaryRevisionName, percent: routes.primary },
  ];
}

/** Weights from status.traffic; both entries must exist and carry a percent. Pure. */
export function readKnativeRoutes(canary: Canary, service: KubeObject): Routes {
  const primary = primaryRevision(service);
  if (primary === undefined) {
    throw new RouterError(
      'MalformedObject',
      `${describe(canary)} annotation ${PRIMARY_REVISION_ANNOTATION} not found`,
    );
  }
  const status = service['status'];
  const traffic =
    isRecord(status) && Array.isArray(status['traffic']) ? status['traffic'].filter(isRecord) : [];
  const canaryEntry = traffic.find((t) => t['latestRevision'] === true);
  // The entry naming the recorded revision that is not the latest-revision entry: until a new
  // revision is Ready, Knative resolves the latest-revision entry to the last ready revision,
  // which is the primary itself (with the canary's 0 %). Flagger 1.44 takes the first entry
  // naming the primary, reads 0 % for it in that window, and then writes traffic summing to
  // the step weight, which Knative's webhook rejects (docs/providers/knative.md).
  const primaryEntry =
    traffic.find((t) => t['revisionName'] === primary && t['latestRevision'] !== true) ??
    traffic.find((t) => t['revisionName'] === primary);
  if (canaryEntry === undefined || primaryEntry === undefined) {
    throw new RouterError(
      'MalformedObject',
      `${describe(canary)} traffic spec invalid (canary ${canaryId(canary)})`,
    );
  }
  for (const [role, entry] of [
    ['primary', primaryEntry],
    ['canary', canaryEntry],
  ] as const) {
    if (typeof entry['percent'] !== 'number') {
      throw new RouterError(
        'MalformedObject',
        `${describe(canary)} ${role} revision traffic percent does not exist`,
      );
    }
  }
  return {
    primary: primaryEntry['percent'] as number,
    canary: canaryEntry['percent'] as number,
    mirrored: false,
  };
}

async function modifyService(
  canary: Canary,
  ctx: RouterContext,
  mutate: (svc: KubeObject) => KubeObject | undefined,
): Promise<void> {
  const done = await modifyObject(ctx.client, knativeServiceRef(canary), mutate, { signal: ctx.signal });
  if (done === undefined) throw new RouterError('NotFound', `${describe(canary)} not found`);
}

const capabilities: RouterCapabilities = { mirroring: false, headerMatching: false, sessionAffinity: false };

export function createKnativeRouter(): Router {
  return {
    capabilities,
    objectKinds: [{ apiVersion: KNATIVE_SERVING_V1, kind: 'Service' }],
    reconcile: (canary, ctx) =>
      modifyService(canary, ctx, (svc) => {
        if (primaryRevision(svc) !== undefined) return undefined;
        const latest = latestCreatedRevision(svc);
        // Flagger would record an empty name; waiting for Knative to create the revision is safer.
        if (latest === undefined)
          throw new RouterError('NotFound', `${describe(canary)} has no created revision yet`);
        svc.metadata.annotations = { ...svc.metadata.annotations, [PRIMARY_REVISION_ANNOTATION]: latest };
        return svc;
      }),
    async getRoutes(canary, ctx): Promise<Routes | undefined> {
      const svc = await ctx.client.get(knativeServiceRef(canary), { signal: ctx.signal });
      // Not initialised yet (no primary revision recorded): like a router object not yet created.
      if (svc === undefined || primaryRevision(svc) === undefined) return undefined;
      return readKnativeRoutes(canary, svc);
    },
    setRoutes: (canary, routes, ctx) =>
      modifyService(canary, ctx, (svc) => {
        const primary = primaryRevision(svc);
        if (primary === undefined) {
          throw new RouterError(
            'NotFound',
            `${describe(canary)} annotation ${PRIMARY_REVISION_ANNOTATION} not found`,
          );
        }
        svc['spec'] = {
          ...(isRecord(svc['spec']) ? svc['spec'] : {}),
          traffic: knativeTraffic(primary, routes),
        };
        return svc;
      }),
    finalize: (canary, ctx) =>
      modifyService(canary, ctx, (svc) => {
        if (primaryRevision(svc) === undefined) return undefined;
        const { [PRIMARY_REVISION_ANNOTATION]: _gone, ...rest } = svc.metadata.annotations ?? {};
        svc.metadata.annotations = rest;
        return svc;
      }),
  };
}

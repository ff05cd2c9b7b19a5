// Small pieces the weighted ingress routers (Traefik, Contour, Gloo, APISIX, Gateway API)
// share: the apex metadata their routing object carries, and Flagger's refusal of 0/0.

import type { Canary } from '../../api/canary.js';
import { canaryNamespace, serviceName } from '../../api/defaults.js';
import type { ObjectMeta } from '../../kube/types.js';
import { RouterError, type Routes } from '../router.js';
import { withToolkitAnnotations } from './metadata.js';

/** `<svc>` in the canary's namespace with `service.apex` labels and annotations (+ toolkit ones). */
export function apexMetadata(canary: Canary): ObjectMeta {
  const apex = canary.spec.service.apex;
  return {
    name: serviceName(canary),
    namespace: canaryNamespace(canary),
    labels: { ...apex?.labels },
    annotations: withToolkitAnnotations(apex?.annotations),
  };
}

/** Flagger refuses to route nothing anywhere: "<Kind> <name>.<ns> update failed: no valid weights". */
export function assertSomeWeight(kind: string, name: string, canary: Canary, routes: Routes): void {
  if (routes.primary === 0 && routes.canary === 0) {
    throw new RouterError(
      'InvalidSpec',
      `${kind} ${name}.${canaryNamespace(canary)} update failed: no valid weights`,
    );
  }
}

/** A number field of a JSON object, or undefined. */
export const numberField = (o: Record<string, unknown>, key: string): number | undefined => {
  const v = o[key];
  return typeof v === 'number' ? v : undefined;
};

// The `<hpa>-primary` HorizontalPodAutoscaler (autoscaling/v2) Flagger keeps next to the
// primary workload (§2.4): the target HPA's bounds, metrics and behaviour, scaling
// `<target>-primary` instead, with primaryScalerReplicas overriding min/max. Pure.
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
import { canaryOwnerReference } from '../kube/owner.js';
import type { KubeObject } from '../kube/types.js';
import { includeLabelsByPrefix, withoutToolkitKeys } from '../targets/labels.js';
import { HPA_API_VERSION, primaryScalerName } from './refs.js';

/** Which metadata rule applies: all but Flux keys at creation, the prefix filter on sync. */
export type MetadataMode = { mode: 'create' } | { mode: 'sync'; includeLabelPrefix: readonly string[] };

export function copiedMetadata(
  source: KubeObject,
  how: MetadataMode,
  drop: readonly string[] = [],
): { labels: Record<string, string>; annotations: Record<string, string> } {
  const pick = (map: Record<string, string> | undefined): Record<string, string> => {
    const kept =
      how.mode === 'create' ? withoutToolkitKeys(map) : includeLabelsByPrefix(map, how.includeLabelPrefix);
    for (const key of drop) Reflect.deleteProperty(kept, key);
    return kept;
  };
  return { labels: pick(source.metadata.labels), annotations: pick(source.metadata.annotations) };
}

/** primaryScalerReplicas min/max over the source's own values. */
export function overriddenBounds(
  canary: Canary,
  min: unknown,
  max: unknown,
): { min: number | undefined; max: number | undefined } {
  const o = canary.spec.autoscalerRef?.primaryScalerReplicas;
  return {
    min: o?.minReplicas ?? (typeof min === 'number' ? min : undefined),
    max: o?.maxReplicas ?? (typeof max === 'number' ? max : undefined),
  };
}

export function desiredPrimaryHpa(source: KubeObject, canary: Canary, how: MetadataMode): KubeObject {
  const spec = isRecord(source['spec']) ? source['spec'] : {};
  const bounds = overriddenBounds(canary, spec['minReplicas'], spec['maxReplicas']);
  const target = canary.spec.targetRef;
  const primarySpec: Record<string, unknown> = {
    scaleTargetRef: {
      apiVersion: target.apiVersion,
      kind: target.kind,
      name: primaryScalerName(target.name),
    },
    maxReplicas: bounds.max,
  };
  if (bounds.min !== undefined) primarySpec['minReplicas'] = bounds.min;
  for (const field of ['metrics', 'behavior'] as const) {
    if (spec[field] !== undefined) primarySpec[field] = structuredClone(spec[field]);
  }
  return {
    apiVersion: HPA_API_VERSION,
    kind: 'HorizontalPodAutoscaler',
    metadata: {
      name: primaryScalerName(source.metadata.name),
      namespace: canaryNamespace(canary),
      ...copiedMetadata(source, how),
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec: primarySpec,
  };
}

// The `<so>-primary` KEDA ScaledObject (§2.4) and the pause annotation Flagger puts on the
// target's ScaledObject while the target is scaled to zero. Pure; plain JSON because the
// ScaledObject is a CRD whose schema flagger-ts does not own.
import type { Canary } from '../api/canary.js';
import { canaryNamespace } from '../api/defaults.js';
import { isRecord } from '../kube/json.js';
import { canaryOwnerReference } from '../kube/owner.js';
import type { KubeObject } from '../kube/types.js';
import { copiedMetadata, overriddenBounds, type MetadataMode } from './hpa.js';
import { KEDA_API_VERSION, primaryScalerName } from './refs.js';

/** KEDA holds a ScaledObject's target at this many replicas while the annotation is set. */
export const PAUSED_REPLICAS_ANNOTATION = 'autoscaling.keda.sh/paused-replicas';
/** KEDA ≥2.13: pauses scaling where it is, without a replica count. */
export const PAUSED_ANNOTATION = 'autoscaling.keda.sh/paused';

/**
 * Never copied to the primary. Flagger copies them, so a primary synced while the target
 * was paused stays at 0 replicas (its known bug): the pause is for the target only.
 */
const TARGET_ONLY_ANNOTATIONS = [PAUSED_REPLICAS_ANNOTATION, PAUSED_ANNOTATION];

/** Spec fields copied as they are (scaleTargetRef, bounds and triggers are rewritten). */
const COPIED_FIELDS = ['pollingInterval', 'cooldownPeriod', 'fallback', 'idleReplicaCount'] as const;

/**
 * `query` with the target's and the canary's workload names pointing at the primary. The
 * primary's own name is parked first so it never becomes `-primary-primary`.
 */
export function primaryQuery(query: string, targetName: string): string {
  const primary = `${targetName}-primary`;
  const park = '\u0000primary\u0000';
  return query
    .split(primary)
    .join(park)
    .split(`${targetName}-canary`)
    .join(park)
    .split(targetName)
    .join(park)
    .split(park)
    .join(primary);
}

/**
 * The primary's triggers. With primaryScalerQueries, only the named triggers change (their
 * query replaced); without, every query is rewritten to the primary workload.
 */
export function primaryTriggers(triggers: unknown, canary: Canary): unknown[] {
  const overrides = canary.spec.autoscalerRef?.primaryScalerQueries;
  const list = Array.isArray(triggers) ? (structuredClone(triggers) as unknown[]) : [];
  for (const trigger of list) {
    if (!isRecord(trigger) || !isRecord(trigger['metadata'])) continue;
    const metadata = trigger['metadata'];
    const name = typeof trigger['name'] === 'string' ? trigger['name'] : undefined;
    if (overrides !== undefined) {
      const query = name === undefined ? undefined : overrides[name];
      if (query !== undefined) metadata['query'] = query;
    } else if (typeof metadata['query'] === 'string') {
      metadata['query'] = primaryQuery(metadata['query'], canary.spec.targetRef.name);
    }
  }
  return list;
}

function primaryAdvanced(advanced: unknown): unknown {
  if (!isRecord(advanced)) return advanced;
  const copy = structuredClone(advanced);
  const hpa = copy['horizontalPodAutoscalerConfig'];
  // KEDA names the HPA it creates after this; two ScaledObjects must not share one HPA.
  if (isRecord(hpa) && typeof hpa['name'] === 'string' && hpa['name'] !== '')
    hpa['name'] = primaryScalerName(hpa['name']);
  return copy;
}

export function desiredPrimaryScaledObject(
  source: KubeObject,
  canary: Canary,
  how: MetadataMode,
): KubeObject {
  const spec = isRecord(source['spec']) ? source['spec'] : {};
  const ref = isRecord(spec['scaleTargetRef']) ? spec['scaleTargetRef'] : {};
  const scaleTargetRef: Record<string, unknown> = { name: primaryScalerName(canary.spec.targetRef.name) };
  for (const field of ['kind', 'apiVersion', 'envSourceContainerName'] as const) {
    if (ref[field] !== undefined) scaleTargetRef[field] = ref[field];
  }
  const primarySpec: Record<string, unknown> = {
    scaleTargetRef,
    triggers: primaryTriggers(spec['triggers'], canary),
  };
  for (const field of COPIED_FIELDS) {
    if (spec[field] !== undefined) primarySpec[field] = structuredClone(spec[field]);
  }
  if (spec['advanced'] !== undefined) primarySpec['advanced'] = primaryAdvanced(spec['advanced']);
  const bounds = overriddenBounds(canary, spec['minReplicaCount'], spec['maxReplicaCount']);
  if (bounds.min !== undefined) primarySpec['minReplicaCount'] = bounds.min;
  if (bounds.max !== undefined) primarySpec['maxReplicaCount'] = bounds.max;
  return {
    apiVersion: KEDA_API_VERSION,
    kind: 'ScaledObject',
    metadata: {
      name: primaryScalerName(source.metadata.name),
      namespace: canaryNamespace(canary),
      ...copiedMetadata(source, how, TARGET_ONLY_ANNOTATIONS),
      ownerReferences: [canaryOwnerReference(canary)],
    },
    spec: primarySpec,
  };
}

/** Merge patch pausing (`"0"`) or resuming (null deletes) the target ScaledObject. */
export function pausePatch(paused: boolean): unknown {
  return { metadata: { annotations: { [PAUSED_REPLICAS_ANNOTATION]: paused ? '0' : null } } };
}

/** Whether the target ScaledObject already is as pausePatch(paused) would leave it. */
export function isPausedAs(so: KubeObject, paused: boolean): boolean {
  const value = so.metadata.annotations?.[PAUSED_REPLICAS_ANNOTATION];
  return paused ? value === '0' : value === undefined;
}

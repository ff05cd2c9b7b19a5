// Names and API versions of the autoscaler objects Flagger manages.
import type { AutoscalerReference } from '../api/canary.js';

export const HPA_API_VERSION = 'autoscaling/v2';
export const KEDA_API_VERSION = 'keda.sh/v1alpha1';

/**
 * Flagger supports HPA autoscaling/v2 only (v2beta2 was dropped in 1.44) and KEDA v1alpha1,
 * whatever apiVersion the reference names.
 */
export function autoscalerApiVersion(kind: AutoscalerReference['kind']): string {
  return kind === 'HorizontalPodAutoscaler' ? HPA_API_VERSION : KEDA_API_VERSION;
}

export function primaryScalerName(name: string): string {
  return `${name}-primary`;
}

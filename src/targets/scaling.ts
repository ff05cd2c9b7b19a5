// Replica choices for scaling the target back up (Flagger's ScaleFromZero, §2.4). Pure; the
// adapter reads the objects involved.

export interface ScaleFromZeroInputs {
  /** The target's spec.replicas. */
  targetReplicas: number | undefined;
  /** The primary's spec.replicas (undefined also when there is no primary). */
  primaryReplicas: number | undefined;
  /**
   * Without an autoscaler: undefined. With one: its minimum (HPA minReplicas, ScaledObject
   * minReplicaCount), undefined when unset or unreadable.
   */
  autoscaler: { minReplicas: number | undefined } | undefined;
}

/**
 * The target's own count if it has one; otherwise, without an autoscaler, the primary's
 * (so the canary gets the same capacity as what it may replace); with an autoscaler its
 * minimum. Never below 1.
 */
export function scaleFromZeroReplicas(inputs: ScaleFromZeroInputs): number {
  const { targetReplicas, primaryReplicas, autoscaler } = inputs;
  if (targetReplicas !== undefined && targetReplicas > 0) return targetReplicas;
  if (autoscaler === undefined)
    return primaryReplicas !== undefined && primaryReplicas > 0 ? primaryReplicas : 1;
  const min = autoscaler.minReplicas;
  return min !== undefined && min > 1 ? min : 1;
}

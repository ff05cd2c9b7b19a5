// Deployment readiness (Flagger §2.5), from the Deployment's own status. Pure: `now` is an
// input so progress-deadline cases are testable with a fixed clock.
import type { V1DaemonSet, V1Deployment, V1DeploymentCondition } from '@kubernetes/client-node';

export type Readiness = { ready: true } | { ready: false; retriable: boolean; message: string };

export const READY: Readiness = { ready: true };

function notReady(retriable: boolean, message: string): Readiness {
  return { ready: false, retriable, message };
}

function condition(deployment: V1Deployment, type: string): V1DeploymentCondition | undefined {
  return deployment.status?.conditions?.find((c) => c.type === type);
}

/**
 * Timestamps are Dates in client-node models but strings in plain JSON (the KubeClient
 * facade); accept both. Unparsable or missing gives undefined.
 */
export function toMillis(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Whether the Deployment's rollout has finished with enough available pods.
 * `thresholdPercent` is primaryReadyThreshold / canaryReadyThreshold (default 100).
 * A not-ready result is non-retriable when the rollout is stuck: the Progressing condition
 * says ProgressDeadlineExceeded, or Available has been False (MinimumReplicasUnavailable)
 * for longer than the canary's progressDeadlineSeconds.
 */
export function deploymentReadiness(
  deployment: V1Deployment,
  thresholdPercent: number,
  progressDeadlineSeconds: number,
  now: number,
): Readiness {
  const generation = deployment.metadata?.generation ?? 0;
  const observed = deployment.status?.observedGeneration ?? 0;
  if (generation > observed) {
    return notReady(
      true,
      'waiting for rollout to finish: observed deployment generation less than desired generation',
    );
  }
  const progress = condition(deployment, 'Progressing');
  let retriable = true;
  if (progress !== undefined) {
    const available = condition(deployment, 'Available');
    if (available?.status === 'False' && available.reason === 'MinimumReplicasUnavailable') {
      const since = toMillis(available.lastUpdateTime);
      // Flagger: stuck when lastUpdateTime + deadline is before now.
      if (since !== undefined) retriable = !(since + progressDeadlineSeconds * 1000 < now);
    }
  }
  if (progress?.reason === 'ProgressDeadlineExceeded') {
    return notReady(false, `deployment "${deployment.metadata?.name ?? ''}" exceeded its progress deadline`);
  }
  const status = deployment.status ?? {};
  const updated = status.updatedReplicas ?? 0;
  const wanted = deployment.spec?.replicas;
  if (wanted !== undefined && updated < wanted) {
    return notReady(
      retriable,
      `waiting for rollout to finish: ${updated} out of ${wanted} new replicas have been updated`,
    );
  }
  const total = status.replicas ?? 0;
  if (total > updated) {
    return notReady(
      retriable,
      `waiting for rollout to finish: ${total - updated} old replicas are pending termination`,
    );
  }
  // Integer arithmetic: floor(updated × threshold / 100), what Flagger means with float32.
  const needed = Math.floor((updated * thresholdPercent) / 100);
  const available = status.availableReplicas ?? 0;
  if (available < needed) {
    return notReady(
      retriable,
      `waiting for rollout to finish: ${available} of ${needed} (readyThreshold ${thresholdPercent}%) updated replicas are available`,
    );
  }
  return READY;
}

export interface ReadinessContext {
  /** Canary name and namespace, for messages. */
  canaryName: string;
  namespace: string;
  thresholdPercent: number;
  progressDeadlineSeconds: number;
  now: number;
}

/**
 * The canary (target) Deployment. Messages are bare ("waiting for rollout to finish: …"):
 * the decision core words the event ("<target>.<ns> not ready: …"), in one place.
 */
export function canaryReadiness(target: V1Deployment, ctx: ReadinessContext): Readiness {
  return deploymentReadiness(target, ctx.thresholdPercent, ctx.progressDeadlineSeconds, ctx.now);
}

export interface PrimaryReadinessContext extends ReadinessContext {
  /** True when an HPA or ScaledObject owns the primary's replica count. */
  hasAutoscaler: boolean;
}

/**
 * The primary Deployment; bare messages, as for the canary.
 *
 * Flagger also means to halt when the primary is scaled to zero, but compares pointers, so
 * the check never fires and a canary can progress while nothing serves the primary route.
 * Here it fires, as a retriable "halt" (wait, do not roll back: rolling back would scale the
 * canary down too and leave no pods at all). It is skipped with an autoscaler, where zero
 * replicas is the autoscaler's decision (KEDA idleReplicaCount: 0), not a broken primary.
 */
export function primaryReadiness(primary: V1Deployment, ctx: PrimaryReadinessContext): Readiness {
  const r = deploymentReadiness(primary, ctx.thresholdPercent, ctx.progressDeadlineSeconds, ctx.now);
  if (!r.ready) return r;
  if (!ctx.hasAutoscaler && primary.spec?.replicas === 0) {
    return notReady(
      true,
      `halt ${ctx.canaryName}.${ctx.namespace} advancement: primary deployment is scaled to zero`,
    );
  }
  return r;
}

/**
 * Whether a DaemonSet's rollout has finished (Flagger §2.5): every scheduled node runs the
 * new template and enough of those pods are available. A DaemonSet has no progress
 * condition, so "stuck" is measured like Flagger does, from the Canary's own
 * status.lastTransitionTime (`stuckSince`) plus the progress deadline.
 */
export function daemonSetReadiness(
  ds: V1DaemonSet,
  thresholdPercent: number,
  progressDeadlineSeconds: number,
  now: number,
  stuckSince: number | undefined,
): Readiness {
  const retriable = stuckSince === undefined || stuckSince + progressDeadlineSeconds * 1000 >= now;
  const generation = ds.metadata?.generation ?? 0;
  const status = ds.status;
  if (generation > (status?.observedGeneration ?? 0)) {
    return notReady(
      retriable,
      'waiting for rollout to finish: observed daemonset generation less than desired generation',
    );
  }
  const desired = status?.desiredNumberScheduled ?? 0;
  const updated = status?.updatedNumberScheduled ?? 0;
  if (updated < desired) {
    return notReady(
      retriable,
      `waiting for rollout to finish: ${updated} out of ${desired} new pods have been updated`,
    );
  }
  const needed = Math.floor((desired * thresholdPercent) / 100);
  const available = status?.numberAvailable ?? 0;
  if (available < needed) {
    return notReady(
      retriable,
      `waiting for rollout to finish: ${available} of ${needed} (readyThreshold ${thresholdPercent}%) updated pods are available`,
    );
  }
  return READY;
}

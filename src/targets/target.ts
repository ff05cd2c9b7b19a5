// The workload adapter interface (Flagger's canary.Controller for Deployments and
// DaemonSets, plus the autoscaler around them). The controller gathers observations through it and executes the core's
// effects with it; everything it decides on is in the observation, so `decide` stays pure.
import type { Canary } from '../api/canary.js';
import type { KubeObject } from '../kube/types.js';
import type { ConfigKind } from './config-refs.js';
import type { SelectorLabel } from './labels.js';
import type { Readiness } from './readiness.js';
import type { Workload, WorkloadKindName } from './workload.js';

/**
 * Objects the caller already holds (informer caches), so observing costs no API request.
 * For each: undefined = not known (the adapter GETs it), null = known not to exist.
 */
export interface KnownObjects {
  target?: unknown;
  primary?: unknown;
  /** ConfigMap/Secret lookup by kind and name; same undefined/null convention. */
  config?: ((kind: ConfigKind, name: string) => unknown) | undefined;
}

export interface TargetObservation {
  /** 'Service' for plain and Knative Services (service.ts, knative.ts). */
  kind: WorkloadKindName | 'Service';
  target: Workload | KubeObject;
  /** undefined until the primary workload has been created. */
  primary: Workload | KubeObject | undefined;
  /** The primary's hash, computed like specHash; undefined without a primary. */
  primaryHash: string | undefined;
  /** spec.replicas of target and primary for kinds that have replicas. */
  targetReplicas: number | undefined;
  primaryReplicas: number | undefined;
  selector: SelectorLabel;
  /** Change-detection hash of the target (status.lastAppliedSpec when synced). */
  specHash: string;
  targetReadiness: Readiness;
  /** undefined when there is no primary. */
  primaryReadiness: Readiness | undefined;
  /** Discovered container ports (name → port); empty unless spec.service.portDiscovery. */
  ports: Record<string, number>;
  /** status.trackedConfigs for the current target: `configmap/<n>` | `secret/<n>` → checksum. */
  trackedConfigs: Record<string, string>;
  /**
   * Whether promoting the target now would leave the primary's pod template as it is
   * (the flagger-id aside): the target runs what the primary runs. Computed on demand, for
   * taking a canary over from Flagger (controller/takeover.ts); absent for Service kinds.
   */
  primaryMatchesTarget?: (() => boolean) | undefined;
}

export type TargetErrorReason = 'TargetNotFound' | 'PrimaryNotFound' | 'InvalidTarget' | 'ConfigNotFound';

/**
 * A target problem the controller reports rather than crashes on. None of these is
 * fixed by retrying at once, but all are fixed by the user (create the object, add a
 * selector label ...), so the controller re-checks on the next interval or watch event.
 */
export class TargetError extends Error {
  override readonly name = 'TargetError';
  readonly reason: TargetErrorReason;

  constructor(reason: TargetErrorReason, message: string) {
    super(message);
    this.reason = reason;
  }
}

/** One workload kind's adapter (Deployment, DaemonSet). */
export interface WorkloadTarget {
  /** Reads target, primary and tracked configs (from `known` where given). Throws TargetError. */
  observe(canary: Canary, known?: KnownObjects): Promise<TargetObservation>;
  /** Creates the primary workload (and its config copies) when missing; never overwrites. */
  ensurePrimary(canary: Canary, known?: KnownObjects): Promise<'created' | 'exists'>;
  /** Copies the target's template (and config copies) into the primary. */
  promote(canary: Canary): Promise<void>;
  /** Scales the target to zero; false when it already was (no write). */
  scaleToZero(canary: Canary, known?: KnownObjects): Promise<boolean>;
  /** Scales the target up for an analysis; false when it already runs (no write). */
  scaleFromZero(canary: Canary, known?: KnownObjects): Promise<boolean>;
  /** revertOnDeletion: gives the target the primary's replicas again; false when no write was needed. */
  finalize(canary: Canary): Promise<boolean>;
}

/** What the controller uses: the workload of the canary's kind and its autoscaler. */
export interface TargetAdapter extends WorkloadTarget {
  /**
   * autoscalerRef: creates the `-primary` HPA/ScaledObject when missing (`init`), or also
   * syncs an existing one from the target's (`!init`, Promoting). No-op without autoscalerRef.
   */
  reconcilePrimaryScaler(canary: Canary, init: boolean): Promise<void>;
}

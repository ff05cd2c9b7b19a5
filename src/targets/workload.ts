// What distinguishes one workload kind from another for the shared adapter
// (workload-adapter.ts): how to recognise, hash, judge, copy and scale it. Everything
// else (reads, config tracking, primary creation and promotion I/O) is kind-independent.
import type { V1DaemonSet, V1Deployment } from '@kubernetes/client-node';
import type { Readiness } from './readiness.js';
import type { CanaryIdentity, PrimaryOptions, PromoteOptions } from './workload-primary.js';

export type Workload = V1Deployment | V1DaemonSet;
export type WorkloadKindName = 'Deployment' | 'DaemonSet';

export interface WorkloadReadinessContext {
  canaryName: string;
  namespace: string;
  thresholdPercent: number;
  progressDeadlineSeconds: number;
  now: number;
  /** True when an HPA or ScaledObject owns the primary's replica count. */
  hasAutoscaler: boolean;
  /** The Canary's status.lastTransitionTime (ms), for kinds without a progress condition. */
  lastTransition: number | undefined;
}

export interface WorkloadKind<W extends Workload> {
  readonly kind: WorkloadKindName;
  /** Lower-case kind for messages, as Flagger words them ("deployment x.y not found"). */
  readonly noun: string;
  /** The value as this kind, or undefined when it is something else (or nothing). */
  as(value: unknown): W | undefined;
  /** A reason the target cannot be managed, or undefined. */
  invalid(target: W): string | undefined;
  /** Change-detection hash (status.lastAppliedSpec). */
  hash(workload: W): string;
  readiness(workload: W, role: 'canary' | 'primary', ctx: WorkloadReadinessContext): Readiness;
  desiredPrimary(target: W, canary: CanaryIdentity, opts: PrimaryOptions): W;
  promotedPrimary(primary: W, target: W, opts: PromoteOptions): W;
  /** spec.replicas for kinds that have it; undefined otherwise. */
  replicas(workload: W): number | undefined;
  isScaledToZero(target: W): boolean;
  /** Merge patch that stops the target's pods. */
  zeroPatch(): unknown;
  /**
   * Merge patch that runs the target again. `replicas` is only consulted by kinds with
   * replicas; it is a function so the reads behind it happen only for those kinds.
   */
  fromZeroPatch(replicas: () => Promise<number>): Promise<unknown>;
}

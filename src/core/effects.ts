// Effect descriptions the shell executes, in order, after decide() returns a decision.
// Each member says when the core produces it. The shell's execute.ts switches over
// `kind` with an exhaustiveness check.
//
// Finalizers (revertOnDeletion, §2.13) are deliberately not effects: adding/removing
// `finalizer.flagger.app` and reverting on deletion depend only on metadata, not on the
// analysis, so the shell's finalizer.ts owns them and decide() leaves a deleting canary alone.
import type { DeploymentStrategy } from '../api/defaults.js';
import type { CanaryPhase } from '../api/status.js';
import type { Routes } from './snapshot.js';

/**
 * Event reasons: one per kind of event, instead of Flagger's universal "Synced", so
 * `kubectl get events --field-selector reason=...` and alert rules can tell them apart.
 */
export type EventReason =
  | 'Suspended'
  | 'InvalidSpec'
  | 'TargetNotFound'
  | 'RoutesUnavailable'
  | 'MetricProvidersAvailable'
  | 'MetricProvidersUnavailable'
  | 'PrimaryNotReady'
  | 'CanaryNotReady'
  | 'Initialized'
  | 'ConfirmRolloutPassed'
  | 'WaitingForApproval'
  | 'NewRevision'
  | 'AnalysisRestarted'
  | 'AnalysisStarted'
  | 'PreRolloutPassed'
  | 'PreRolloutFailed'
  | 'RolloutCheckFailed'
  | 'MetricCheckFailed'
  | 'MetricNoData'
  | 'MetricQueryFailed'
  | 'JudgeWaiting'
  | 'JudgeInconclusive'
  | 'JudgeInconclusiveTimeout'
  | 'UnsupportedByProvider'
  | 'ConfirmTrafficIncreasePassed'
  | 'WaitingForTrafficIncreaseApproval'
  | 'ConfirmPromotionPassed'
  | 'WaitingForPromotionApproval'
  | 'RollbackHookNotSignaling'
  | 'RollbackHookPassed'
  | 'ManualRollback'
  | 'ManualPromotion'
  | 'ManualRetry'
  | 'UserRequestRejected'
  | 'ThresholdReached'
  | 'ProgressDeadlineExceeded'
  | 'CanaryFailed'
  | 'PromotionFailed'
  | 'WeightAdvanced'
  | 'IterationAdvanced'
  | 'TrafficMirroringStarted'
  | 'TrafficRoutedToCanary'
  | 'TrafficRoutedToPrimary'
  | 'PrimaryWeightAdvanced'
  | 'Promoting'
  | 'Promoted';

export type EventType = 'Normal' | 'Warning';
export type AlertSeverity = 'info' | 'warn' | 'error';

export interface AlertField {
  readonly name: string;
  readonly value: string;
}

export type MetricRecord =
  /** flagger_canary_status (0 Progressing, 1 other, 2 Failed). */
  | { readonly metric: 'status'; readonly value: 0 | 1 | 2 }
  /** flagger_canary_weight for `<target>-primary` and `<target>`. */
  | { readonly metric: 'weight'; readonly primary: number; readonly canary: number }
  /** flagger_canary_successes_total / flagger_canary_failures_total. */
  | {
      readonly metric: 'successes' | 'failures';
      readonly deploymentStrategy: DeploymentStrategy;
      readonly analysisStatus: 'completed' | 'skipped';
    };

export type Effect =
  /**
   * Every tick while the primary is missing (initialization, or after someone deleted it):
   * create `<target>-primary` with its primary autoscaler and primary config copies.
   * Never updates an existing primary (that is `promote`).
   */
  | { readonly kind: 'ensurePrimary' }
  /**
   * Every tick once the primary is ready (or at once with skipAnalysis): create or update
   * `<svc>-canary`, `<svc>-primary` and the apex `<svc>` selecting the primary pods.
   */
  | { readonly kind: 'ensureServices' }
  /**
   * Every tick after the services (App Mesh: before ensurePrimary, so pods get the Envoy
   * sidecar): create or update the mesh/ingress objects, keeping their current weights.
   */
  | { readonly kind: 'reconcileRouter' }
  /** On weight/iteration steps, mirroring, restart, promotion shifts and rollback. */
  | { readonly kind: 'setRoutes'; readonly routes: Routes }
  /**
   * At the end of initialization, on Finalising → Succeeded, after skip-analysis
   * promotion and on rollback. The shell pauses the target's KEDA ScaledObject first.
   */
  | { readonly kind: 'scaleTargetToZero' }
  /**
   * When a new revision is approved (→ Progressing). The shell resumes the target's
   * KEDA ScaledObject first, then applies Flagger's ScaleFromZero replica rule.
   */
  | { readonly kind: 'scaleTargetFromZero' }
  /** When the analysis succeeded (→ Promoting) or is skipped: copy the target spec (and configs) to the primary. */
  | { readonly kind: 'promote' }
  /** In Promoting and in the skip-analysis promotion: sync the target autoscaler into the primary one. */
  | { readonly kind: 'reconcilePrimaryScaler' }
  /**
   * A Kubernetes Event (and event webhooks, and a log line). `phase` is the phase to
   * report in event-webhook payloads: Flagger reports the *new* phase for some events.
   */
  | {
      readonly kind: 'emitEvent';
      readonly type: EventType;
      readonly reason: EventReason;
      readonly message: string;
      readonly phase: CanaryPhase;
    }
  /** A notification routed to analysis.alerts (or the global notifier) by severity (§2.15). */
  | {
      readonly kind: 'alert';
      readonly severity: AlertSeverity;
      readonly message: string;
      readonly fields: readonly AlertField[];
      /** The phase when the alert was raised (the generic webhook and templates show it). */
      readonly phase: CanaryPhase;
    }
  /**
   * Fire-and-report hooks whose outcome cannot change the decision: post-rollout after
   * Succeeded and Failed. The shell calls every hook of `hookType` with `phase` and emits
   * "Post-rollout check {hook} passed" / "Post-rollout hook {hook} failed {err}" itself.
   */
  | { readonly kind: 'callHooks'; readonly hookType: 'post-rollout'; readonly phase: CanaryPhase }
  /** Operator metrics: status gauge on every decision, weights on every read/set, counters at the end of a run. */
  | { readonly kind: 'recordMetric'; readonly record: MetricRecord };

export type EffectKind = Effect['kind'];

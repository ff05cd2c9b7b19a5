// Ending a run as Failed: the rollback (§2.9) and the failed promotion (§2.10).
import { thresholdReached } from './analysis.js';
import { alerts, messages } from './events.js';
import type { Routes } from './snapshot.js';
import type { Tick } from './tick.js';
import { canaryOnly, primaryOnly } from './weights.js';

/**
 * Live weights. A provider without weighted routing (kubernetes) has no router to ask: like Flagger's NopRouter, it
 * reports the canary as live once the first iteration has run.
 */
export function liveRoutes(t: Tick): Routes | undefined {
  if (!t.s.capabilities.weightedRouting) return t.before.iterations > 0 ? canaryOnly() : primaryOnly();
  return t.s.routes;
}

function failedRun(t: Tick): void {
  t.effect({
    kind: 'recordMetric',
    record: { metric: 'failures', deploymentStrategy: t.strategy.strategy, analysisStatus: 'completed' },
  });
  t.effect({ kind: 'callHooks', hookType: 'post-rollout', phase: 'Failed' });
}

export interface RollbackCause {
  /** The readiness error when the progress deadline was exceeded. */
  readonly deadline?: string;
}

/** Route everything back to the primary, scale the target down, phase Failed. */
export function rollback(t: Tick, cause: RollbackCause = {}): void {
  if (thresholdReached(t)) {
    t.warn('ThresholdReached', messages.thresholdReached(t.c, t.draft.failedChecks));
    t.alert('error', alerts.thresholdReached(t.draft.failedChecks));
  }
  if (cause.deadline !== undefined) {
    // Flagger means to say this too, but its code path is unreachable (§2.9), so a
    // deadline rollback there is silent. We report it.
    t.warn('ProgressDeadlineExceeded', messages.deadlineExceeded(t.c, cause.deadline));
    t.alert('error', alerts.deadlineExceeded(cause.deadline));
  }
  // Before the router exists (initialization) there are no routes to reset.
  if (liveRoutes(t) !== undefined) t.setRoutes(primaryOnly());
  t.event('Warning', 'CanaryFailed', messages.canaryFailed(t.c), 'Failed');
  t.effect({ kind: 'scaleTargetToZero' });
  t.sync('Failed');
  failedRun(t);
}

/**
 * The primary broke while taking over (Promoting/Finalising): send all traffic back to
 * the canary, which is the only healthy copy, and leave it scaled up.
 */
export function failPromotion(t: Tick, err: string): void {
  t.warn('PromotionFailed', messages.promotionFailed(t.c, err));
  t.alert('error', alerts.promotionFailed(err));
  t.setRoutes(canaryOnly());
  t.sync('Failed', 100);
  failedRun(t);
}

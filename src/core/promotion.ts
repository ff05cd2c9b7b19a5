// From a successful analysis to Succeeded: the confirm-promotion gate, the copy of the
// target spec to the primary, the traffic shift back (§2.8), Finalising (§2.2 step 21)
// and the skip-analysis shortcut (§2.11).
import { stepWeightPromotion } from '../api/defaults.js';
import { alerts, messages } from './events.js';
import { runGate } from './hooks.js';
import type { Tick } from './tick.js';
import { TOTAL_WEIGHT, primaryOnly, promotionStep } from './weights.js';

/**
 * The confirm-promotion gate. The first refusal parks the canary in WaitingPromotion
 * (event and alert once); later refusals only pin iterations at N-1, as Flagger does, so
 * A/B and Blue/Green re-run their last iteration while waiting.
 */
export function confirmPromotion(t: Tick): boolean {
  const gate = runGate(t, 'confirm-promotion', 'Progressing', {
    onPassed: (hook) => {
      t.info('ConfirmPromotionPassed', messages.promotionPassed(hook.name));
    },
  });
  if (gate.state === 'passed') return true;
  if (gate.state === 'pending') return false;
  if (t.phase === 'WaitingPromotion') {
    t.draft.iterations = t.waitingIterations();
    return false;
  }
  t.setPhase('WaitingPromotion');
  t.warn('WaitingForPromotionApproval', messages.waitingForPromotion(t.c, gate.hook.name));
  if (gate.hook.muteAlert !== true) t.alert('warn', alerts.waitingForPromotion());
  return false;
}

/** Analysis passed: copy the target spec to the primary and start Promoting. */
export function startPromotion(t: Tick): void {
  t.info('Promoting', messages.copying(t.c));
  t.effect({ kind: 'promote' });
  t.setPhase('Promoting');
}

/** Step 20: once the promoted primary is ready, shift traffic back to it. */
export function promoting(t: Tick): boolean {
  if (t.phase !== 'Promoting' || t.routes === undefined) return true;
  t.effect({ kind: 'reconcilePrimaryScaler' });
  const step = stepWeightPromotion(t.c);
  // No traffic to shift without weighted routing: the apex Service already selects the primary.
  if (!t.s.capabilities.weightedRouting) {
    t.setPhase('Finalising');
  } else if (step === 0) {
    t.info('TrafficRoutedToPrimary', messages.routedToPrimary());
    t.setRoutes(primaryOnly());
    t.setPhase('Finalising');
  } else if (t.routes.canary === 0) {
    // Flagger only shifts while the canary has weight, and so would stay in Promoting
    // forever if it had none; nothing is left to shift, so finish.
    t.setPhase('Finalising');
  } else {
    const next = promotionStep(t.routes, step);
    t.setRoutes(next);
    t.info('PrimaryWeightAdvanced', messages.advancePrimaryWeight(t.c, next.primary));
    if (next.primary >= TOTAL_WEIGHT) t.setPhase('Finalising');
    else t.draft.canaryWeight = next.canary;
  }
  return false;
}

function succeeded(t: Tick, analysisStatus: 'completed' | 'skipped'): void {
  t.setPhase('Succeeded');
  t.effect({
    kind: 'recordMetric',
    record: { metric: 'successes', deploymentStrategy: t.strategy.strategy, analysisStatus },
  });
  t.effect({ kind: 'callHooks', hookType: 'post-rollout', phase: 'Succeeded' });
}

/** Step 21: all traffic is on the primary; scale the target down and finish. */
export function finalising(t: Tick): boolean {
  if (t.phase !== 'Finalising') return true;
  t.effect({ kind: 'scaleTargetToZero' });
  succeeded(t, 'completed');
  t.event('Normal', 'Promoted', messages.promoted(t.c), 'Succeeded');
  t.alert('info', alerts.succeeded());
  return false;
}

/** Step 18 with skipAnalysis: promote at once, without hooks or metrics. */
export function promoteSkippingAnalysis(t: Tick): void {
  t.setRoutes(primaryOnly());
  t.info('Promoting', messages.copying(t.c));
  t.effect({ kind: 'promote' });
  t.effect({ kind: 'reconcilePrimaryScaler' });
  t.effect({ kind: 'scaleTargetToZero' });
  succeeded(t, 'skipped');
  t.event('Normal', 'Promoted', messages.promotedSkipped(t.c), 'Succeeded');
  t.alert('info', alerts.skipped());
}

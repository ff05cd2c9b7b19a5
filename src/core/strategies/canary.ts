// Progressive traffic shifting (Flagger's runCanary). Reads live routes, analysis
// stepWeight/stepWeights/maxWeight/mirror and the confirm-traffic-increase and
// confirm-promotion gates; writes routes, status.canaryWeight, and the phase on promotion.
import { maxWeight, stepWeights } from '../../api/defaults.js';
import { alerts, messages } from '../events.js';
import { runGate } from '../hooks.js';
import { confirmPromotion, startPromotion } from '../promotion.js';
import type { Routes } from '../snapshot.js';
import type { Tick } from '../tick.js';
import { nextCanaryRoutes, nextStepWeight, type StepConfig } from '../weights.js';

export function stepConfig(t: Tick): StepConfig {
  return { stepWeight: t.c.spec.analysis.stepWeight ?? 0, stepWeights: stepWeights(t.c) };
}

/**
 * The confirm-traffic-increase gate. Refusal keeps the phase and counters; the warning
 * and the alert repeat on every tick, as in Flagger.
 */
function confirmTrafficIncrease(t: Tick): boolean {
  const gate = runGate(t, 'confirm-traffic-increase', 'Progressing', {
    onPassed: (hook) => {
      t.info('ConfirmTrafficIncreasePassed', messages.trafficIncreasePassed(hook.name));
    },
  });
  if (gate.state !== 'failed') return gate.state === 'passed';
  t.warn('WaitingForTrafficIncreaseApproval', messages.waitingForTrafficIncrease(t.c, gate.hook.name));
  if (gate.hook.muteAlert !== true) t.alert('warn', alerts.waitingForTrafficIncrease());
  return false;
}

export function runCanary(t: Tick, routes: Routes): void {
  const cfg = stepConfig(t);
  // Without a step there is nothing to do; validation rejects such a spec (see validation.ts).
  if (nextStepWeight(cfg, routes.canary) <= 0) return;
  // Leaving the mirror step and waiting for promotion are not traffic increases to confirm.
  if (!routes.mirrored && t.phase !== 'WaitingPromotion' && !confirmTrafficIncrease(t)) return;
  if (routes.canary < maxWeight(t.c)) {
    const next = nextCanaryRoutes(routes, cfg, t.c.spec.analysis.mirror === true);
    t.setRoutes(next);
    t.draft.canaryWeight = next.canary;
    t.info('WeightAdvanced', messages.advanceWeight(t.c, next.canary));
    return;
  }
  if (confirmPromotion(t)) startPromotion(t);
}

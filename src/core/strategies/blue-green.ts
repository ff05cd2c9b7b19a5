// Blue/Green (Flagger's runBlueGreen): N iterations of analysis against the canary
// (mirrored traffic when asked and possible), one extra tick that switches all traffic
// to the canary before the primary's rolling update, then promotion. Provider
// `kubernetes` shifts no traffic at all. Writes routes, status.iterations and the phase.
import { messages } from '../events.js';
import { confirmPromotion, startPromotion } from '../promotion.js';
import type { Routes } from '../snapshot.js';
import type { Tick } from '../tick.js';
import { canaryOnly, TOTAL_WEIGHT } from '../weights.js';

/** Mirroring only when asked, and only where the router can do it (Flagger asks any router). */
function mirrors(t: Tick): boolean {
  return t.s.capabilities.weightedRouting && t.c.spec.analysis.mirror === true && t.s.capabilities.mirror;
}

function iterate(t: Tick, routes: Routes, n: number): void {
  if (mirrors(t) && !routes.mirrored) {
    t.setRoutes({ primary: TOTAL_WEIGHT, canary: 0, mirrored: true });
    t.info('TrafficMirroringStarted', messages.mirroringStarted());
  }
  t.draft.iterations += 1;
  t.info('IterationAdvanced', messages.advanceIteration(t.c, t.draft.iterations, n));
}

/** The extra tick: all traffic to the canary, so the primary can roll without downtime. */
function switchToCanary(t: Tick): void {
  if (t.s.capabilities.weightedRouting) {
    const message = mirrors(t) ? messages.mirroringStopped() : messages.routedToCanary();
    t.info('TrafficRoutedToCanary', message);
    t.setRoutes(canaryOnly());
  }
  t.draft.iterations += 1;
}

export function runBlueGreen(t: Tick, routes: Routes): void {
  const n = t.strategy.iterations;
  if (n > t.draft.iterations) {
    iterate(t, routes, n);
    return;
  }
  // Flagger runs this gate on both the switch tick and the promote tick.
  if (!confirmPromotion(t)) return;
  if (n === t.draft.iterations) switchToCanary(t);
  else startPromotion(t);
}

// A/B testing (Flagger's runAB): all matching traffic goes to the canary for N
// iterations (the router applies analysis.match), then promotion. Reads iterations and the
// confirm-promotion gate; writes routes 0/100, status.iterations and the phase.
import { messages } from '../events.js';
import { confirmPromotion, startPromotion } from '../promotion.js';
import type { Tick } from '../tick.js';
import { canaryOnly } from '../weights.js';

export function runABTesting(t: Tick): void {
  const n = t.strategy.iterations;
  if (n > t.draft.iterations) {
    t.setRoutes(canaryOnly());
    t.draft.iterations += 1;
    t.info('IterationAdvanced', messages.advanceIteration(t.c, t.draft.iterations, n));
    return;
  }
  if (!confirmPromotion(t)) return;
  // Flagger promotes only at exactly N and would idle if N were lowered mid-run; >= cannot stall.
  startPromotion(t);
}

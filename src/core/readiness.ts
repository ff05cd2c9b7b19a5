// Steps 13, 14 and 17: the primary and the canary must be ready (§2.5) and the router
// must report its weights before the analysis may act.
import { skipAnalysis } from '../api/defaults.js';
import { messages, primaryRef, targetRef } from './events.js';
import { failPromotion, liveRoutes, rollback } from './rollback.js';
import type { Tick } from './tick.js';

/** Step 13 (not with skipAnalysis): retriable → wait; otherwise fail the promotion or roll back. */
export function primaryReadiness(t: Tick): boolean {
  if (skipAnalysis(t.c)) return true;
  const primary = t.s.primary;
  // Missing after initialization: ensurePrimary was emitted by this tick; wait for it.
  if (primary === undefined) {
    t.wait();
    return false;
  }
  if (primary.readiness.ready) return true;
  const { retriable, message } = primary.readiness;
  if (retriable) {
    t.warn('PrimaryNotReady', messages.notReady(primaryRef(t.c), message));
    t.wait();
  } else if (t.phase === 'Promoting' || t.phase === 'Finalising') {
    failPromotion(t, message);
  } else {
    rollback(t, { deadline: messages.notReady(primaryRef(t.c), message) });
  }
  return false;
}

/** Step 14: the live weights every later step works from. */
export function readRoutes(t: Tick): boolean {
  const routes = liveRoutes(t);
  if (routes === undefined) {
    t.warn('RoutesUnavailable', messages.routesUnavailable(t.c));
    t.wait();
    return false;
  }
  t.routes = routes;
  // The routes are the truth: after a crash between a weight change and its status write the
  // status is one step behind, and would otherwise show the old weight until the next advance.
  if (t.strategy.strategy === 'canary' && t.phase === 'Progressing') t.draft.canaryWeight = routes.canary;
  t.effect({
    kind: 'recordMetric',
    record: { metric: 'weight', primary: routes.primary, canary: routes.canary },
  });
  return true;
}

/** Step 17: a canary past its progress deadline is rolled back. */
export function canaryReadiness(t: Tick): boolean {
  const readiness = t.s.target?.readiness;
  if (readiness === undefined || readiness.ready) return true;
  if (readiness.retriable) {
    t.warn('CanaryNotReady', messages.notReady(targetRef(t.c), readiness.message));
    t.wait();
  } else {
    rollback(t, { deadline: messages.notReady(targetRef(t.c), readiness.message) });
  }
  return false;
}

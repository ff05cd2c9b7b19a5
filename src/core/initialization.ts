// Steps 3–11 of a tick: make sure the primary, the Services and the router exist, and on
// the very first ticks take the canary from '' to Initialized (§2.2, §2.4).
import { skipAnalysis } from '../api/defaults.js';
import { alerts, messages, primaryRef } from './events.js';
import { isInitializing } from './phases.js';
import { rollback } from './rollback.js';
import type { Tick } from './tick.js';

/** Step 4: report metric provider availability while initializing (events only). */
function checkProviders(t: Tick): boolean {
  if ((t.c.spec.analysis.metrics ?? []).length === 0) return true;
  const r = t.providers();
  if (r === undefined) return false;
  if (r.ok) t.info('MetricProvidersAvailable', messages.providersAvailable());
  else t.warn('MetricProvidersUnavailable', messages.providersUnavailable(r.message));
  return true;
}

/**
 * Step 6 while initializing: the primary must be ready before the apex Service points at
 * it, or users would see downtime. Returns false when the tick must stop here.
 */
function primaryReadyForInit(t: Tick): boolean {
  const primary = t.s.primary;
  if (primary?.readiness.ready === true) return true;
  if (primary !== undefined && !primary.readiness.retriable) {
    rollback(t, { deadline: messages.notReady(primaryRef(t.c), primary.readiness.message) });
    return false;
  }
  t.setPhase('Initializing');
  // A primary created by this very tick cannot be ready yet: wait quietly.
  if (primary !== undefined)
    t.warn('PrimaryNotReady', messages.notReady(primaryRef(t.c), primary.readiness.message));
  t.wait();
  return false;
}

/** Steps 9 and 11: the target stops serving, status records what the primary now runs. */
function completeInitialization(t: Tick): void {
  t.effect({ kind: 'scaleTargetToZero' });
  t.sync('Initialized');
  t.info('Initialized', messages.initialized(t.c));
  t.alert('info', alerts.initialized(t.c.spec.targetRef.kind), true);
}

/** Runs on every tick; ends the tick while initializing. */
export function initialize(t: Tick): boolean {
  const initializing = isInitializing(t.phase);
  const skip = skipAnalysis(t.c);
  if (initializing && !skip && !checkProviders(t)) return false;
  // App Mesh injects its sidecar only when the virtual node exists before the pods.
  const routerFirst = t.s.capabilities.reconcileFirst;
  if (routerFirst) t.effect({ kind: 'reconcileRouter' });
  if (t.s.primary === undefined) t.effect({ kind: 'ensurePrimary' });
  if (initializing && !skip && !primaryReadyForInit(t)) return false;
  t.effect({ kind: 'ensureServices' });
  if (!routerFirst) t.effect({ kind: 'reconcileRouter' });
  if (!initializing) return true;
  completeInitialization(t);
  return false;
}

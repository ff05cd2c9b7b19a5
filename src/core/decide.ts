// The entry point of the pure core: one tick of Flagger's advanceCanary (§2.2) as a
// function of a snapshot. Steps run in Flagger's order; each returns false to end the
// tick. A step that needs a webhook or metric answer records a request and the call
// ends with `need`; the shell answers and calls again with the same snapshot plus results.
import type { Canary } from '../api/canary.js';
import { analysisIntervalMs, skipAnalysis } from '../api/defaults.js';
import type { CanaryStatus } from '../api/status.js';
import { canaryReadiness, primaryReadiness, readRoutes } from './readiness.js';
import { revisionChanged, runAnalysis, runPreRollout, thresholdReached } from './analysis.js';
import { messages } from './events.js';
import type { Effect } from './effects.js';
import { checkCanaryStatus, rollbackGate } from './gates.js';
import { initialize } from './initialization.js';
import { isActive, isInitializing, isRunningAnalysis, isTerminating, statusGaugeValue } from './phases.js';
import { finalising, promoteSkippingAnalysis, promoting } from './promotion.js';
import { rollback } from './rollback.js';
import type { InputRequest, Snapshot } from './snapshot.js';
import { buildStatus } from './status.js';
import { runABTesting } from './strategies/ab-testing.js';
import { runBlueGreen } from './strategies/blue-green.js';
import { runCanary } from './strategies/canary.js';
import { READINESS_POLL_MS, Tick } from './tick.js';
import {
  applyUserRequest,
  rejectUserRequest,
  settleRetry,
  userVerdict,
  type UserRequestAck,
  type UserVerdict,
} from './user-request.js';
import { specProblem } from './validation.js';
import { primaryOnly } from './weights.js';

export interface Decision {
  /** The full next status; the shell patches it once, and only if it differs. */
  readonly status: CanaryStatus;
  /** Executed in order by the shell. */
  readonly effects: readonly Effect[];
  /** null = nothing to do until a watch event (idle, Succeeded, Failed). */
  readonly requeueAfterMs: number | null;
  /** Set when the snapshot's user request was applied or rejected: the shell acknowledges it. */
  readonly userAck?: UserRequestAck;
}

export type Step =
  | { readonly kind: 'need'; readonly requests: readonly InputRequest[] }
  | { readonly kind: 'decision'; readonly decision: Decision };

/** A requeue may fire a little early (timer slack, second-precision timestamps). */
export const DUE_TOLERANCE_MS = 500;

/** Step 12 (shouldAdvance): idle canaries act only on a new revision. */
function shouldAdvance(t: Tick): boolean {
  if (t.retrying) return true;
  if (isActive(t.phase) || t.before.lastAppliedSpec === undefined) return true;
  const changed = revisionChanged(t);
  // Flagger re-syncs a Failed canary's hashes so that reverting the target and then
  // re-applying the failed version is seen as a new revision. Only when nothing new is to be
  // run: a new revision takes its hashes when its run starts (sync('Progressing')). Synced
  // here, a tick cut short before that (primary not ready yet) would leave the new revision
  // recorded as applied under phase Failed, and it would never be analysed.
  if (t.phase === 'Failed' && !changed) t.refreshHashes();
  return changed;
}

/** Step 16: a new revision mid-analysis restarts it from weight 0. */
function restartOnRevision(t: Tick): boolean {
  if (!isRunningAnalysis(t.phase) || !revisionChanged(t)) return true;
  t.event('Normal', 'AnalysisRestarted', messages.restarting(t.c), 'Progressing');
  t.setRoutes(primaryOnly());
  t.sync('Progressing');
  return false;
}

function skipAnalysisStep(t: Tick): boolean {
  if (!skipAnalysis(t.c)) return true;
  promoteSkippingAnalysis(t);
  return false;
}

/** Step 22: checks that failed on earlier ticks reached the threshold. */
function thresholdCheck(t: Tick): boolean {
  if (!thresholdReached(t)) return true;
  rollback(t);
  return false;
}

/** Step 24: pre-rollout hooks on the first analysis tick, rollout hooks and metrics later. */
function analyse(t: Tick): boolean {
  const routes = t.routes;
  if (routes === undefined) return false;
  const mirroring = t.c.spec.analysis.mirror === true && routes.mirrored;
  const first = routes.canary === 0 && t.draft.iterations === 0 && !mirroring;
  return (first ? runPreRollout(t) : runAnalysis(t)) === 'passed';
}

/** Steps 25–26: one move of the derived strategy. */
function advance(t: Tick): boolean {
  const routes = t.routes;
  if (routes === undefined) return false;
  if (!t.s.capabilities.weightedRouting) kubernetesProviderWarnings(t);
  switch (t.strategy.strategy) {
    case 'ab-testing':
      runABTesting(t);
      break;
    case 'blue-green':
      runBlueGreen(t, routes);
      break;
    case 'canary':
      runCanary(t, routes);
      break;
  }
  return false;
}

/** Flagger repeats these on every analysis tick of a canary whose provider routes no traffic (kubernetes). */
function kubernetesProviderWarnings(t: Tick): void {
  const a = t.c.spec.analysis;
  if ((a.match ?? []).length > 0) t.warn('UnsupportedByProvider', messages.abUnsupported());
  if ((a.iterations ?? 0) < 1) {
    t.warn('UnsupportedByProvider', messages.progressiveUnsupported());
    t.warn('UnsupportedByProvider', messages.settingIterations(t.strategy.iterations));
  }
}

/** After initialize and shouldAdvance: the tick proper, in §2.2 order. */
const ADVANCE_STEPS: readonly ((t: Tick) => boolean)[] = [
  primaryReadiness,
  readRoutes,
  checkCanaryStatus,
  restartOnRevision,
  canaryReadiness,
  skipAnalysisStep,
  rollbackGate,
  promoting,
  finalising,
  thresholdCheck,
  analyse,
  advance,
];

function runTick(t: Tick, user: UserVerdict): void {
  if (!initialize(t) || t.isPending()) return;
  // A user's abort/promote acts now, whatever the interval; it ends the tick.
  if (user.kind === 'act' && !applyUserRequest(t, user)) {
    t.stamped = true;
    return;
  }
  if (!shouldAdvance(t)) return;
  for (const step of ADVANCE_STEPS) {
    if (!step(t) || t.isPending()) break;
  }
  // A tick that acted (not a readiness wait) starts a new analysis interval.
  t.stamped = t.requeueAfterMs === undefined;
}

function defaultRequeue(t: Tick): number | null {
  if (isActive(t.phase)) return t.intervalMs;
  if (isInitializing(t.phase)) return Math.min(t.intervalMs, READINESS_POLL_MS);
  return null;
}

function finish(t: Tick): Step {
  if (t.request !== undefined) return { kind: 'need', requests: [t.request] };
  settleRetry(t);
  t.effect({ kind: 'recordMetric', record: { metric: 'status', value: statusGaugeValue(t.phase) } });
  const status = buildStatus({
    previous: t.c.status,
    before: t.before,
    draft: t.draft,
    kind: t.c.spec.targetRef.kind,
    nowIso: t.nowIso,
    generation: t.c.metadata.generation,
    checks: t.checks,
    stamped: t.stamped,
    problem: t.problem,
  });
  const requeueAfterMs = t.requeueAfterMs === undefined ? defaultRequeue(t) : t.requeueAfterMs;
  // An alert reports the phase the canary ends this step in ("Failed", not "Progressing").
  const effects = t.effects.map((e) => (e.kind === 'alert' ? { ...e, phase: t.phase } : e));
  return { kind: 'decision', decision: withAck(t, { status, effects, requeueAfterMs }) };
}

function withAck(t: Tick, d: Decision): Decision {
  return t.userAck === undefined ? d : { ...d, userAck: t.userAck };
}

/** A decision that leaves everything as it is. */
function unchanged(t: Tick, effects: Effect[], requeueAfterMs: number | null): Step {
  return { kind: 'decision', decision: withAck(t, { status: t.c.status ?? {}, effects, requeueAfterMs }) };
}

/**
 * Milliseconds until the next analysis tick of an active canary is due; 0 when due now.
 * Exported so the shell can skip reading live routes for a reconcile that will only wait
 * (watch events wake canaries between ticks).
 */
export function analysisWaitMs(canary: Canary, minIntervalMs: number, now: number): number {
  const last = Date.parse(canary.status?.lastAnalysisTime ?? '');
  const phase = canary.status?.phase;
  if (phase === undefined || !isActive(phase) || Number.isNaN(last)) return 0;
  const wait = last + analysisIntervalMs(canary, minIntervalMs) - now;
  return wait > DUE_TOLERANCE_MS ? wait : 0;
}

const msUntilDue = (t: Tick): number => analysisWaitMs(t.c, t.s.options.minIntervalMs, t.s.now);

/**
 * One reconcile step. Pure and deterministic: the same snapshot gives the same Step.
 * Watch events may trigger reconciles at any time; an active rollout still advances at
 * most once per analysis interval, measured from status.lastAnalysisTime.
 */
export function decide(snapshot: Snapshot): Step {
  const t = new Tick(snapshot);
  const c = snapshot.canary;
  // The shell's finalizer owns a canary being deleted (revertOnDeletion, §2.13).
  if (c.metadata.deletionTimestamp !== undefined || isTerminating(t.phase)) return unchanged(t, [], null);
  const user = userVerdict(t);
  if (user.kind === 'reject') rejectUserRequest(t, user);
  if (c.spec.suspend === true) {
    const e: Effect = {
      kind: 'emitEvent',
      type: 'Normal',
      reason: 'Suspended',
      message: messages.suspended(),
      phase: t.phase,
    };
    return unchanged(t, [...t.effects, e], null);
  }
  t.problem = specProblem(t);
  if (t.problem !== undefined) return invalid(t);
  if (snapshot.target === undefined) {
    t.warn('TargetNotFound', messages.targetNotFound(c));
    return unchanged(t, t.effects, t.intervalMs);
  }
  const wait = user.kind === 'act' ? 0 : msUntilDue(t);
  if (wait > 0) return unchanged(t, [...t.effects, ...repairEffects(snapshot)], wait);
  runTick(t, user);
  return finish(t);
}

/**
 * Drift between ticks: the same ensure effects every tick starts with (they keep the live
 * weights and write only what differs), without waiting for the next tick. Only active
 * canaries wait between ticks, so the primary and the router exist by now.
 */
function repairEffects(s: Snapshot): Effect[] {
  return s.repair === true ? [{ kind: 'ensureServices' }, { kind: 'reconcileRouter' }] : [];
}

/** Nothing is done until the spec is fixed; the event is emitted when the problem first appears. */
function invalid(t: Tick): Step {
  const message = t.problem?.message ?? '';
  const known = t.c.status?.conditions?.some((x) => x.type === 'Validated' && x.message === message);
  if (known !== true) t.warn('InvalidSpec', message);
  // Fixing the spec changes it, and a spec change triggers a reconcile.
  t.requeueAfterMs = null;
  return finish(t);
}

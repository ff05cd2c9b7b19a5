// Change detection and the analysis run: pre-rollout hooks on the first tick, then
// rollout hooks and metric checks on every later tick. A failure adds one failed check;
// the threshold is compared at the start of the next tick (§2.9).
import type { CheckRecord } from '../api/status.js';
import { messages } from './events.js';
import { runGate } from './hooks.js';
import { judgeHold } from './judge.js';
import type { MetricOutcome, WorkloadObservation } from './snapshot.js';
import type { StatusDraft } from './status.js';
import type { Tick } from './tick.js';

/**
 * Flagger's HasTargetChanged. A hash equal to lastPromotedSpec is never a change, so
 * reverting the target to what the primary runs does not start an analysis.
 */
export function hasTargetChanged(status: StatusDraft, target: WorkloadObservation): boolean {
  if (status.lastAppliedSpec === undefined) return true;
  if (target.specHash === status.lastPromotedSpec) return false;
  return target.specHash !== status.lastAppliedSpec;
}

/** Flagger's HaveDependenciesChanged: set size or any checksum differs. */
export function haveConfigsChanged(
  tracked: Readonly<Record<string, string>> | undefined,
  current: Readonly<Record<string, string>> | undefined,
): boolean {
  if (current === undefined) return false;
  const keys = Object.keys(current);
  if (keys.length !== Object.keys(tracked ?? {}).length) return true;
  return keys.some((k) => tracked?.[k] !== current[k]);
}

/** A new revision of the target or of its configs, against the status at the start of the tick. */
export function revisionChanged(t: Tick): boolean {
  const target = t.s.target;
  if (target === undefined) return false;
  return hasTargetChanged(t.before, target) || haveConfigsChanged(t.before.trackedConfigs, t.s.configs);
}

export const thresholdReached = (t: Tick): boolean => t.draft.failedChecks >= t.threshold;

/** 'held': a statistical judge asks to keep the weight this tick (core/judge.ts). */
export type RunOutcome = 'passed' | 'failed' | 'pending' | 'held';

function failCheck(t: Tick): 'failed' {
  t.draft.failedChecks += 1;
  return 'failed';
}

/** First analysis tick: "Starting canary analysis", then pre-rollout hooks. */
export function runPreRollout(t: Tick): RunOutcome {
  t.info('AnalysisStarted', messages.analysisStarted(t.c));
  const gate = runGate(t, 'pre-rollout', 'Progressing', {
    record: true,
    onPassed: (hook) => {
      t.info('PreRolloutPassed', messages.preRolloutPassed(hook.name));
    },
  });
  if (gate.state !== 'failed') return gate.state;
  t.warn('PreRolloutFailed', messages.preRolloutFailed(t.c, gate.hook.name, gate.message));
  return failCheck(t);
}

function metricCheck(t: Tick, o: MetricOutcome): CheckRecord {
  const r: CheckRecord = {
    name: o.name,
    kind: 'metric',
    passed: o.passed,
    message: o.message,
    time: t.nowIso,
  };
  if (o.query !== undefined) r.query = o.query;
  if (o.value !== undefined) r.value = o.value;
  if (o.min !== undefined) r.min = o.min;
  if (o.max !== undefined) r.max = o.max;
  if (o.judge !== undefined) r.judge = o.judge.evidence;
  return r;
}

/** Metric outcomes in order; the first failure stops (later outcomes, if any, are ignored). */
function runMetrics(t: Tick): RunOutcome {
  if ((t.c.spec.analysis.metrics ?? []).length === 0) return 'passed';
  const result = t.metrics();
  if (result === undefined) return 'pending';
  for (const o of result.outcomes) {
    t.checks.push(metricCheck(t, o));
    if (o.passed) continue;
    if (o.failureKind === 'no-data') t.warn('MetricNoData', o.message);
    else if (o.failureKind === 'error') t.warn('MetricQueryFailed', o.message);
    else t.warn('MetricCheckFailed', o.message);
    return failCheck(t);
  }
  switch (judgeHold(t, result.outcomes)) {
    case 'continue':
      return 'passed';
    case 'hold':
      return 'held';
    case 'fail':
      // An inconclusive run nobody decided on within the timeout: roll back on the next tick.
      t.draft.failedChecks = Math.max(t.draft.failedChecks, t.threshold);
      return 'failed';
  }
}

/** Flagger's runAnalysis: rollout hooks in order, then the metric checks. */
export function runAnalysis(t: Tick): RunOutcome {
  const gate = runGate(t, 'rollout', 'Progressing', { record: true });
  if (gate.state === 'pending') return 'pending';
  if (gate.state === 'failed') {
    t.warn('RolloutCheckFailed', messages.rolloutFailed(t.c, gate.hook.name, gate.message));
    return failCheck(t);
  }
  return runMetrics(t);
}

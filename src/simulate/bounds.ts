// Earliest and latest completion, and the worst exposure, by running the real core on
// variants of the scenario: everything passing (earliest), and failed checks placed where
// they cost most — at the last analysis step, where the weight is highest — just below
// the threshold (latest success) and at it (latest rollback).
import type { Canary } from '../api/canary.js';
import { analysisThreshold } from '../api/defaults.js';
import { failingValue, passingValue, Scenario } from './scenario.js';
import { simulate, type SimOptions, type SimResult } from './engine.js';

export interface Bounds {
  readonly scenario: SimResult;
  /** Every check passes and every gate is open. */
  readonly earliest: SimResult;
  /** threshold-1 failed checks absorbed at the highest weight, then success. */
  readonly latestSuccess: SimResult | undefined;
  /** threshold failed checks at the highest weight: the latest possible rollback. */
  readonly latestFailure: SimResult | undefined;
  readonly threshold: number;
}

function failingFrom(
  canary: Canary,
  from: number,
  until: number | undefined,
  maxIntervals: number,
): Scenario {
  const s = new Scenario({ maxIntervals });
  for (const m of canary.spec.analysis.metrics ?? []) {
    s.setMetric(m.name, failingValue(m), from);
    if (until !== undefined) s.setMetric(m.name, passingValue(m), until);
  }
  return s;
}

export function simulateWithBounds(canary: Canary, scenario: Scenario, opts: SimOptions): Bounds {
  const threshold = analysisThreshold(canary);
  const result = simulate(canary, scenario, opts);
  const earliest = simulate(canary, new Scenario({ maxIntervals: scenario.maxIntervals }), opts);
  const last = earliest.metricIntervals[earliest.metricIntervals.length - 1];
  if (last === undefined || (canary.spec.analysis.metrics ?? []).length === 0) {
    return { scenario: result, earliest, latestSuccess: undefined, latestFailure: undefined, threshold };
  }
  const latestSuccess =
    threshold > 1
      ? simulate(canary, failingFrom(canary, last, last + threshold - 1, scenario.maxIntervals), opts)
      : earliest;
  const latestFailure = simulate(canary, failingFrom(canary, last, undefined, scenario.maxIntervals), opts);
  return { scenario: result, earliest, latestSuccess, latestFailure, threshold };
}

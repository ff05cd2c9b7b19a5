// Error-like counters judged on raw counts: Fisher's exact test when request totals are known,
// else the conditional binomial test of two Poisson counts over their exposures. Effect = the
// canary's error rate over the baseline's, minus 1 (a rise from zero errors is infinite).
import { classify, pct, pfmt } from './describe.js';
import { fisherExact, poissonRateTest } from './stats/count-tests.js';
import type { CohortSummary, JudgeResult, JudgeSettings } from './types.js';

export interface Counts {
  readonly events: number;
  /** All requests; undefined when only the events are counted. */
  readonly total?: number;
  /** Relative traffic (e.g. the cohort's weight); used without totals. */
  readonly exposure: number;
}

function summary(c: Counts): CohortSummary {
  const denominator = c.total ?? c.exposure;
  const base = {
    n: c.total ?? c.events,
    events: c.events,
    rate: denominator > 0 ? c.events / denominator : 0,
  };
  return c.total === undefined ? base : { ...base, total: c.total };
}

export function judgeErrors(s: JudgeSettings, baseline: Counts, canary: Counts): JudgeResult {
  const summaries = { baseline: summary(baseline), canary: summary(canary) };
  const withTotals = baseline.total !== undefined && canary.total !== undefined;
  const volume = (c: Counts): number => (withTotals ? (c.total ?? 0) : c.events);
  if (withTotals && (volume(baseline) < s.minRequests || volume(canary) < s.minRequests)) {
    return {
      verdict: 'wait',
      reason: `not enough requests yet: baseline ${volume(baseline)}, canary ${volume(canary)}, need ${s.minRequests} each`,
      tests: [],
      effects: [],
      ...summaries,
    };
  }
  // Direction 'decrease' (fewer events is worse, e.g. successes) flips the one-sided alternative.
  const alternative = s.direction === 'increase' ? 'greater' : 'less';
  let pvalue: number;
  let statistic: number;
  let test: 'fisher-exact' | 'poisson-rate';
  if (withTotals) {
    const f = fisherExact(
      [
        [canary.events, (canary.total ?? 0) - canary.events],
        [baseline.events, (baseline.total ?? 0) - baseline.events],
      ],
      alternative,
    );
    [pvalue, statistic, test] = [f.pvalue, f.oddsRatio, 'fisher-exact'];
  } else {
    const r = poissonRateTest(
      canary.events,
      canary.exposure,
      baseline.events,
      baseline.exposure,
      alternative,
    );
    [pvalue, statistic, test] = [r.pvalue, r.proportion, 'poisson-rate'];
  }
  const rb = summaries.baseline.rate ?? 0;
  const rc = summaries.canary.rate ?? 0;
  const ratio = rb === 0 ? (rc === 0 ? 0 : Infinity) : rc / rb - 1;
  const effect = s.direction === 'increase' ? ratio : rc === 0 ? (rb === 0 ? 0 : Infinity) : rb / rc - 1;
  const verdict = classify(s, pvalue, s.alpha, effect);
  return {
    verdict,
    reason:
      `error rate canary ${(rc * 100).toPrecision(3)} % vs baseline ${(rb * 100).toPrecision(3)} % ` +
      `(${pct(effect)}), ${test} p=${pfmt(pvalue)}; fail needs p < ${s.alpha} and ≥ ${pct(s.minEffect)}`,
    tests: [{ test, alternative: 'canary worse', statistic, pvalue }],
    effects: [{ measure: 'error rate ratio − 1', value: effect, lower: null, upper: null, confidence: null }],
    ...summaries,
  };
}

// The judge's entry point: one metric, one window, both cohorts' data → verdict with evidence.
// No-data policy first, then the judge for the metric's kind.
import { judgeErrors } from './errors.js';
import { judgeHistogram } from './histogram.js';
import { judgeLatency } from './latency.js';
import type { CohortData, JudgeResult, JudgeSettings } from './types.js';

function noData(s: JudgeSettings, which: string): JudgeResult {
  return {
    verdict: s.onNoData,
    reason: `no data from the ${which} (onNoData: ${s.onNoData})`,
    tests: [],
    effects: [],
    baseline: { n: 0 },
    canary: { n: 0 },
  };
}

function mismatch(s: JudgeSettings, got: string): JudgeResult {
  return {
    verdict: 'fail',
    reason: `a ${s.kind} judge got ${got} data; check the metric's query`,
    tests: [],
    effects: [],
    baseline: { n: 0 },
    canary: { n: 0 },
  };
}

export function judgeMetric(s: JudgeSettings, baseline: CohortData, canary: CohortData): JudgeResult {
  if (baseline.kind === 'none' && canary.kind === 'none') return noData(s, 'baseline and the canary');
  if (baseline.kind === 'none') return noData(s, 'baseline');
  if (canary.kind === 'none') return noData(s, 'canary');
  switch (s.kind) {
    case 'latency':
      if (baseline.kind !== 'values' || canary.kind !== 'values') return mismatch(s, canary.kind);
      if (baseline.values.length === 0 || canary.values.length === 0) {
        return noData(s, baseline.values.length === 0 ? 'baseline' : 'canary');
      }
      return judgeLatency(s, baseline.values, canary.values);
    case 'errors':
      if (baseline.kind !== 'counts' || canary.kind !== 'counts') return mismatch(s, canary.kind);
      return judgeErrors(s, baseline, canary);
    case 'histogram':
      if (baseline.kind !== 'histogram' || canary.kind !== 'histogram') return mismatch(s, canary.kind);
      return judgeHistogram(s, baseline.buckets, canary.buckets);
  }
}

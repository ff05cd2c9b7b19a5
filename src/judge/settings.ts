// Defaults of the judge block (docs/judge.md lists them).
import type { MetricJudge } from '../api/judge.js';
import type { JudgeSettings } from './types.js';

export const JUDGE_DEFAULTS = {
  direction: 'increase',
  alpha: 0.01,
  minEffect: 0.1,
  minSamples: 20,
  minRequests: 200,
  onNoData: 'wait',
  dryRun: false,
} as const;

export function judgeSettings(j: MetricJudge): JudgeSettings {
  return {
    kind: j.kind,
    direction: j.direction ?? JUDGE_DEFAULTS.direction,
    alpha: j.alpha ?? JUDGE_DEFAULTS.alpha,
    minEffect: j.minEffect ?? JUDGE_DEFAULTS.minEffect,
    minSamples: j.minSamples ?? JUDGE_DEFAULTS.minSamples,
    minRequests: j.minRequests ?? JUDGE_DEFAULTS.minRequests,
    onNoData: j.onNoData ?? JUDGE_DEFAULTS.onNoData,
    dryRun: j.dryRun ?? JUDGE_DEFAULTS.dryRun,
  };
}

// flagger-ts additions for the statistical judge (docs/judge.md). Opt-in and additive: a Canary
// without these fields is Flagger's Canary, unchanged. Generated into the CRD like every field.
import { z } from 'zod';
import { count, intervalString } from './common.js';

/** What to do when a cohort returned no data at all for a metric. */
export const NO_DATA_POLICIES = ['pass', 'fail', 'inconclusive', 'wait'] as const;
export type NoDataPolicy = (typeof NO_DATA_POLICIES)[number];

/**
 * `latency`: the query is a range query; every point of every series is one sample.
 * `errors`: the query is an instant count of bad events; `requestsQuery` counts all requests.
 * `histogram`: the query returns cumulative bucket counts by `le` (e.g. sum by (le)(increase(...))).
 */
export const JUDGE_KINDS = ['latency', 'errors', 'histogram'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

export const MetricJudgeSchema = z.looseObject({
  kind: z.enum(JUDGE_KINDS),
  /** Which change is worse: `increase` (latency, errors; the default) or `decrease` (throughput). */
  direction: z.enum(['increase', 'decrease']).optional(),
  /** Significance level of every test; default 0.01. */
  alpha: z.number().gt(0).lt(1).optional(),
  /** Relative effect that fails, e.g. 0.1 = worse by ≥ 10 %; default 0.1. */
  minEffect: z.number().min(0).optional(),
  /** Samples per cohort (latency, histogram observations) before any verdict; default 20. */
  minSamples: count().optional(),
  /** Requests per cohort (errors) before any verdict; default 200. */
  minRequests: count().optional(),
  onNoData: z.enum(NO_DATA_POLICIES).optional(),
  /** Evaluate, record and show, never fail the canary. */
  dryRun: z.boolean().optional(),
  /** Range-query resolution for `latency`; default 10s. */
  step: intervalString().optional(),
  /** `errors`: all requests of the cohort (same template variables); without it, a Poisson rate test. */
  requestsQuery: z.string().optional(),
  /** Compare against `baseline` (the `<target>-baseline` cohort) or `primary`; default: baseline when enabled. */
  against: z.enum(['baseline', 'primary']).optional(),
});
export type MetricJudge = z.infer<typeof MetricJudgeSchema>;

export const AnalysisBaselineSchema = z.looseObject({
  /** Run `<target>-baseline` (the primary's template, the canary's replicas and weight) during the analysis. */
  enabled: z.boolean().optional(),
  /** How long an inconclusive verdict waits for `flagger-ts promote|abort` before failing; default 1h. */
  inconclusiveTimeout: intervalString().optional(),
});
export type AnalysisBaseline = z.infer<typeof AnalysisBaselineSchema>;

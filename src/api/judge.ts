// flagger-ts additions for the statistical judge (docs/judge.md). Opt-in and additive: a Canary
// without these fields is Flagger's Canary, unchanged. Generated into the CRD like every field.
import { z } from 'zod';
import { count, intervalString } from './common.js';
import type { Rule } from './rules.js';

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

/**
 * The providers whose router splits traffic three ways (primary, baseline, canary). The core
 * decides on each router's own `threeWaySplit` declaration; this list only lets the CRD refuse
 * what it can see at `kubectl apply` (a unit test keeps it equal to the declarations). An empty
 * provider (the operator's -mesh-provider) is checked by the operator.
 */
export const THREE_WAY_PROVIDERS = [
  'istio',
  'gatewayapi:v1',
  'gatewayapi:v1beta1',
  'traefik',
  'contour',
] as const;

interface BaselineSpecView {
  provider?: string | undefined;
  targetRef: { kind: string };
  analysis: { baseline?: { enabled?: boolean | undefined } | undefined; iterations?: number | undefined };
}

const BASELINE_OFF_CEL =
  '!has(self.analysis.baseline) || !has(self.analysis.baseline.enabled) || !self.analysis.baseline.enabled';
const baselineOn = (s: BaselineSpecView): boolean => s.analysis.baseline?.enabled === true;

/** Spec rules of analysis.baseline (CEL in the CRD and the same check in TS, see rules.ts). */
export const BASELINE_SPEC_RULES: readonly Rule<BaselineSpecView>[] = [
  {
    cel: `${BASELINE_OFF_CEL} || !has(self.provider) || self.provider == '' || self.provider in [${THREE_WAY_PROVIDERS.map((p) => `'${p}'`).join(', ')}]`,
    message: `analysis.baseline.enabled needs a provider that splits traffic three ways: ${THREE_WAY_PROVIDERS.join(', ')}`,
    check: (s) =>
      !baselineOn(s) ||
      (s.provider ?? '') === '' ||
      (THREE_WAY_PROVIDERS as readonly string[]).includes(s.provider ?? ''),
    field: '.provider',
  },
  {
    cel: `${BASELINE_OFF_CEL} || self.targetRef.kind == 'Deployment'`,
    message: 'analysis.baseline.enabled needs a Deployment target',
    check: (s) => !baselineOn(s) || s.targetRef.kind === 'Deployment',
    field: '.targetRef',
  },
  {
    cel: `${BASELINE_OFF_CEL} || !has(self.analysis.iterations)`,
    message:
      'analysis.baseline.enabled needs the canary strategy (stepWeight or stepWeights); iterations make it A/B or Blue/Green',
    check: (s) => !baselineOn(s) || s.analysis.iterations === undefined,
    field: '.analysis.iterations',
  },
];

// ---- evidence recorded in status.checks[].judge -------------------------------------------

const TestEvidenceSchema = z.looseObject({
  test: z.string(),
  alternative: z.string(),
  statistic: z.number().optional(),
  pvalue: z.number().optional(),
});

const EffectEvidenceSchema = z.looseObject({
  measure: z.string(),
  /** Absent when infinite (e.g. errors rising from a zero baseline). */
  value: z.number().optional(),
  lower: z.number().optional(),
  upper: z.number().optional(),
  confidence: z.number().optional(),
});

const CohortSummarySchema = z.looseObject({
  n: z.number(),
  median: z.number().optional(),
  p90: z.number().optional(),
  mean: z.number().optional(),
  events: z.number().optional(),
  total: z.number().optional(),
  rate: z.number().optional(),
  /** The rendered query (and request query) of this cohort. */
  query: z.string().optional(),
  requestsQuery: z.string().optional(),
});
export type CohortSummaryRecord = z.infer<typeof CohortSummarySchema>;

export const VERDICTS = ['pass', 'fail', 'inconclusive', 'wait'] as const;

/** One window's judgement (the interval just passed, or the whole run so far). */
const WindowEvidenceSchema = z.looseObject({
  window: z.enum(['interval', 'run']),
  verdict: z.enum(VERDICTS),
  reason: z.string(),
  tests: z.array(TestEvidenceSchema).optional(),
  effects: z.array(EffectEvidenceSchema).optional(),
  baseline: CohortSummarySchema,
  canary: CohortSummarySchema,
});
export type WindowEvidence = z.infer<typeof WindowEvidenceSchema>;

export const CheckJudgeSchema = z.looseObject({
  verdict: z.enum(VERDICTS),
  dryRun: z.boolean().optional(),
  /** `baseline` or `primary`: what the canary was compared against. */
  against: z.string(),
  windows: z.array(WindowEvidenceSchema),
});
export type CheckJudge = z.infer<typeof CheckJudgeSchema>;

// ---- typed access -----------------------------------------------------------------------------
// Canary objects are loose: these read the judge fields through their schemas, so code that uses
// them does not depend on how canary.ts spells the fields' types.

export function metricJudge(metric: { readonly [k: string]: unknown }): MetricJudge | undefined {
  const r = MetricJudgeSchema.safeParse(metric['judge']);
  return r.success ? r.data : undefined;
}

export function analysisBaseline(analysis: { readonly [k: string]: unknown }): AnalysisBaseline | undefined {
  const r = AnalysisBaselineSchema.safeParse(analysis['baseline']);
  return r.success ? r.data : undefined;
}

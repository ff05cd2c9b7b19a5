// The judge's inputs and its verdict with evidence. Pure data: the shell fills the samples from
// the metric provider, the core records the verdict.

import type { JudgeKind, NoDataPolicy } from '../api/judge.js';

/** Effective settings of one judged metric (defaults applied, see settings.ts). */
export interface JudgeSettings {
  readonly kind: JudgeKind;
  readonly direction: 'increase' | 'decrease';
  readonly alpha: number;
  readonly minEffect: number;
  readonly minSamples: number;
  readonly minRequests: number;
  readonly onNoData: NoDataPolicy;
  readonly dryRun: boolean;
}

/** A cumulative histogram bucket: `count` observations ≤ `le` (le may be Infinity). */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

/** What one cohort produced for one metric over one window. `none` = the query returned nothing. */
export type CohortData =
  | { readonly kind: 'none' }
  | { readonly kind: 'values'; readonly values: readonly number[] }
  | { readonly kind: 'counts'; readonly events: number; readonly total?: number; readonly exposure: number }
  | { readonly kind: 'histogram'; readonly buckets: readonly Bucket[] };

export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'wait';

export interface TestEvidence {
  readonly test: 'mann-whitney' | 'kolmogorov-smirnov' | 'fisher-exact' | 'poisson-rate';
  /** The alternative tested, in words ("canary greater"). */
  readonly alternative: string;
  readonly statistic: number;
  readonly pvalue: number;
}

export interface EffectEvidence {
  /** e.g. 'relative shift (Hodges-Lehmann / baseline median)', 'relative p90 change', 'error rate ratio − 1'. */
  readonly measure: string;
  readonly value: number;
  /** Confidence interval of the effect when the method has one (null: unbounded or none). */
  readonly lower: number | null;
  readonly upper: number | null;
  readonly confidence: number | null;
}

/** A cohort's own numbers, to show both sides next to each other. */
export interface CohortSummary {
  readonly n: number;
  readonly median?: number;
  readonly p90?: number;
  readonly mean?: number;
  readonly events?: number;
  readonly total?: number;
  readonly rate?: number;
}

export interface JudgeResult {
  readonly verdict: Verdict;
  /** One line: why this verdict ("latency: canary +23.1 % (HL 95 % CI +18.0..+28.5 %), MWU p=2.1e-9 < 0.005"). */
  readonly reason: string;
  readonly tests: readonly TestEvidence[];
  readonly effects: readonly EffectEvidence[];
  readonly baseline: CohortSummary;
  readonly canary: CohortSummary;
}

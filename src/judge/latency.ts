// Latency-like metrics from raw samples: a location test (Mann-Whitney U, effect = Hodges-Lehmann
// shift relative to the baseline median, with its confidence interval) and a shape test
// (one-sided Kolmogorov-Smirnov, effect = relative change of the 90th percentile), so "same median,
// wider tail" fails too. The two tests share α (Bonferroni: each at α/2), so the chance that an
// equal canary fails stays ≤ α. Only the worse direction is tested.
import { quantile, classify, pct, pfmt, relativeChange, summarizeValues, worst } from './describe.js';
import { hodgesLehmann } from './stats/hodges-lehmann.js';
import { ks2samp } from './stats/ks-2samp.js';
import { mannWhitneyU } from './stats/mann-whitney.js';
import type { JudgeResult, JudgeSettings } from './types.js';

/** Above this many pairs the HL interval uses a deterministic subsample (see docs/judge.md). */
const HL_MAX_PER_SIDE = 1500;

function thin(values: readonly number[], max: number): number[] {
  if (values.length <= max) return [...values];
  const sorted = [...values].sort((a, b) => a - b);
  // evenly spaced order statistics keep the distribution's shape without randomness
  return Array.from({ length: max }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / max)] ?? NaN);
}

export function judgeLatency(
  s: JudgeSettings,
  baseline: readonly number[],
  canary: readonly number[],
): JudgeResult {
  const summaries = { baseline: summarizeValues(baseline), canary: summarizeValues(canary) };
  if (baseline.length < s.minSamples || canary.length < s.minSamples) {
    return {
      verdict: 'wait',
      reason: `not enough samples yet: baseline ${baseline.length}, canary ${canary.length}, need ${s.minSamples} each`,
      tests: [],
      effects: [],
      ...summaries,
    };
  }
  // Orient so that larger = worse: a metric where lower is worse is negated.
  const sign = s.direction === 'increase' ? 1 : -1;
  const b = baseline.map((v) => sign * v);
  const c = canary.map((v) => sign * v);
  const level = s.alpha / 2;
  const mwu = mannWhitneyU(c, b, { alternative: 'greater' });
  const hl = hodgesLehmann(thin(b, HL_MAX_PER_SIDE), thin(c, HL_MAX_PER_SIDE), 1 - 2 * level);
  // SciPy's 'less' on (canary, baseline): the canary's CDF lies below, i.e. it is larger there.
  const ks = ks2samp(c, b, { alternative: 'less' });
  const bSorted = Float64Array.from(b).sort();
  const cSorted = Float64Array.from(c).sort();
  const centre = Math.abs(quantile(bSorted, 0.5));
  const shift = relativeChange(hl.shift + centre, centre);
  const tail = relativeChange(quantile(cSorted, 0.9), quantile(bSorted, 0.9));
  const location = classify(s, mwu.pvalue, level, shift);
  const shape = classify(s, ks.pvalue, level, tail);
  const verdict = worst([location, shape]);
  const rel = (v: number): number | null => (Number.isFinite(v) ? relativeChange(v + centre, centre) : null);
  const reason =
    `location ${pct(shift)} (MWU p=${pfmt(mwu.pvalue)}), p90 ${pct(tail)} (KS p=${pfmt(ks.pvalue)}); ` +
    `fail needs p < ${level} and ≥ ${pct(s.minEffect)}`;
  return {
    verdict,
    reason,
    tests: [
      { test: 'mann-whitney', alternative: 'canary worse', statistic: mwu.statistic, pvalue: mwu.pvalue },
      {
        test: 'kolmogorov-smirnov',
        alternative: 'canary worse somewhere',
        statistic: ks.statistic,
        pvalue: ks.pvalue,
      },
    ],
    effects: [
      {
        measure: 'relative shift (Hodges-Lehmann / baseline median)',
        value: shift,
        lower: rel(hl.lower),
        upper: rel(hl.upper),
        confidence: hl.confidence,
      },
      { measure: 'relative p90 change', value: tail, lower: null, upper: null, confidence: null },
    ],
    ...summaries,
  };
}

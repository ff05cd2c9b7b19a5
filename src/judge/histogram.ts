// Histograms compared bucket by bucket where raw samples do not exist (docs/judge.md, "Histograms"):
// every observation is known only up to its bucket, so both tests run on bucket counts — a
// grouped Mann-Whitney U (ties = same bucket) and a one-sided KS statistic at the bucket bounds
// with the asymptotic p-value (conservative for grouped data). Effects are the relative changes of
// the median and the 90th percentile interpolated linearly inside buckets, as histogram_quantile.
import { classify, pct, pfmt, relativeChange, worst } from './describe.js';
import { mannWhitneyGrouped } from './stats/mann-whitney-grouped.js';
import type { Bucket, CohortSummary, JudgeResult, JudgeSettings } from './types.js';

/** Per-bucket (non-cumulative) counts over the union of both histograms' bounds. */
export function alignBuckets(
  a: readonly Bucket[],
  b: readonly Bucket[],
): { les: number[]; ca: number[]; cb: number[] } {
  const les = [...new Set([...a.map((x) => x.le), ...b.map((x) => x.le)])].sort((x, y) => x - y);
  // A bound missing on one side takes that side's next lower cumulative count (no observations).
  const cumulativeAt = (h: readonly Bucket[], le: number): number =>
    h.filter((x) => x.le <= le).reduce((m, x) => Math.max(m, x.count), 0);
  const perBucket = (h: readonly Bucket[]): number[] =>
    les.map((le, i) =>
      Math.max(0, cumulativeAt(h, le) - (i === 0 ? 0 : cumulativeAt(h, les[i - 1] ?? -Infinity))),
    );
  return { les, ca: perBucket(a), cb: perBucket(b) };
}

/** histogram_quantile's estimate: linear inside the bucket holding the rank; the +Inf bucket returns its lower bound. */
export function bucketQuantile(les: readonly number[], counts: readonly number[], q: number): number {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return NaN;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < les.length; i++) {
    const c = counts[i] ?? 0;
    const upper = les[i] ?? Infinity;
    const lower = i === 0 ? Math.min(0, upper) : (les[i - 1] ?? 0);
    if (seen + c >= rank && c > 0) {
      if (!Number.isFinite(upper)) return lower;
      return lower + (upper - lower) * ((rank - seen) / c);
    }
    seen += c;
  }
  return les.at(-2) ?? NaN;
}

function summary(les: number[], counts: number[]): CohortSummary {
  const n = counts.reduce((s, c) => s + c, 0);
  return { n, median: bucketQuantile(les, counts, 0.5), p90: bucketQuantile(les, counts, 0.9) };
}

/** max over bucket bounds of F_baseline − F_canary (how much more of the baseline lies below). */
function ksGrouped(
  cb: readonly number[],
  cc: readonly number[],
  nb: number,
  nc: number,
): { d: number; p: number } {
  let fb = 0;
  let fc = 0;
  let d = 0;
  cb.forEach((v, i) => {
    fb += v;
    fc += cc[i] ?? 0;
    d = Math.max(d, fb / nb - fc / nc);
  });
  // Hodges' one-sided asymptotic formula (as ks-2samp.ts), m the larger size.
  const m = Math.max(nb, nc);
  const n = Math.min(nb, nc);
  const z = Math.sqrt((m * n) / (m + n)) * d;
  const p = Math.min(1, Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3));
  return { d, p };
}

export function judgeHistogram(
  s: JudgeSettings,
  baseline: readonly Bucket[],
  canary: readonly Bucket[],
): JudgeResult {
  const { les, ca: cb, cb: cc } = alignBuckets(baseline, canary);
  const summaries = { baseline: summary(les, cb), canary: summary(les, cc) };
  const nb = summaries.baseline.n;
  const nc = summaries.canary.n;
  if (nb < s.minSamples || nc < s.minSamples) {
    return {
      verdict: 'wait',
      reason: `not enough observations yet: baseline ${nb}, canary ${nc}, need ${s.minSamples} each`,
      tests: [],
      effects: [],
      ...summaries,
    };
  }
  // Buckets are ordered by value; a metric where lower is worse reverses the order.
  const flip = s.direction === 'decrease';
  const ob = flip ? [...cb].reverse() : cb;
  const oc = flip ? [...cc].reverse() : cc;
  const level = s.alpha / 2;
  const mwu = mannWhitneyGrouped(oc, ob, 'greater');
  const ks = ksGrouped(ob, oc, nb, nc);
  const orient = (v: number): number => (flip ? -v : v);
  const shift = orient(relativeChange(summaries.canary.median ?? NaN, summaries.baseline.median ?? NaN));
  const tail = orient(relativeChange(summaries.canary.p90 ?? NaN, summaries.baseline.p90 ?? NaN));
  const verdict = worst([classify(s, mwu.pvalue, level, shift), classify(s, ks.p, level, tail)]);
  return {
    verdict,
    reason:
      `median ${pct(shift)} (grouped MWU p=${pfmt(mwu.pvalue)}), p90 ${pct(tail)} (KS p=${pfmt(ks.p)}); ` +
      `fail needs p < ${level} and ≥ ${pct(s.minEffect)}`,
    tests: [
      {
        test: 'mann-whitney',
        alternative: 'canary worse (grouped)',
        statistic: mwu.statistic,
        pvalue: mwu.pvalue,
      },
      {
        test: 'kolmogorov-smirnov',
        alternative: 'canary worse somewhere (grouped)',
        statistic: ks.d,
        pvalue: ks.p,
      },
    ],
    effects: [
      {
        measure: 'relative median change (bucket interpolation)',
        value: shift,
        lower: null,
        upper: null,
        confidence: null,
      },
      {
        measure: 'relative p90 change (bucket interpolation)',
        value: tail,
        lower: null,
        upper: null,
        confidence: null,
      },
    ],
    ...summaries,
  };
}

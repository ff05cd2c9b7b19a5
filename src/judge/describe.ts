// Small descriptive helpers and the verdict rule shared by the metric judges.
import type { CohortSummary, JudgeSettings, Verdict } from './types.js';

/** Quantile of sorted values with linear interpolation between order statistics (numpy's default). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] ?? NaN;
  const b = sorted[hi] ?? NaN;
  return a + (b - a) * (pos - lo);
}

export function summarizeValues(values: readonly number[]): CohortSummary {
  const sorted = Float64Array.from(values).sort();
  const mean = values.reduce((s, v) => s + v, 0) / Math.max(1, values.length);
  return { n: values.length, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), mean };
}

/** (canary − baseline) / |baseline|; a change from 0 is infinitely large unless it is 0 too. */
export function relativeChange(canary: number, baseline: number): number {
  if (baseline === 0) return canary === 0 ? 0 : canary > 0 ? Infinity : -Infinity;
  return (canary - baseline) / Math.abs(baseline);
}

const RANK: Record<Verdict, number> = { pass: 0, wait: 1, inconclusive: 2, fail: 3 };

export function worst(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (RANK[v] > RANK[w] ? v : w), 'pass');
}

/**
 * One test's verdict. Significant and at least the effect floor: fail. Significant with at least
 * half the floor: inconclusive (a real but marginal change, for a human to weigh). Otherwise
 * pass — including significant changes too small to matter, the reason for a floor at all.
 * `effect` is already oriented so that positive = worse.
 */
export function classify(s: JudgeSettings, pvalue: number, level: number, effect: number): Verdict {
  if (!(pvalue < level)) return 'pass';
  if (effect >= s.minEffect) return 'fail';
  if (effect >= s.minEffect / 2 && effect > 0) return 'inconclusive';
  return 'pass';
}

export function pct(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+∞ %' : '−∞ %';
  return `${v >= 0 ? '+' : ''}${(v * 100).toFixed(1)} %`;
}

export function pfmt(p: number): string {
  return p < 1e-3 ? p.toExponential(1) : p.toFixed(4);
}

// Mann-Whitney U on grouped (binned) data: two samples given as counts per ordered bin, e.g. the
// buckets of a Prometheus histogram. All values of one bin are tied, so this equals the test on
// the expanded samples (every observation replaced by its bin index), computed in O(bins) instead
// of O(observations). The normal approximation is always used: grouped data are full of ties.

import { mwuZ } from './mann-whitney.js';
import { clipProbability, normalSf } from './special.js';
import type { Alternative } from './types.js';

export interface GroupedMwuResult {
  statistic: number;
  pvalue: number;
  z: number;
  n1: number;
  n2: number;
}

export function mannWhitneyGrouped(
  countsX: readonly number[],
  countsY: readonly number[],
  alternative: Alternative = 'two-sided',
): GroupedMwuResult {
  if (countsX.length !== countsY.length) throw new RangeError('mannWhitneyGrouped: bins differ');
  let below = 0; // observations in lower bins
  let r1 = 0;
  let ties = 0;
  let n1 = 0;
  let n2 = 0;
  countsX.forEach((cx, i) => {
    const cy = countsY[i] ?? 0;
    const t = cx + cy;
    // the bin occupies ranks below+1 .. below+t; its average rank is below + (t + 1) / 2
    r1 += cx * (below + (t + 1) / 2);
    ties += t * t * t - t;
    below += t;
    n1 += cx;
    n2 += cy;
  });
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyGrouped: a sample is empty');
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2);
  const z = mwuZ(u, n1, n2, ties, true);
  const factor = alternative === 'two-sided' ? 2 : 1;
  return { statistic: u1, pvalue: clipProbability(factor * normalSf(z)), z, n1, n2 };
}

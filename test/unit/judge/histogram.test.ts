import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { alignBuckets, bucketQuantile } from '../../../src/judge/histogram.js';
import { judgeMetric } from '../../../src/judge/judge.js';
import { Prng } from '../../../src/judge/prng.js';
import { judgeSettings } from '../../../src/judge/settings.js';
import { mannWhitneyU } from '../../../src/judge/stats/mann-whitney.js';
import { mannWhitneyGrouped } from '../../../src/judge/stats/mann-whitney-grouped.js';
import type { Bucket } from '../../../src/judge/types.js';

const LES = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, Infinity];

function histogram(rng: Prng, n: number, median: number): Bucket[] {
  const counts = LES.map(() => 0);
  for (let i = 0; i < n; i++) {
    const v = rng.lognormal(median, 0.4);
    const idx = LES.findIndex((le) => v <= le);
    counts[idx] = (counts[idx] ?? 0) + 1;
  }
  let cum = 0;
  return LES.map((le, i) => ({ le, count: (cum += counts[i] ?? 0) }));
}

describe('judge: histograms bucket by bucket', () => {
  it('grouped Mann-Whitney equals the test on the expanded bucket indices', () => {
    const cx = [3, 0, 7, 12, 1];
    const cy = [1, 4, 4, 9, 6];
    const expand = (c: number[]): number[] => c.flatMap((k, i) => Array.from({ length: k }, () => i));
    for (const alternative of ['two-sided', 'less', 'greater'] as const) {
      const g = mannWhitneyGrouped(cx, cy, alternative);
      const e = mannWhitneyU(expand(cx), expand(cy), { alternative, method: 'asymptotic' });
      assert.ok(
        Math.abs(g.statistic - e.statistic) < 1e-9 && Math.abs(g.pvalue - e.pvalue) < 1e-12,
        alternative,
      );
    }
  });

  it('aligns different bucket layouts and interpolates quantiles like histogram_quantile', () => {
    const { les, ca, cb } = alignBuckets(
      [
        { le: 1, count: 2 },
        { le: Infinity, count: 4 },
      ],
      [
        { le: 0.5, count: 1 },
        { le: 1, count: 1 },
        { le: Infinity, count: 3 },
      ],
    );
    assert.deepEqual(les, [0.5, 1, Infinity]);
    assert.deepEqual(ca, [0, 2, 2]);
    assert.deepEqual(cb, [1, 0, 2]);
    assert.equal(bucketQuantile([1, 2, Infinity], [10, 10, 0], 0.75), 1.5);
  });

  it('A/A passes and a 40 % slower canary fails', () => {
    const rng = new Prng(77);
    const s = judgeSettings({ kind: 'histogram' });
    let aaFails = 0;
    let caught = 0;
    for (let i = 0; i < 200; i++) {
      const base = histogram(rng, 2000, 0.2);
      if (
        judgeMetric(
          s,
          { kind: 'histogram', buckets: base },
          { kind: 'histogram', buckets: histogram(rng, 2000, 0.2) },
        ).verdict === 'fail'
      )
        aaFails++;
      if (
        judgeMetric(
          s,
          { kind: 'histogram', buckets: base },
          { kind: 'histogram', buckets: histogram(rng, 2000, 0.28) },
        ).verdict === 'fail'
      )
        caught++;
    }
    assert.ok(aaFails <= 6, `A/A ${aaFails} of 200`);
    assert.ok(caught >= 190, `caught ${caught} of 200`);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitneyU, type MwuMethod } from '../../../../src/judge/stats/mann-whitney.js';
import { mwuNullPmf } from '../../../../src/judge/stats/mwu-exact.js';
import type { Alternative } from '../../../../src/judge/stats/types.js';
import { Mismatches, num, reference, seedFor, type Num } from './scipy.js';

interface Case {
  x: number[];
  y: number[];
  alternative: Alternative;
  method: MwuMethod;
  continuity: boolean;
  statistic: Num;
  pvalue: Num;
}

describe('Mann-Whitney U', () => {
  it('agrees with scipy.stats.mannwhitneyu (auto/exact/asymptotic, ties, tiny and large samples)', () => {
    const cases = reference<Case>('mwu', seedFor('mwu'), 300);
    const m = new Mismatches();
    for (const c of cases) {
      const r = mannWhitneyU(c.x, c.y, {
        alternative: c.alternative,
        method: c.method,
        continuity: c.continuity,
      });
      const ctx = () => `n=${c.x.length}/${c.y.length} ${c.alternative} ${c.method} cc=${c.continuity}`;
      m.check('U', r.statistic, num(c.statistic), ctx);
      m.check('p', r.pvalue, num(c.pvalue), ctx);
    }
    assert.ok(cases.length >= 300);
    assert.equal(m.items.length, 0, m.report());
  });

  it('exact null distribution: sums to 1, is symmetric, and counts arrangements (m=2, n=3)', () => {
    const pmf = mwuNullPmf(2, 3);
    // C(5,2) = 10 arrangements; U = 0..6 occurs 1,1,2,2,2,1,1 times
    assert.deepEqual(
      Array.from(pmf, (p) => Math.round(p * 10)),
      [1, 1, 2, 2, 2, 1, 1],
    );
    const big = mwuNullPmf(8, 300);
    const total = big.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(total - 1) < 1e-12);
    assert.ok(Math.abs((big[5] ?? 0) - (big[big.length - 6] ?? 0)) < 1e-15);
  });

  it('reports the method chosen by auto', () => {
    assert.equal(mannWhitneyU([1, 2, 3], [4, 5, 6, 7]).method, 'exact');
    assert.equal(mannWhitneyU([1, 2, 2], [4, 5, 6, 7]).method, 'asymptotic');
    assert.throws(() => mannWhitneyU([], [1]), /empty/);
  });
});

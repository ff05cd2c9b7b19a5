import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ks2samp, type KsMethod } from '../../../../src/judge/stats/ks-2samp.js';
import type { Alternative } from '../../../../src/judge/stats/types.js';
import { Mismatches, num, reference, seedFor, type Num } from './scipy.js';

interface Case {
  x: number[];
  y: number[];
  alternative: Alternative;
  method: KsMethod;
  statistic: Num;
  pvalue: Num;
  sign: number;
}

describe('two-sample Kolmogorov-Smirnov', () => {
  it('agrees with scipy.stats.ks_2samp (auto/exact/asymp, one- and two-sided, ties, n > 10 000)', () => {
    const cases = reference<Case>('ks', seedFor('ks'), 240);
    const m = new Mismatches();
    for (const c of cases) {
      const r = ks2samp(c.x, c.y, { alternative: c.alternative, method: c.method });
      const ctx = () => `n=${c.x.length}/${c.y.length} ${c.alternative} ${c.method}`;
      m.check('D', r.statistic, num(c.statistic), ctx);
      m.check('p', r.pvalue, num(c.pvalue), ctx);
      m.check('sign', r.sign, c.sign, ctx);
    }
    assert.equal(m.items.length, 0, m.report());
  });

  it('catches "same median, wider tail" one-sided where the medians agree', () => {
    const base = Array.from({ length: 200 }, (_, i) => 100 + ((i * 7919) % 200) / 20);
    const wide = base.map((v) => (v > 105 ? 100 + (v - 100) * 3 : v));
    const r = ks2samp(base, wide, { alternative: 'greater' });
    assert.ok(r.pvalue < 0.001, `p=${r.pvalue}`);
  });

  it('refuses the two-sided asymptotic p-value instead of approximating it differently', () => {
    assert.throws(() => ks2samp([1, 2, 3], [2, 3, 4], { method: 'asymp' }), /not implemented/);
  });
});

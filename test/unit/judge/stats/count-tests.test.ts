import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fisherExact, poissonRateTest } from '../../../../src/judge/stats/count-tests.js';
import type { OneSided } from '../../../../src/judge/stats/types.js';
import { Mismatches, num, reference, seedFor, type Num } from './scipy.js';

interface Case {
  table: [[number, number], [number, number]];
  alternative: OneSided;
  oddsratio: Num;
  fisher: Num;
  exposures: [number, number];
  rate: Num;
}

describe('count tests', () => {
  it('agree with scipy.stats.fisher_exact and scipy.stats.binomtest (sparse and large counts)', () => {
    const cases = reference<Case>('counts', seedFor('counts'), 400);
    const m = new Mismatches();
    for (const c of cases) {
      const ctx = () => `${JSON.stringify(c.table)} ${c.alternative} exposures ${c.exposures.join('/')}`;
      const f = fisherExact(c.table, c.alternative);
      m.check('odds ratio', f.oddsRatio, num(c.oddsratio), ctx);
      m.check('fisher p', f.pvalue, num(c.fisher), ctx);
      const [[k1], [k2]] = c.table;
      const r = poissonRateTest(k1, c.exposures[0], k2, c.exposures[1], c.alternative);
      m.check('rate p', r.pvalue, num(c.rate), ctx);
    }
    assert.equal(m.items.length, 0, m.report());
  });

  it('sees 0.5 % against 0.1 % errors on 20 000 requests each (where a 99 % success threshold passes)', () => {
    const f = fisherExact(
      [
        [100, 19900],
        [20, 19980],
      ],
      'greater',
    );
    assert.ok(f.pvalue < 1e-10, `p=${f.pvalue}`);
  });
});

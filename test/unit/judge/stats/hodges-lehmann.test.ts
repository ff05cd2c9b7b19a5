import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hodgesLehmann } from '../../../../src/judge/stats/hodges-lehmann.js';
import { Mismatches, num, reference, seedFor, type Num } from './scipy.js';

interface Case {
  x: number[];
  y: number[];
  confidence: number;
  shift: Num;
  lower: Num;
  upper: Num;
}

describe('Hodges-Lehmann shift', () => {
  it('equals numpy’s median of differences; the interval equals the inversion of scipy’s Mann-Whitney test', () => {
    const cases = reference<Case>('hl', seedFor('hl'), 160);
    const m = new Mismatches();
    for (const c of cases) {
      const r = hodgesLehmann(c.x, c.y, c.confidence);
      const ctx = () =>
        `n=${c.x.length}/${c.y.length} conf=${c.confidence} x=${JSON.stringify(c.x.slice(0, 5))}`;
      m.check('shift', r.shift, num(c.shift), ctx);
      m.check('lower', r.lower, num(c.lower), ctx);
      m.check('upper', r.upper, num(c.upper), ctx);
    }
    assert.equal(m.items.length, 0, m.report());
  });

  it('finds a known shift inside its interval', () => {
    const x = Array.from({ length: 40 }, (_, i) => 100 + ((i * 37) % 23));
    const y = x.map((v) => v + 10);
    const r = hodgesLehmann(x, y, 0.95);
    assert.equal(r.shift, 10);
    assert.ok(r.lower <= 10 && r.upper >= 10 && r.lower > 0);
  });
});

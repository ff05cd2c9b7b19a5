import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { erfc, logChoose, logGamma, normalCdf, normalSf } from '../../../../src/judge/stats/special.js';
import { Mismatches, num, reference, seedFor, type Num } from './scipy.js';

interface Case {
  z: number[];
  sf: Num[];
  cdf: Num[];
  erfc: Num[];
  g: number[];
  lgamma: Num[];
}

describe('special functions', () => {
  it('agree with scipy.special / scipy.stats.norm on generated arguments', () => {
    const [c] = reference<Case>('special', seedFor('special'), 400);
    assert.ok(c);
    const m = new Mismatches();
    c.z.forEach((z, i) => {
      m.check('norm.sf', normalSf(z), num(c.sf[i] ?? 'nan'), () => `z=${z}`);
      m.check('norm.cdf', normalCdf(z), num(c.cdf[i] ?? 'nan'), () => `z=${z}`);
      m.check('erfc', erfc(z), num(c.erfc[i] ?? 'nan'), () => `x=${z}`);
    });
    c.g.forEach((g, i) => {
      m.check('gammaln', logGamma(g), num(c.lgamma[i] ?? 'nan'), () => `x=${g}`);
    });
    assert.equal(m.items.length, 0, m.report());
  });

  it('keeps relative accuracy in the far normal tail (p-values of clear failures stay ordered)', () => {
    // Mills' ratio bounds: φ(z)/z · (1 − 1/z²) < P(Z > z) < φ(z)/z
    for (const z of [6, 10, 20, 30]) {
      const phi = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
      const sf = normalSf(z);
      assert.ok(sf < phi / z && sf > (phi / z) * (1 - 1 / (z * z)), `z=${z}: ${sf}`);
    }
  });

  it('log binomial coefficients match exact small values', () => {
    assert.ok(Math.abs(logChoose(10, 3) - Math.log(120)) < 1e-12);
    assert.ok(Math.abs(logChoose(52, 5) - Math.log(2598960)) < 1e-12);
    assert.equal(logChoose(4, 5), -Infinity);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeMetric } from '../../../src/judge/judge.js';
import { Prng } from '../../../src/judge/prng.js';
import { judgeSettings } from '../../../src/judge/settings.js';
import { binomialUpperTail } from '../../../src/judge/stats/discrete.js';
import type { CohortData } from '../../../src/judge/types.js';

// The documented sample size (docs/judge.md): 150 samples per cohort at log-spread σ = 0.3.
const N = 150;
const SIGMA = 0.3;
const settings = judgeSettings({ kind: 'latency' });
const values = (v: number[]): CohortData => ({ kind: 'values', values: v });
const draw = (rng: Prng, n: number, median: number, sigma = SIGMA): number[] =>
  Array.from({ length: n }, () => rng.lognormal(median, sigma));

function allowedFailures(runs: number, alpha: number): number {
  let k = 0;
  while (binomialUpperTail(k + 1, runs, alpha) >= 0.001) k++;
  return k;
}

describe('judge: latency-like metrics', () => {
  it(`A/A: 400 runs of two equal cohorts (n=${N}) fail no more often than alpha allows`, () => {
    const rng = new Prng(42);
    const runs = 400;
    const verdicts = { pass: 0, fail: 0, inconclusive: 0, wait: 0 };
    for (let i = 0; i < runs; i++) {
      verdicts[judgeMetric(settings, values(draw(rng, N, 120)), values(draw(rng, N, 120))).verdict]++;
    }
    const bound = allowedFailures(runs, settings.alpha);
    assert.ok(
      verdicts.fail <= bound,
      `${verdicts.fail} of ${runs} failed (bound ${bound}): ${JSON.stringify(verdicts)}`,
    );
    assert.ok(verdicts.inconclusive <= bound, JSON.stringify(verdicts));
  });

  it(`power: a +20 % latency shift is caught in ≥ 95 % of 200 runs (n=${N})`, () => {
    const rng = new Prng(1234);
    const runs = 200;
    let fails = 0;
    for (let i = 0; i < runs; i++) {
      if (judgeMetric(settings, values(draw(rng, N, 120)), values(draw(rng, N, 144))).verdict === 'fail')
        fails++;
    }
    assert.ok(fails >= 0.95 * runs, `${fails} of ${runs}`);
  });

  it('same median, wider tail: the shape test fails what the location test passes', () => {
    const rng = new Prng(99);
    let fails = 0;
    let locationAlone = 0;
    for (let i = 0; i < 100; i++) {
      const base = draw(rng, 200, 120, 0.15);
      const wide = draw(rng, 200, 120, 0.45); // same median, three times the spread
      const r = judgeMetric(settings, values(base), values(wide));
      if (r.verdict === 'fail') fails++;
      if ((r.tests[0]?.pvalue ?? 1) < settings.alpha / 2) locationAlone++;
    }
    assert.ok(fails >= 95, `${fails} of 100`);
    assert.ok(locationAlone <= 10, `location test alone flagged ${locationAlone}`);
  });

  it('only worse fails: a faster canary passes; direction decrease flips it', () => {
    const rng = new Prng(5);
    const base = draw(rng, N, 120);
    const fast = draw(rng, N, 80);
    assert.equal(judgeMetric(settings, values(base), values(fast)).verdict, 'pass');
    const throughput = judgeSettings({ kind: 'latency', direction: 'decrease' });
    assert.equal(judgeMetric(throughput, values(base), values(fast)).verdict, 'fail');
  });

  it('a significant but tiny shift passes under the effect floor', () => {
    const rng = new Prng(8);
    const r = judgeMetric(settings, values(draw(rng, 4000, 120, 0.05)), values(draw(rng, 4000, 123, 0.05)));
    assert.ok((r.tests[0]?.pvalue ?? 1) < 1e-6);
    assert.equal(r.verdict, 'pass');
  });

  it('waits below minSamples and applies the no-data policy', () => {
    const rng = new Prng(3);
    assert.equal(
      judgeMetric(settings, values(draw(rng, 5, 120)), values(draw(rng, 50, 200))).verdict,
      'wait',
    );
    for (const onNoData of ['pass', 'fail', 'inconclusive', 'wait'] as const) {
      const s = judgeSettings({ kind: 'latency', onNoData });
      assert.equal(judgeMetric(s, { kind: 'none' }, values([1, 2])).verdict, onNoData);
      assert.equal(judgeMetric(s, values([1]), values([])).verdict, onNoData);
    }
  });

  it('evidence: statistic, p-value, HL effect with its interval, both cohorts', () => {
    const rng = new Prng(11);
    const r = judgeMetric(settings, values(draw(rng, N, 100)), values(draw(rng, N, 130)));
    assert.equal(r.verdict, 'fail');
    const [mwu, ks] = r.tests;
    assert.equal(mwu?.test, 'mann-whitney');
    assert.equal(ks?.test, 'kolmogorov-smirnov');
    const hl = r.effects[0];
    assert.ok(hl && hl.lower !== null && hl.upper !== null && hl.lower < hl.value && hl.value < hl.upper);
    assert.equal(hl.confidence, 0.99);
    assert.equal(r.baseline.n, N);
    assert.ok((r.canary.median ?? 0) > (r.baseline.median ?? 0));
    assert.match(r.reason, /location \+\d/);
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { judgeMetric } from '../../../src/judge/judge.js';
import { Prng } from '../../../src/judge/prng.js';
import { judgeSettings } from '../../../src/judge/settings.js';
import { binomialUpperTail } from '../../../src/judge/stats/discrete.js';
import type { CohortData } from '../../../src/judge/types.js';

const settings = judgeSettings({ kind: 'errors' });
const counts = (events: number, total: number): CohortData => ({
  kind: 'counts',
  events,
  total,
  exposure: 1,
});

/** The largest failure count still consistent with a false-positive rate ≤ alpha (P(X ≥ k) < 0.001). */
function allowedFailures(runs: number, alpha: number): number {
  let k = 0;
  while (binomialUpperTail(k + 1, runs, alpha) >= 0.001) k++;
  return k;
}

describe('judge: error-like counters', () => {
  it('A/A: 400 runs at 0.2 % errors on 5 000 requests fail no more often than alpha allows', () => {
    const rng = new Prng(20261205);
    const runs = 400;
    let fails = 0;
    for (let i = 0; i < runs; i++) {
      const r = judgeMetric(
        settings,
        counts(rng.binomial(5000, 0.002), 5000),
        counts(rng.binomial(5000, 0.002), 5000),
      );
      if (r.verdict === 'fail') fails++;
    }
    assert.ok(fails <= allowedFailures(runs, settings.alpha), `${fails} of ${runs} A/A runs failed`);
  });

  it('0.5 % against 0.1 % errors on 20 000 requests fails in ≥ 95 % of runs (a 99 % success threshold passes it)', () => {
    const rng = new Prng(7);
    const runs = 200;
    let fails = 0;
    for (let i = 0; i < runs; i++) {
      const r = judgeMetric(
        settings,
        counts(rng.binomial(20000, 0.001), 20000),
        counts(rng.binomial(20000, 0.005), 20000),
      );
      if (r.verdict === 'fail') fails++;
    }
    assert.ok(fails >= 0.95 * runs, `${fails} of ${runs}`);
  });

  it('mostly-zero counters are judged on counts: 0 vs 9 errors fails, 0 vs 1 does not', () => {
    assert.equal(judgeMetric(settings, counts(0, 3000), counts(9, 3000)).verdict, 'fail');
    assert.equal(judgeMetric(settings, counts(0, 3000), counts(1, 3000)).verdict, 'pass');
  });

  it('only worse fails; too few requests waits; evidence carries both cohorts', () => {
    assert.equal(judgeMetric(settings, counts(30, 3000), counts(0, 3000)).verdict, 'pass');
    assert.equal(judgeMetric(settings, counts(0, 50), counts(40, 50)).verdict, 'wait');
    const r = judgeMetric(settings, counts(3, 3000), counts(30, 3000));
    assert.equal(r.verdict, 'fail');
    assert.equal(r.tests[0]?.test, 'fisher-exact');
    assert.deepEqual([r.baseline.events, r.canary.events, r.canary.total], [3, 30, 3000]);
    assert.ok((r.effects[0]?.value ?? 0) > 8);
  });

  it('without request totals, a Poisson rate test over the exposures', () => {
    const s = judgeSettings({ kind: 'errors' });
    const r = judgeMetric(
      s,
      { kind: 'counts', events: 10, exposure: 90 },
      { kind: 'counts', events: 10, exposure: 10 },
    );
    assert.equal(r.tests[0]?.test, 'poisson-rate');
    assert.equal(r.verdict, 'fail'); // the same count on a ninth of the traffic
  });
});

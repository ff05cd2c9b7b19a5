// The benchmark's summary statistics: a wrong median or p95 would misreport every figure.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { median, percentile, ratio, summarize } from '../../../bench/stats.js';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

describe('bench stats', () => {
  it('median of an odd count is the middle sample', () => {
    assert.equal(median([1, 3, 100]), 3);
  });

  it('median of an even count is the mean of the two middle samples', () => {
    assert.equal(median([1, 2, 4, 100]), 3);
  });

  it('p95 is nearest-rank: the slowest of 10 runs, the 19th of 20, the 95th of 100', () => {
    assert.equal(percentile(range(10), 95), 10);
    assert.equal(percentile(range(20), 95), 19);
    assert.equal(percentile(range(100), 95), 95);
    assert.equal(percentile(range(100), 50), 50);
    assert.equal(percentile(range(10), 91), 10, 'rank rounds up, never to the nearest');
  });

  it('summarize sorts its input and does not modify it', () => {
    const samples = [320, 241, 514, 302, 282];
    const s = summarize(samples);
    assert.deepEqual(samples, [320, 241, 514, 302, 282]);
    assert.equal(s.n, 5);
    assert.equal(s.min, 241);
    assert.equal(s.median, 302);
    assert.equal(s.max, 514);
    assert.equal(s.p95, 514);
    assert.equal(s.mean, (320 + 241 + 514 + 302 + 282) / 5);
  });

  it('no samples gives NaN rather than a misleading 0', () => {
    const s = summarize([]);
    assert.ok(Number.isNaN(s.median));
    assert.ok(Number.isNaN(s.p95));
    assert.ok(Number.isNaN(percentile([], 95)));
  });

  it('ratio keeps large and tiny values readable', () => {
    assert.equal(ratio(65.4), '65×');
    assert.equal(ratio(1.1), '1.10×');
    assert.equal(ratio(0.0077), '0.0077×');
    assert.equal(ratio(0), '0×');
    assert.equal(ratio(Number.NaN), 'n/a');
  });
});

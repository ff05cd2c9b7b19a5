import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanaryMetric } from '../../../src/api/canary.js';
import { type ThresholdRule, formatGoDuration, judge } from '../../../src/metrics/thresholds.js';

const ref = { name: 'podinfo', namespace: 'test' };

interface Row {
  readonly rule: ThresholdRule;
  readonly metric: CanaryMetric;
  readonly value: number;
  readonly passed: boolean;
  readonly message?: string;
}

const sr = (m: Partial<CanaryMetric>): CanaryMetric => ({ name: 'request-success-rate', ...m });
const rd = (m: Partial<CanaryMetric>): CanaryMetric => ({ name: 'request-duration', ...m });
const custom = (m: Partial<CanaryMetric>): CanaryMetric => ({ name: 'error-rate', ...m });

const rows: Row[] = [
  // success rate: legacy threshold is a minimum
  { rule: 'success-rate', metric: sr({ threshold: 99 }), value: 99, passed: true },
  {
    rule: 'success-rate',
    metric: sr({ threshold: 99 }),
    value: 98.456,
    passed: false,
    message: 'Halt podinfo.test advancement success rate 98.46% < 99%',
  },
  { rule: 'success-rate', metric: sr({}), value: 0, passed: true },
  {
    rule: 'success-rate',
    metric: sr({ thresholdRange: { min: 99.5 } }),
    value: 99,
    passed: false,
    message: 'Halt podinfo.test advancement success rate 99.00% < 99.5%',
  },
  {
    rule: 'success-rate',
    metric: sr({ thresholdRange: { max: 50 } }),
    value: 60,
    passed: false,
    message: 'Halt podinfo.test advancement success rate 60.00% > 50%',
  },
  {
    rule: 'success-rate',
    metric: sr({ threshold: 100, thresholdRange: { min: 90 } }),
    value: 95,
    passed: true,
  },
  // duration: legacy threshold is a maximum in ms; values and bounds are whole ms
  { rule: 'duration', metric: rd({ threshold: 500 }), value: 500, passed: true },
  {
    rule: 'duration',
    metric: rd({ threshold: 500 }),
    value: 501,
    passed: false,
    message: 'Halt podinfo.test advancement request duration 501ms > 500ms',
  },
  {
    rule: 'duration',
    metric: rd({ threshold: 1000 }),
    value: 1500,
    passed: false,
    message: 'Halt podinfo.test advancement request duration 1.5s > 1s',
  },
  { rule: 'duration', metric: rd({ thresholdRange: { max: 500.9 } }), value: 500, passed: true },
  {
    rule: 'duration',
    metric: rd({ thresholdRange: { min: 10 } }),
    value: 5,
    passed: false,
    message: 'Halt podinfo.test advancement request duration 5ms < 10ms',
  },
  // inline / template: legacy threshold is a maximum, and 0 when unset (Flagger)
  { rule: 'custom', metric: custom({ threshold: 5 }), value: 5, passed: true },
  {
    rule: 'custom',
    metric: custom({ threshold: 5 }),
    value: 5.01,
    passed: false,
    message: 'Halt podinfo.test advancement error-rate 5.01 > 5',
  },
  { rule: 'custom', metric: custom({}), value: 0, passed: true },
  {
    rule: 'custom',
    metric: custom({}),
    value: 0.1,
    passed: false,
    message: 'Halt podinfo.test advancement error-rate 0.10 > 0',
  },
  {
    rule: 'custom',
    metric: custom({ thresholdRange: { min: 1, max: 2 } }),
    value: 0.5,
    passed: false,
    message: 'Halt podinfo.test advancement error-rate 0.50 < 1',
  },
  {
    rule: 'custom',
    metric: custom({ thresholdRange: { min: 1, max: 2 } }),
    value: 2.5,
    passed: false,
    message: 'Halt podinfo.test advancement error-rate 2.50 > 2',
  },
  { rule: 'custom', metric: custom({ thresholdRange: { min: 1, max: 2 } }), value: 1.5, passed: true },
  {
    rule: 'custom',
    metric: custom({ thresholdRange: { max: 2 } }),
    value: Number.POSITIVE_INFINITY,
    passed: false,
    message: 'Halt podinfo.test advancement error-rate +Inf > 2',
  },
];

describe('threshold evaluation', () => {
  for (const row of rows) {
    const bounds = JSON.stringify({ threshold: row.metric.threshold, range: row.metric.thresholdRange });
    it(`${row.rule} ${bounds} value ${row.value} → ${row.passed ? 'pass' : 'fail'}`, () => {
      const v = judge(row.rule, row.metric, row.value, ref);
      assert.equal(v.passed, row.passed);
      if (row.message !== undefined) assert.equal(v.message, row.message);
    });
  }

  it('reports the applied bounds', () => {
    assert.deepEqual(
      {
        min: judge('custom', custom({ thresholdRange: { min: 1 } }), 3, ref).min,
        max: judge('custom', custom({ threshold: 4 }), 3, ref).max,
      },
      { min: 1, max: 4 },
    );
    assert.equal(judge('success-rate', sr({ threshold: 99 }), 100, ref).min, 99);
  });
});

describe('formatGoDuration', () => {
  it('matches Go time.Duration String() for whole milliseconds', () => {
    const cases: [number, string][] = [
      [0, '0s'],
      [250, '250ms'],
      [1000, '1s'],
      [1500, '1.5s'],
      [1001, '1.001s'],
      [60_000, '1m0s'],
      [61_500, '1m1.5s'],
      [3_723_004, '1h2m3.004s'],
      [-1500, '-1.5s'],
    ];
    for (const [ms, s] of cases) assert.equal(formatGoDuration(ms), s, `${ms}ms`);
  });
});

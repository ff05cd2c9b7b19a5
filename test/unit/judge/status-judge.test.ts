import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckRecord } from '../../../src/api/status.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { judgeEvidence, verdictCell } from '../../../src/cli/status-judge.js';

const check: CheckRecord = {
  name: 'latency',
  kind: 'metric',
  passed: true,
  message: 'latency inconclusive against primary over the run: ...',
  time: '2026-01-01T00:00:00Z',
  judge: {
    verdict: 'inconclusive',
    against: 'primary',
    windows: [
      {
        window: 'run',
        verdict: 'inconclusive',
        reason: 'r',
        tests: [{ test: 'mann-whitney', alternative: 'canary worse', statistic: 12345, pvalue: 0.0021 }],
        effects: [{ measure: 'relative shift', value: 0.07, lower: 0.02, upper: 0.12, confidence: 0.99 }],
        baseline: { n: 300, median: 100, query: 'q{pod=~"podinfo-primary-.*"}' },
        canary: { n: 280, median: 107, query: 'q{pod=~"podinfo-.*"}' },
      },
    ],
  },
};

describe('flagger-ts status: judged checks', () => {
  it('shows the judge verdict and the evidence with both rendered queries', () => {
    const w = new BufferWriter(false);
    assert.equal(verdictCell(w, check), 'inconclusive');
    assert.equal(
      verdictCell(w, { ...check, judge: { ...check.judge, verdict: 'fail', dryRun: true } } as CheckRecord),
      'FAIL (dry run)',
    );
    assert.equal(verdictCell(w, { ...check, judge: undefined }), 'pass');
    const text = judgeEvidence(check);
    assert.match(text, /run \(inconclusive\) against primary: baseline n=300, canary n=280/);
    assert.match(text, /mann-whitney \(canary worse\): statistic 12345, p=0.0021/);
    assert.match(text, /relative shift: \+7.0 % \[\+2.0 %, \+12.0 %\] at 99 %/);
    assert.match(text, /primary query: q\{pod=~"podinfo-primary-\.\*"\}/);
  });
});

// `simulate` runs the real decide(); these figures are worked out by hand from Flagger's
// rules for the podinfo canary (10% steps to 50%, threshold 2, 10s interval floor).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenario, pickCanary, runSimulate } from '../../../src/cli/simulate-command.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { simulateWithBounds } from '../../../src/simulate/bounds.js';
import { simulate } from '../../../src/simulate/engine.js';
import { Scenario } from '../../../src/simulate/scenario.js';

export const PODINFO = `apiVersion: flagger.app/v1beta1
kind: Canary
metadata: {name: podinfo, namespace: test}
spec:
  provider: istio
  targetRef: {apiVersion: apps/v1, kind: Deployment, name: podinfo}
  service: {port: 9898}
  analysis:
    interval: 1s
    threshold: 2
    stepWeight: 10
    maxWeight: 50
    metrics:
      - {name: request-success-rate, interval: 10s, thresholdRange: {min: 99}}
      - {name: request-duration, interval: 10s, thresholdRange: {max: 500}}
    webhooks:
      - {name: approve, type: confirm-promotion, url: "http://gate.test/approve"}
`;
const OPTS = { minIntervalMs: 10_000, meshProvider: 'istio' };
const canary = pickCanary('podinfo.yaml', PODINFO, undefined);

describe('simulate', () => {
  it('all passing: 10→50% in 10s steps, promoted at 1m, Succeeded at 1m20s', () => {
    const r = simulate(canary, new Scenario(), OPTS);
    assert.deepEqual(
      r.intervals.map((i) => [i.n, i.atMs / 1000, i.phase, i.weight]),
      [
        [1, 0, 'Progressing', 0],
        [2, 10, 'Progressing', 10],
        [3, 20, 'Progressing', 20],
        [4, 30, 'Progressing', 30],
        [5, 40, 'Progressing', 40],
        [6, 50, 'Progressing', 50],
        [7, 60, 'Promoting', 50],
        [8, 70, 'Finalising', 0],
        [9, 80, 'Succeeded', 0],
      ],
    );
    assert.equal(r.durationMs, 80_000);
    assert.equal(r.peakWeight, 50);
    // (10+20+30+40+50+50)% × 10s
    assert.equal(r.exposure, 2000 * 1000);
    assert.deepEqual(r.metricIntervals, [3, 4, 5, 6, 7]);
    assert.deepEqual(r.intervals[6]?.gates, [{ hook: 'approve', type: 'confirm-promotion', open: true }]);
  });

  it('--fail-at 4: two failed checks at 20%, rolled back at 50s', async () => {
    const s = await buildScenario(canary, { failAt: '4' });
    const r = simulate(canary, s, OPTS);
    assert.equal(r.outcome, 'Failed');
    assert.equal(r.durationMs, 50_000);
    assert.deepEqual(
      r.intervals.slice(3).map((i) => [i.weight, i.failedChecks, i.checks.map((c) => c.passed)]),
      [
        [20, 1, [false]],
        [20, 2, [false]],
        [0, 0, []],
      ],
    );
    assert.equal(r.peakWeight, 20);
  });

  it('bounds: earliest 1m20s; latest success 1m30s (1 failure absorbed at 50%); exposure up to 2500 %·s', () => {
    const b = simulateWithBounds(canary, new Scenario(), OPTS);
    assert.equal(b.earliest.durationMs, 80_000);
    assert.equal(b.latestSuccess?.durationMs, 90_000);
    assert.equal(b.latestSuccess.outcome, 'Succeeded');
    assert.equal(b.latestFailure?.outcome, 'Failed');
    assert.equal(b.latestFailure.durationMs, 80_000);
    assert.equal(b.latestSuccess.exposure, 2500 * 1000);
  });

  it('a closed confirm-promotion gate holds at 50% until the scenario opens it', async () => {
    const s = await buildScenario(canary, { gate: ['approve=closed', 'approve=open@10'] });
    const r = simulate(canary, s, OPTS);
    assert.equal(r.outcome, 'Succeeded');
    assert.ok(r.intervals.some((i) => i.phase === 'WaitingPromotion' && i.weight === 50));
    assert.equal(r.durationMs, 110_000);
  });

  it('a gate closed forever ends at maxIntervals, not finished', async () => {
    const s = await buildScenario(canary, { gate: ['confirm-promotion=closed'], maxIntervals: '30' });
    const r = simulate(canary, s, OPTS);
    assert.equal(r.finished, false);
    assert.equal(r.intervals.length, 30);
    assert.equal(r.outcome, 'WaitingPromotion');
  });

  it('reads a scenario file and prints the timeline and the figures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    writeFileSync(join(dir, 'c.yaml'), PODINFO);
    writeFileSync(
      join(dir, 's.yaml'),
      'defaults:\n  metrics: {request-success-rate: 99.5}\nintervals:\n  "5": {metrics: {request-duration: 900}}\n  "6": {metrics: {request-duration: 120}}\n',
    );
    const w = new BufferWriter();
    await runSimulate(join(dir, 'c.yaml'), { scenario: join(dir, 's.yaml') }, w);
    assert.match(
      w.text,
      /#5\s+t\+40s\s+Progressing\s+\[###-------\] weight {2}30%\s+iterations 0\s+failed 1\/2/,
    );
    assert.match(w.text, /✗ request-duration 900 \(<= 500\)/);
    assert.match(w.text, /✓ request-success-rate 99\.50 \(>= 99\)/);
    assert.match(w.text, /Outcome:\s+Succeeded after 1m30s \(10 intervals\)/);
    assert.match(w.text, /Completion: earliest 1m20s .*; latest 1m30s/);
    assert.match(
      w.text,
      /Exposure:\s+this run peak 50%, weight×time 38\.3 %·min; maximum peak 50%, weight×time 41\.7 %·min/,
    );
  });

  it('rejects a metric the canary does not have, naming the ones it has', async () => {
    await assert.rejects(
      buildScenario(canary, { metric: ['error-rate=1'] }),
      /has no metric "error-rate" \(it has: request-success-rate, request-duration\)/,
    );
  });
});

// Judged metrics through the real decide(): verdicts arrive as observations on the metric
// outcomes (what src/judge/run.ts produces) and the core holds, fails, waits or records them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckJudge } from '../../../src/api/judge.js';
import type { JudgeObservation } from '../../../src/core/judge.js';
import type { MetricOutcome } from '../../../src/core/snapshot.js';
import { makeCanary } from '../core/fixtures.js';
import { initializedWorld, type World } from '../core/world.js';

type V = JudgeObservation['verdict'];

function evidence(verdict: V, dryRun: boolean): CheckJudge {
  const cohort = (median: number) => ({ n: 150, median, query: 'q' });
  return {
    verdict,
    ...(dryRun ? { dryRun } : {}),
    against: 'baseline',
    windows: [
      {
        window: 'interval',
        verdict,
        reason: `scripted ${verdict}`,
        tests: [{ test: 'mann-whitney', alternative: 'canary worse', statistic: 15000, pvalue: 1e-9 }],
        effects: [{ measure: 'relative shift', value: 0.2, lower: 0.15, upper: 0.25, confidence: 0.99 }],
        baseline: cohort(100),
        canary: cohort(120),
      },
    ],
  };
}

function outcome(verdict: V, dryRun = false): MetricOutcome {
  return {
    name: 'latency',
    query: 'q',
    passed: dryRun || verdict !== 'fail',
    message: `latency ${verdict}${dryRun ? ' (dry run)' : ''} against baseline`,
    judge: { verdict, dryRun, evidence: evidence(verdict, dryRun) },
  };
}

/** A progressing canary (weight 10 after pre-rollout) whose judged metric answers from `script`. */
function world(script: V[], opts: { dryRun?: boolean; timeout?: string } = {}): World {
  const w = initializedWorld(
    makeCanary({
      analysis: {
        metrics: [
          {
            name: 'latency',
            query: 'q',
            judge: { kind: 'latency', ...(opts.dryRun ? { dryRun: true } : {}) },
          },
        ],
        ...(opts.timeout === undefined ? {} : { baseline: { inconclusiveTimeout: opts.timeout } }),
      },
    }),
  );
  let i = 0;
  w.metrics = () => [outcome(script[Math.min(i++, script.length - 1)] ?? 'pass', opts.dryRun)];
  w.deploy('rev-2');
  w.tick(); // Progressing
  w.tick(); // pre-rollout, weight 10
  return w;
}

function status(w: World): NonNullable<World['canary']['status']> {
  const s = w.canary.status;
  assert.ok(s);
  return s;
}
const condition = (w: World) => status(w).conditions?.find((c) => c.type === 'Inconclusive');
const reasons = (w: World) => w.events.map((e) => e.reason);

describe('core: judged metrics', () => {
  it('pass advances like a passing threshold metric; the check carries the evidence', () => {
    const w = world(['pass']);
    w.tick();
    assert.equal(status(w).canaryWeight, 20);
    const judge = status(w).checks?.at(-1)?.judge;
    assert.ok(judge);
    assert.equal(judge.verdict, 'pass');
    const [window] = judge.windows;
    assert.ok(window);
    assert.equal(window.tests?.[0]?.pvalue, 1e-9);
    assert.equal(window.effects?.[0]?.lower, 0.15);
  });

  it('fail counts a failed check and rolls back at the threshold', () => {
    const w = world(['fail']);
    w.tick();
    assert.deepEqual([status(w).canaryWeight, status(w).failedChecks], [10, 1]);
    assert.ok(reasons(w).includes('MetricCheckFailed'));
    w.runUntil((x) => x.phase === 'Failed', 5);
  });

  it('wait holds the weight without counting a failure, then continues', () => {
    const w = world(['wait', 'wait', 'pass']);
    w.tick();
    w.tick();
    assert.deepEqual([status(w).canaryWeight, status(w).failedChecks], [10, 0]);
    assert.ok(reasons(w).includes('JudgeWaiting'));
    w.tick();
    assert.equal(status(w).canaryWeight, 20);
  });

  it('inconclusive holds in Progressing with an Inconclusive condition, warns and alerts once, clears on pass', () => {
    const w = world(['inconclusive', 'inconclusive', 'pass']);
    w.tick();
    const since = condition(w)?.lastTransitionTime;
    assert.equal(w.phase, 'Progressing');
    assert.equal(status(w).canaryWeight, 10);
    assert.equal(condition(w)?.status, 'True');
    assert.equal(condition(w)?.reason, 'WaitingForDecision');
    w.tick();
    assert.equal(condition(w)?.lastTransitionTime, since); // the deadline does not move
    assert.equal(reasons(w).filter((r) => r === 'JudgeInconclusive').length, 1);
    assert.equal(w.alerts.filter((a) => a.message.includes('inconclusive')).length, 1);
    assert.equal(status(w).failedChecks, 0);
    w.tick();
    assert.equal(condition(w), undefined);
    assert.equal(status(w).canaryWeight, 20);
  });

  it('inconclusive past analysis.baseline.inconclusiveTimeout fails the run', () => {
    const w = world(['inconclusive'], { timeout: '3m' });
    w.tick(); // t0: hold
    w.tick(); // +1m
    w.tick(); // +2m
    assert.equal(w.phase, 'Progressing');
    w.tick(); // +3m: timeout
    assert.ok(reasons(w).includes('JudgeInconclusiveTimeout'));
    w.runUntil((x) => x.phase === 'Failed', 3);
    assert.equal(condition(w), undefined);
  });

  it('dry run: a failing verdict is recorded and never fails or holds the canary', () => {
    const w = world(['fail', 'inconclusive', 'wait'], { dryRun: true });
    w.tick();
    w.tick();
    w.tick();
    assert.equal(status(w).canaryWeight, 40);
    assert.equal(status(w).failedChecks, 0);
    assert.equal(condition(w), undefined);
    const dry = status(w).checks?.filter((c) => c.judge?.dryRun === true) ?? [];
    assert.deepEqual(
      dry.map((c) => c.judge?.verdict),
      ['fail', 'inconclusive', 'wait'],
    );
  });
});

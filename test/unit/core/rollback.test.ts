import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hook, makeCanary, notReady, progressing, snap } from './fixtures.js';
import { alertsOf, decisionOf, events, kinds, reasons, routesSet } from './helpers.js';
import { initializedWorld } from './world.js';

const failingMetric = {
  name: 'request-success-rate',
  value: 80,
  min: 99,
  passed: false,
  message: 'Halt advancement podinfo.test request-success-rate 80.00 < 99',
};

describe('failed checks and the threshold (§2.9)', () => {
  it("failedChecks at the threshold rolls back at the start of the tick, with Flagger's texts", () => {
    const c = makeCanary({ status: progressing({ canaryWeight: 20, failedChecks: 2 }) });
    const d = decisionOf(snap(c, { routes: { primary: 80, canary: 20, mirrored: false } }));
    assert.deepEqual(events(d), [
      'Rolling back podinfo.test failed checks threshold reached 2',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.deepEqual(
      alertsOf(d).map((a) => [a.severity, a.message]),
      [['error', 'Failed checks threshold reached 2']],
    );
    assert.deepEqual(routesSet(d), [{ primary: 100, canary: 0, mirrored: false }]);
    assert.ok(kinds(d).includes('scaleTargetToZero'));
    assert.ok(d.effects.some((e) => e.kind === 'callHooks' && e.phase === 'Failed'));
    assert.ok(d.effects.some((e) => e.kind === 'recordMetric' && e.record.metric === 'failures'));
    assert.deepEqual(
      [d.status.phase, d.status.canaryWeight, d.status.failedChecks, d.status.iterations],
      ['Failed', 0, 0, 0],
    );
    assert.equal(d.status.conditions?.[0]?.message, 'Canary analysis failed, Deployment scaled to zero.');
    assert.equal(d.requeueAfterMs, null);
    const failedEvent = d.effects.find((e) => e.kind === 'emitEvent' && e.reason === 'CanaryFailed');
    assert.equal(failedEvent?.kind === 'emitEvent' ? failedEvent.phase : '', 'Failed');
  });

  it('below the threshold the analysis runs and a failing metric adds one failed check', () => {
    const c = makeCanary({
      analysis: { metrics: [{ name: 'request-success-rate' }] },
      status: progressing({ canaryWeight: 10, failedChecks: 1 }),
    });
    const d = decisionOf(
      snap(c, {
        routes: { primary: 90, canary: 10, mirrored: false },
        results: { metrics: { kind: 'metrics', outcomes: [failingMetric] } },
      }),
    );
    assert.equal(d.status.failedChecks, 2);
    assert.equal(d.status.phase, 'Progressing');
    assert.deepEqual(reasons(d), ['MetricCheckFailed']);
    assert.ok(!kinds(d).includes('setRoutes'), 'no advance after a failed check');
    assert.equal(d.status.checks?.at(-1)?.passed, false);
    assert.equal(d.status.checks.at(-1)?.value, 80);
  });

  it('a world run with a failing metric rolls back after `threshold` failures (TestScheduler_DeploymentRollback)', () => {
    const w = initializedWorld(
      makeCanary({ analysis: { threshold: 2, metrics: [{ name: 'request-success-rate' }] } }),
    );
    w.deploy('rev-2');
    w.tick(); // Progressing
    w.tick(); // pre-rollout + 90/10
    w.metrics = () => [failingMetric];
    w.runUntil((x) => x.phase === 'Failed', 5);
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.equal(w.target?.replicas, 0);
    assert.equal(w.primary?.specHash, 'rev-1', 'the primary keeps the old revision');
  });

  it('a failing rollout hook counts as a failed check and stops before the metrics', () => {
    const c = makeCanary({
      analysis: {
        metrics: [{ name: 'request-success-rate' }],
        webhooks: [hook('load', 'rollout'), hook('acceptance', '')],
      },
      status: progressing({ canaryWeight: 10 }),
    });
    const d = decisionOf(
      snap(c, {
        routes: { primary: 90, canary: 10, mirrored: false },
        results: { 'webhook:rollout:load': { kind: 'webhook', ok: false, message: 'status 500' } },
      }),
    );
    assert.equal(d.status.failedChecks, 1);
    assert.deepEqual(events(d), ['Halt podinfo.test advancement external check load failed status 500']);
  });

  it('no-data and query errors are reported distinctly', () => {
    const c = makeCanary({
      analysis: { metrics: [{ name: 'a' }, { name: 'b' }] },
      status: progressing({ canaryWeight: 10 }),
    });
    const routes = { primary: 90, canary: 10, mirrored: false };
    const noData = decisionOf(
      snap(c, {
        routes,
        results: {
          metrics: {
            kind: 'metrics',
            outcomes: [{ name: 'a', passed: false, failureKind: 'no-data', message: 'no values found' }],
          },
        },
      }),
    );
    assert.deepEqual(reasons(noData), ['MetricNoData']);
    const error = decisionOf(
      snap(c, {
        routes,
        results: {
          metrics: {
            kind: 'metrics',
            outcomes: [
              { name: 'a', passed: true, message: '' },
              { name: 'b', passed: false, failureKind: 'error', message: 'Metric query failed for b' },
            ],
          },
        },
      }),
    );
    assert.deepEqual(reasons(error), ['MetricQueryFailed']);
    assert.equal(error.status.checks?.length, 2);
  });
});

describe('rollback webhooks', () => {
  const c = makeCanary({
    analysis: { webhooks: [hook('abort', 'rollback'), hook('abort-2', 'rollback')] },
    status: progressing({ canaryWeight: 10 }),
  });
  const routes = { primary: 90, canary: 10, mirrored: false };

  it('are asked on every analysis tick, with the current phase in the payload', () => {
    const d = decisionOf(
      snap(c, {
        routes,
        results: {
          'webhook:rollback:abort': { kind: 'webhook', ok: false, message: '' },
          'webhook:rollback:abort-2': { kind: 'webhook', ok: false, message: '' },
        },
      }),
    );
    assert.deepEqual(events(d).slice(0, 2), [
      'Rollback hook abort not signaling a rollback',
      'Rollback hook abort-2 not signaling a rollback',
    ]);
    assert.equal(d.status.phase, 'Progressing');
  });

  it('a 2xx answer rolls back with the manual-rollback event and alert', () => {
    const d = decisionOf(
      snap(c, { routes, results: { 'webhook:rollback:abort': { kind: 'webhook', ok: true, message: '' } } }),
    );
    assert.deepEqual(events(d), [
      'Rollback check abort passed',
      'Rolling back podinfo.test manual webhook invoked',
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.deepEqual(
      alertsOf(d).map((a) => [a.severity, a.message]),
      [['warn', 'Rolling back manual webhook invoked']],
    );
    assert.equal(d.status.phase, 'Failed');
  });
});

describe('primary fails during promotion (§2.10)', () => {
  for (const phase of ['Promoting', 'Finalising'] as const) {
    it(`in ${phase}: traffic back to the canary, canary kept, Failed with weight 100`, () => {
      const c = makeCanary({ status: progressing({ phase, canaryWeight: 50 }) });
      const d = decisionOf(
        snap(c, {
          primary: notReady('rev-2', false, 'deployment "podinfo-primary" exceeded its progress deadline'),
          routes:
            phase === 'Promoting'
              ? { primary: 50, canary: 50, mirrored: false }
              : { primary: 100, canary: 0, mirrored: false },
        }),
      );
      assert.deepEqual(routesSet(d), [{ primary: 0, canary: 100, mirrored: false }]);
      assert.ok(!kinds(d).includes('scaleTargetToZero'), 'the canary is the only healthy copy');
      assert.equal(d.status.phase, 'Failed');
      assert.equal(d.status.canaryWeight, 100);
      assert.deepEqual(events(d), [
        'Promotion of podinfo.test failed, primary not ready: deployment "podinfo-primary" exceeded its progress deadline',
      ]);
      assert.equal(
        alertsOf(d)[0]?.message,
        'Promotion failed, primary not ready: deployment "podinfo-primary" exceeded its progress deadline',
      );
      assert.ok(d.effects.some((e) => e.kind === 'callHooks' && e.phase === 'Failed'));
    });
  }
});

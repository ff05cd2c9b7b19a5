// The progressive canary strategy end to end, as Flagger's scheduler tests run it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hook, makeCanary } from './fixtures.js';
import { initializedWorld } from './world.js';

describe('canary strategy, tick by tick', () => {
  it("stepWeight 100 + stepWeightPromotion 50 gives Flagger's phase/weight sequence", () => {
    const w = initializedWorld(
      makeCanary({ analysis: { stepWeight: 100, maxWeight: undefined, stepWeightPromotion: 50 } }),
    );
    w.deploy('rev-2');
    for (let i = 0; i < 6; i++) w.tick();
    assert.deepEqual(w.history.slice(w.history.findIndex((h) => h.phase === 'Initialized')), [
      { phase: 'Initialized', weight: 0 },
      { phase: 'Progressing', weight: 0 },
      { phase: 'Progressing', weight: 100 },
      { phase: 'Promoting', weight: 100 },
      { phase: 'Promoting', weight: 50 },
      { phase: 'Finalising', weight: 0 },
      { phase: 'Succeeded', weight: 0 },
    ]);
    assert.equal(w.primary?.specHash, 'rev-2', 'the primary runs the new revision');
    assert.equal(w.target?.replicas, 0, 'the target is scaled down');
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.equal(w.canary.status?.lastPromotedSpec, 'rev-2');
    assert.equal(w.last?.requeueAfterMs, null, 'idle after Succeeded');
  });

  it("emits Flagger's reference event order (events_test.go)", () => {
    const c = makeCanary({
      analysis: {
        stepWeight: 100,
        maxWeight: undefined,
        stepWeightPromotion: 50,
        metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }],
        webhooks: [
          hook('gate', 'confirm-rollout'),
          hook('pre', 'pre-rollout'),
          hook('traffic', 'confirm-traffic-increase'),
          hook('promotion', 'confirm-promotion'),
          hook('post', 'post-rollout'),
        ],
      },
    });
    const w = initializedWorld(c);
    const start = w.events.length;
    w.deploy('rev-2');
    for (let i = 0; i < 6; i++) w.tick();
    assert.deepEqual(w.eventMessages().slice(start), [
      'Confirm-rollout check gate passed',
      'New revision detected! Scaling up podinfo.test',
      'Starting canary analysis for podinfo.test',
      'Pre-rollout check pre passed',
      'Confirm-traffic-increase check traffic passed',
      'Advance podinfo.test canary weight 100',
      'Confirm-traffic-increase check traffic passed',
      'Confirm-promotion check promotion passed',
      'Copying podinfo.test template spec to podinfo-primary.test',
      'Advance podinfo.test primary weight 50',
      'Advance podinfo.test primary weight 100',
      'Promotion completed! Scaling down podinfo.test',
    ]);
    const newRevision = w.events.find((e) => e.reason === 'NewRevision');
    assert.equal(newRevision?.phase, 'Progressing', 'event webhooks see the new phase');
    assert.ok(w.effects.some((e) => e.kind === 'callHooks' && e.phase === 'Succeeded'));
  });

  it('stepWeight 20 / maxWeight 50 advances 20, 40, 60 then promotes all at once', () => {
    const w = initializedWorld(makeCanary({ analysis: { stepWeight: 20, maxWeight: 50 } }));
    const seen = w.transitions.length;
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Succeeded');
    const weights = w.history.filter((h) => h.phase === 'Progressing').map((h) => h.weight);
    assert.deepEqual([...new Set(weights)], [0, 20, 40, 60]);
    assert.ok(w.eventMessages().includes('Routing all traffic to primary'));
    assert.deepEqual(
      w.transitions.slice(seen).map(([, to]) => to),
      ['Progressing', 'Promoting', 'Finalising', 'Succeeded'],
    );
  });

  it('records successes with the strategy and the status gauge', () => {
    const w = initializedWorld(makeCanary({ analysis: { stepWeight: 50, maxWeight: 100 } }));
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Succeeded');
    const counters = w.effects.filter((e) => e.kind === 'recordMetric' && e.record.metric === 'successes');
    assert.deepEqual(counters, [
      {
        kind: 'recordMetric',
        record: { metric: 'successes', deploymentStrategy: 'canary', analysisStatus: 'completed' },
      },
    ]);
    assert.ok(
      w.alerts.some((a) => a.message === 'Canary analysis completed successfully, promotion finished.'),
    );
  });

  it('mirror: the first analysis tick mirrors at 100/0, the next shifts to 90/10 unmirrored', () => {
    const w = initializedWorld(makeCanary({ analysis: { stepWeight: 10, mirror: true } }));
    w.deploy('rev-2');
    w.tick(); // Progressing
    w.tick();
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: true });
    w.tick();
    assert.deepEqual(w.routes, { primary: 90, canary: 10, mirrored: false });
    assert.equal(w.canary.status?.canaryWeight, 10);
  });

  it('a promotion in Promoting with no canary weight left finishes instead of idling forever', () => {
    const w = initializedWorld(
      makeCanary({ analysis: { stepWeight: 100, maxWeight: undefined, stepWeightPromotion: 20 } }),
    );
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Promoting');
    w.routes = { primary: 100, canary: 0, mirrored: false };
    w.tick();
    assert.equal(w.phase, 'Finalising');
  });

  it('config changes mid-run restart the analysis, and the run then completes (TestScheduler_DeploymentPromotion)', () => {
    const w = initializedWorld(makeCanary(), {
      configs: { 'configmap/podinfo-config-env': 'a', 'secret/podinfo-secret-env': 'b' },
    });
    w.deploy('rev-2');
    w.tick();
    w.tick();
    assert.equal(w.canary.status?.canaryWeight, 10);
    w.configs = { 'configmap/podinfo-config-env': 'a2', 'secret/podinfo-secret-env': 'b2' };
    w.tick();
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.deepEqual(w.canary.status.trackedConfigs, w.configs);
    w.routes = { primary: 60, canary: 40, mirrored: false };
    w.tick();
    assert.equal(w.phase, 'Progressing');
    w.tick();
    assert.equal(w.phase, 'Promoting');
    w.tick();
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.equal(w.phase, 'Finalising');
    w.tick();
    assert.equal(w.phase, 'Succeeded');
  });
});

/** Read through a function: TypeScript would keep narrowing from the assignments above. */
const observe = (w: ReturnType<typeof initializedWorld>) => ({
  routed: w.routes?.canary,
  weight: w.canary.status?.canaryWeight,
  failedChecks: w.canary.status?.failedChecks,
});

describe('canary strategy after a lost status write', () => {
  it('status.canaryWeight follows the live routes when the write that recorded a step was lost', () => {
    const w = initializedWorld(
      makeCanary({
        analysis: {
          stepWeight: 20,
          maxWeight: 60,
          threshold: 5,
          metrics: [{ name: 'request-success-rate', thresholdRange: { min: 99 } }],
        },
      }),
    );
    w.deploy('rev-2');
    w.tick(); // Progressing at 0
    w.tick(); // weight 20
    const beforeStep = w.canary.status;
    w.tick(); // weight 40: routes written ...
    assert.equal(w.routes?.canary, 40);
    w.canary = { ...w.canary, status: beforeStep }; // ... but the status patch never landed
    assert.equal(w.canary.status?.canaryWeight, 20);
    // The restarted operator's next check fails, so it does not advance: the status must
    // still say what the router does.
    w.metrics = (req) => req.metrics.map((m) => ({ name: m.name, value: 50, passed: false, message: '' }));
    w.now += 120_000;
    w.tick();
    assert.deepEqual(observe(w), { routed: 40, weight: 40, failedChecks: 1 });
  });
});

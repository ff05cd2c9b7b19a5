import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hook, initialized, makeCanary, notReady, progressing, snap } from './fixtures.js';
import { alertsOf, decisionOf, events, kinds, requestOf } from './helpers.js';
import { initializedWorld } from './world.js';

describe('skipAnalysis (§2.11)', () => {
  it('a new revision still passes confirm-rollout, then promotes without analysis (TestScheduler_DeploymentSkipAnalysis)', () => {
    const w = initializedWorld(
      makeCanary({
        spec: { skipAnalysis: true },
        analysis: {
          metrics: [{ name: 'request-success-rate' }],
          webhooks: [hook('gate', 'confirm-rollout'), hook('smoke', 'pre-rollout')],
        },
      }),
    );
    const start = w.events.length;
    w.deploy('rev-2');
    w.tick();
    assert.equal(w.phase, 'Progressing');
    w.tick();
    assert.equal(w.phase, 'Succeeded');
    assert.deepEqual(w.eventMessages().slice(start), [
      'Confirm-rollout check gate passed',
      'New revision detected! Scaling up podinfo.test',
      'Copying podinfo.test template spec to podinfo-primary.test',
      'Promotion completed! Canary analysis was skipped for podinfo.test',
    ]);
    assert.ok(!w.requests.some((r) => r.kind === 'metrics' || r.id.includes('pre-rollout')), 'no checks');
    assert.equal(w.primary?.specHash, 'rev-2');
    assert.equal(w.target?.replicas, 0);
    assert.equal(w.alerts.at(-1)?.message, 'Canary analysis was skipped, promotion finished.');
    assert.ok(
      w.effects.some(
        (e) =>
          e.kind === 'recordMetric' &&
          e.record.metric === 'successes' &&
          e.record.analysisStatus === 'skipped',
      ),
    );
    assert.ok(w.effects.some((e) => e.kind === 'callHooks' && e.phase === 'Succeeded'));
  });

  it('set mid-run, it promotes on the next tick', () => {
    const c = makeCanary({ spec: { skipAnalysis: true }, status: progressing({ canaryWeight: 20 }) });
    const d = decisionOf(snap(c, { routes: { primary: 80, canary: 20, mirrored: false } }));
    assert.equal(d.status.phase, 'Succeeded');
    assert.deepEqual(
      d.effects.find((e) => e.kind === 'setRoutes'),
      { kind: 'setRoutes', routes: { primary: 100, canary: 0, mirrored: false } },
    );
  });

  it("does not check the primary's readiness", () => {
    const c = makeCanary({ spec: { skipAnalysis: true }, status: progressing() });
    const d = decisionOf(snap(c, { primary: notReady('rev-1', true) }));
    assert.equal(d.status.phase, 'Succeeded');
  });

  it('an unready canary past its deadline is still rolled back', () => {
    const c = makeCanary({ spec: { skipAnalysis: true }, status: progressing() });
    const d = decisionOf(snap(c, { target: notReady('rev-2', false) }));
    assert.equal(d.status.phase, 'Failed');
  });
});

describe('suspend (§2.14)', () => {
  it('does nothing but an Info event, whatever the phase', () => {
    const c = makeCanary({ spec: { suspend: true }, status: progressing({ canaryWeight: 30 }) });
    const d = decisionOf(snap(c, { routes: { primary: 70, canary: 30, mirrored: false } }));
    assert.deepEqual(d.effects, [
      {
        kind: 'emitEvent',
        type: 'Normal',
        reason: 'Suspended',
        message: 'skipping canary run as object is suspended',
        phase: 'Progressing',
      },
    ]);
    assert.equal(d.status, c.status, 'status untouched');
    assert.equal(d.requeueAfterMs, null, 'unsuspending is a spec change, which triggers a reconcile');
  });

  it('unsuspending resumes from the stored phase', () => {
    const w = initializedWorld(makeCanary());
    w.deploy('rev-2');
    w.tick();
    w.tick();
    w.setCanary((c) => ({ ...c, spec: { ...c.spec, suspend: true } }));
    w.tick();
    w.tick();
    assert.equal(w.canary.status?.canaryWeight, 10);
    w.setCanary((c) => ({ ...c, spec: { ...c.spec, suspend: false } }));
    w.tick();
    assert.equal(w.canary.status.canaryWeight, 20);
  });
});

describe('deletion and invalid specs', () => {
  it('a canary being deleted is left to the finalizer', () => {
    const c = makeCanary({ status: progressing() });
    c.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
    const d = decisionOf(snap(c));
    assert.deepEqual(d.effects, []);
    assert.equal(d.status, c.status);
  });

  it('Terminating is never touched', () => {
    const d = decisionOf(snap(makeCanary({ status: { phase: 'Terminating' } })));
    assert.deepEqual(d.effects, []);
  });

  it('mirror on a router that cannot mirror is an InvalidSpec condition, not an endless mirror step', () => {
    const c = makeCanary({ analysis: { mirror: true }, status: progressing() });
    const d = decisionOf(
      snap(c, {
        capabilities: { mirror: false, weightedRouting: true, sessionAffinity: true, reconcileFirst: false },
      }),
    );
    const validated = d.status.conditions?.find((x) => x.type === 'Validated');
    assert.equal(validated?.status, 'False');
    assert.equal(validated.reason, 'InvalidSpec');
    assert.match(validated.message, /^spec\.analysis\.mirror: provider istio cannot mirror traffic/);
    assert.deepEqual(kinds(d), ['emitEvent']);
    assert.equal(d.requeueAfterMs, null);
    // the event is not repeated while the problem stays, and the condition goes once fixed
    const again = decisionOf(
      snap(makeCanary({ analysis: { mirror: true }, status: d.status }), {
        capabilities: { mirror: false, weightedRouting: true, sessionAffinity: true, reconcileFirst: false },
      }),
    );
    assert.deepEqual(events(again), []);
    const fixed = decisionOf(snap(makeCanary({ status: d.status })));
    assert.equal(
      fixed.status.conditions?.find((x) => x.type === 'Validated'),
      undefined,
    );
  });

  it('a canary strategy without any step is invalid', () => {
    const c = makeCanary({ analysis: { stepWeight: undefined }, status: initialized() });
    const d = decisionOf(snap(c));
    assert.match(d.status.conditions?.find((x) => x.type === 'Validated')?.message ?? '', /stepWeight/);
  });

  it('a missing target is reported and retried every interval', () => {
    const d = decisionOf(snap(makeCanary(), { target: undefined }));
    assert.deepEqual(events(d), ['Deployment podinfo.test not found']);
    assert.equal(d.requeueAfterMs, 60_000);
    assert.deepEqual(alertsOf(d), []);
  });

  it('requests are not made for a suspended canary', () => {
    const c = makeCanary({
      spec: { suspend: true },
      analysis: { webhooks: [hook('x', 'pre-rollout')] },
      status: progressing(),
    });
    assert.throws(() => requestOf(snap(c)));
  });
});

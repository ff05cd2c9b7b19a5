import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeCanary, notReady, progressing, snap } from './fixtures.js';
import { alertsOf, decisionOf, events, kinds } from './helpers.js';

const deadline = 'deployment "podinfo" exceeded its progress deadline';

describe('readiness and the progress deadline', () => {
  it('a canary still rolling out: warning and a short requeue, no analysis, no interval stamp', () => {
    const c = makeCanary({ status: progressing({ canaryWeight: 10 }) });
    const d = decisionOf(
      snap(c, {
        target: notReady(
          'rev-2',
          true,
          'waiting for rollout to finish: 1 of 2 updated replicas are available',
        ),
      }),
    );
    assert.deepEqual(events(d), [
      'podinfo.test not ready: waiting for rollout to finish: 1 of 2 updated replicas are available',
    ]);
    assert.equal(d.requeueAfterMs, 5_000);
    assert.equal(d.status.lastAnalysisTime, undefined);
    assert.equal(d.status.phase, 'Progressing');
  });

  it('a canary past its deadline is rolled back, and says so (Flagger does not)', () => {
    const c = makeCanary({ status: progressing({ canaryWeight: 10 }) });
    const d = decisionOf(
      snap(c, {
        target: notReady('rev-2', false, deadline),
        routes: { primary: 90, canary: 10, mirrored: false },
      }),
    );
    assert.equal(d.status.phase, 'Failed');
    assert.deepEqual(events(d), [
      `Rolling back podinfo.test progress deadline exceeded podinfo.test not ready: ${deadline}`,
      'Canary failed! Scaling down podinfo.test',
    ]);
    assert.deepEqual(
      alertsOf(d).map((a) => [a.severity, a.message]),
      [['error', `Progress deadline exceeded podinfo.test not ready: ${deadline}`]],
    );
    assert.ok(kinds(d).includes('scaleTargetToZero'));
  });

  it('a primary still rolling out during the analysis waits', () => {
    const c = makeCanary({ status: progressing() });
    const d = decisionOf(snap(c, { primary: notReady('rev-1', true, 'waiting') }));
    assert.deepEqual(events(d), ['podinfo-primary.test not ready: waiting']);
    assert.equal(d.requeueAfterMs, 5_000);
  });

  it('a broken primary outside promotion rolls back', () => {
    const c = makeCanary({ status: progressing() });
    const d = decisionOf(snap(c, { primary: notReady('rev-1', false, 'broken') }));
    assert.equal(d.status.phase, 'Failed');
  });

  it('a primary that disappeared is recreated and waited for', () => {
    const c = makeCanary({ status: progressing() });
    const d = decisionOf(snap(c, { primary: undefined }));
    assert.deepEqual(kinds(d), ['ensurePrimary', 'ensureServices', 'reconcileRouter']);
    assert.equal(d.status.phase, 'Progressing');
  });

  it('routes that cannot be read yet are waited for', () => {
    const c = makeCanary({ status: progressing() });
    const d = decisionOf(snap(c, { routes: undefined }));
    assert.equal(d.requeueAfterMs, 5_000);
    assert.equal(d.status.phase, 'Progressing');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hasTargetChanged, haveConfigsChanged } from '../../../src/core/analysis.js';
import { draftOf } from '../../../src/core/status.js';
import { initialized, makeCanary, notReady, progressing, ready, snap } from './fixtures.js';
import { alertsOf, decisionOf, events, kinds, routesSet } from './helpers.js';
import { initializedWorld } from './world.js';

describe('change detection (§2.3)', () => {
  const cases: { name: string; applied?: string; promoted?: string; hash: string; want: boolean }[] = [
    { name: 'no lastAppliedSpec is always a change', hash: 'a', want: true },
    { name: 'same as applied: no change', applied: 'a', promoted: 'a', hash: 'a', want: false },
    { name: 'new hash: change', applied: 'a', promoted: 'a', hash: 'b', want: true },
    {
      name: 'back to the promoted spec: no change (manual rollback)',
      applied: 'b',
      promoted: 'a',
      hash: 'a',
      want: false,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const status = draftOf({
        ...(c.applied ? { lastAppliedSpec: c.applied } : {}),
        ...(c.promoted ? { lastPromotedSpec: c.promoted } : {}),
      });
      assert.equal(hasTargetChanged(status, ready(c.hash)), c.want);
    });
  }
  const configCases: [
    string,
    Record<string, string> | undefined,
    Record<string, string> | undefined,
    boolean,
  ][] = [
    ['tracking off', { 'configmap/a': '1' }, undefined, false],
    ['nothing tracked, nothing referenced', undefined, {}, false],
    ['a new reference', { 'configmap/a': '1' }, { 'configmap/a': '1', 'secret/b': '2' }, true],
    ['a changed checksum', { 'configmap/a': '1' }, { 'configmap/a': '2' }, true],
    ['unchanged', { 'configmap/a': '1' }, { 'configmap/a': '1' }, false],
  ];
  for (const [name, tracked, current, want] of configCases) {
    it(`configs: ${name}`, () => {
      assert.equal(haveConfigsChanged(tracked, current), want);
    });
  }
});

describe('new revision', () => {
  it('is scaled up and moves to Progressing with counters zeroed; analysis starts next tick', () => {
    const c = makeCanary({ status: initialized('rev-1', { failedChecks: 1, canaryWeight: 0 }) });
    const d = decisionOf(snap(c, { target: ready('rev-2') }));
    assert.deepEqual(events(d), ['New revision detected! Scaling up podinfo.test']);
    assert.ok(kinds(d).includes('scaleTargetFromZero'));
    assert.equal(alertsOf(d)[0]?.message, 'New revision detected, progressing canary analysis.');
    assert.equal(d.status.phase, 'Progressing');
    assert.equal(d.status.failedChecks, 0);
    assert.equal(d.status.lastAppliedSpec, 'rev-2');
    assert.equal(d.status.lastPromotedSpec, 'rev-1');
    assert.equal(d.requeueAfterMs, 60_000);
    assert.ok(!kinds(d).includes('setRoutes'), 'no traffic moves on the detection tick');
  });

  it('nothing happens while the target is unchanged (idle, await watch events)', () => {
    const d = decisionOf(snap(makeCanary({ status: initialized('rev-2') }), { target: ready('rev-2') }));
    assert.equal(d.status.phase, 'Initialized');
    assert.deepEqual(kinds(d), ['ensureServices', 'reconcileRouter']);
    assert.equal(d.requeueAfterMs, null);
  });

  it('a config change alone is a new revision', () => {
    const c = makeCanary({
      status: initialized('rev-2', { trackedConfigs: { 'configmap/podinfo': 'aaa' } }),
    });
    const d = decisionOf(snap(c, { configs: { 'configmap/podinfo': 'bbb' } }));
    assert.equal(d.status.phase, 'Progressing');
    assert.deepEqual(d.status.trackedConfigs, { 'configmap/podinfo': 'bbb' });
  });

  it('a change mid-analysis restarts it: routes 100/0 and counters reset', () => {
    const w = initializedWorld(makeCanary());
    w.deploy('rev-2');
    w.tick();
    w.tick();
    assert.deepEqual(w.routes, { primary: 90, canary: 10, mirrored: false });
    w.deploy('rev-3');
    const d = w.tick();
    assert.deepEqual(routesSet(d), [{ primary: 100, canary: 0, mirrored: false }]);
    assert.deepEqual(events(d), ['New revision detected! Restarting analysis for podinfo.test']);
    assert.equal(w.canary.status?.phase, 'Progressing');
    assert.equal(w.canary.status.canaryWeight, 0);
    assert.equal(w.canary.status.lastAppliedSpec, 'rev-3');
  });

  it('a restart also leaves WaitingPromotion', () => {
    const c = makeCanary({ status: progressing({ phase: 'WaitingPromotion', canaryWeight: 50 }) });
    const d = decisionOf(
      snap(c, { target: ready('rev-3'), routes: { primary: 50, canary: 50, mirrored: false } }),
    );
    assert.equal(d.status.phase, 'Progressing');
    assert.equal(d.status.canaryWeight, 0);
  });

  it('after a failure, re-applying the failed version is not a new run but a new change is', () => {
    const failed = makeCanary({ status: { ...progressing(), phase: 'Failed', lastAppliedSpec: 'rev-2' } });
    assert.equal(decisionOf(snap(failed, { target: ready('rev-2') })).status.phase, 'Failed');
    assert.equal(decisionOf(snap(failed, { target: ready('rev-3') })).status.phase, 'Progressing');
  });

  it('reverting a failed target to the primary spec syncs lastAppliedSpec without a run', () => {
    const failed = makeCanary({ status: { ...progressing(), phase: 'Failed', lastAppliedSpec: 'rev-2' } });
    const d = decisionOf(snap(failed, { target: ready('rev-1') }));
    assert.equal(d.status.phase, 'Failed');
    assert.equal(d.status.lastAppliedSpec, 'rev-1');
    // so that re-applying rev-2 later is seen as a new revision
    const again = makeCanary({ status: d.status });
    assert.equal(decisionOf(snap(again, { target: ready('rev-2') })).status.phase, 'Progressing');
  });

  it('after a failure, a new revision met by a primary not ready yet is still run on a later tick', () => {
    // Found by test/integration/reliability/conflict-storm.test.ts: the tick that saw the new
    // revision stopped at the primary's readiness but recorded it as applied, so the canary
    // stayed Failed and the new revision was never analysed.
    const failed = makeCanary({ status: { ...progressing(), phase: 'Failed', lastAppliedSpec: 'rev-2' } });
    const waiting = decisionOf(snap(failed, { target: ready('rev-3'), primary: notReady('rev-1', true) }));
    assert.equal(waiting.status.phase, 'Failed');
    assert.equal(waiting.status.lastAppliedSpec, 'rev-2');
    const later = makeCanary({ status: waiting.status });
    const d = decisionOf(snap(later, { target: ready('rev-3') }));
    assert.equal(d.status.phase, 'Progressing');
    assert.equal(d.status.lastAppliedSpec, 'rev-3');
  });
});

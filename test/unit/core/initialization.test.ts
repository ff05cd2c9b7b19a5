import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decide } from '../../../src/core/decide.js';
import { MINUTE, T0, makeCanary, notReady, ready, snap } from './fixtures.js';
import { alertsOf, decisionOf, events, kinds, reasons, requestOf } from './helpers.js';

const fresh = makeCanary();

describe('initialization', () => {
  it('first tick creates the primary and waits for it (Initializing, short requeue)', () => {
    const d = decisionOf(snap(fresh, { primary: undefined, routes: undefined, target: ready('rev-1') }));
    assert.deepEqual(kinds(d), ['ensurePrimary']);
    assert.equal(d.status.phase, 'Initializing');
    assert.equal(d.requeueAfterMs, 5_000);
    assert.equal(d.status.conditions?.[0]?.message, 'New Deployment detected, starting initialization.');
  });

  it('a primary still rolling out gives a warning naming it and keeps waiting', () => {
    const d = decisionOf(
      snap(fresh, {
        primary: notReady(
          'rev-1',
          true,
          'waiting for rollout to finish: 0 out of 1 new replicas have been updated',
        ),
      }),
    );
    assert.deepEqual(events(d), [
      'podinfo-primary.test not ready: waiting for rollout to finish: 0 out of 1 new replicas have been updated',
    ]);
    assert.equal(d.status.phase, 'Initializing');
    assert.ok(!kinds(d).includes('ensureServices'), 'the apex must not point at a primary that is not ready');
  });

  it('a ready primary completes initialization: services, router, target to zero, Initialized', () => {
    const d = decisionOf(snap(fresh, { target: ready('rev-1'), routes: undefined }));
    assert.deepEqual(kinds(d), [
      'ensureServices',
      'reconcileRouter',
      'scaleTargetToZero',
      'emitEvent',
      'alert',
    ]);
    assert.equal(d.status.phase, 'Initialized');
    assert.equal(d.status.lastAppliedSpec, 'rev-1');
    assert.equal(d.status.lastPromotedSpec, 'rev-1');
    assert.deepEqual(events(d), ['Initialization done! podinfo.test']);
    const [alert] = alertsOf(d);
    assert.equal(alert?.message, 'New Deployment detected, initialization completed.');
    assert.equal(alert.severity, 'info');
    assert.deepEqual(alert.fields, [
      { name: 'Target', value: 'Deployment/podinfo.test' },
      { name: 'Failed checks threshold', value: '2' },
      { name: 'Progress deadline', value: '600s' },
      { name: 'Traffic routing', value: 'Weight step: 10 max: 50' },
    ]);
    assert.equal(d.requeueAfterMs, null, 'idle until a new revision');
    assert.equal(d.status.conditions?.[0]?.status, 'True');
    assert.equal(d.status.observedGeneration, 1);
  });

  it('the cluster name is added to every alert', () => {
    const s = snap(fresh, { target: ready('rev-1') });
    const d = decisionOf({ ...s, options: { ...s.options, clusterName: 'eu-1' } });
    assert.deepEqual(alertsOf(d)[0]?.fields[0], { name: 'Cluster', value: 'eu-1' });
  });

  it('skipAnalysis initializes in one tick without waiting for the primary', () => {
    const c = makeCanary({ spec: { skipAnalysis: true } });
    const d = decisionOf(snap(c, { primary: undefined, routes: undefined, target: ready('rev-1') }));
    assert.deepEqual(kinds(d).slice(0, 4), [
      'ensurePrimary',
      'ensureServices',
      'reconcileRouter',
      'scaleTargetToZero',
    ]);
    assert.equal(d.status.phase, 'Initialized');
  });

  it('a router that must come first (App Mesh) is reconciled before the primary so pods get the sidecar', () => {
    const c = makeCanary({ spec: { provider: 'appmesh:v1beta2', skipAnalysis: true } });
    const capabilities = {
      mirror: false,
      weightedRouting: true,
      sessionAffinity: true,
      reconcileFirst: true,
    };
    const d = decisionOf(snap(c, { primary: undefined, routes: undefined, capabilities }));
    assert.deepEqual(kinds(d).slice(0, 3), ['reconcileRouter', 'ensurePrimary', 'ensureServices']);
  });

  it('metric providers are checked while initializing, and only then', () => {
    const c = makeCanary({ analysis: { metrics: [{ name: 'request-success-rate' }] } });
    assert.deepEqual(requestOf(snap(c)), { id: 'providers', kind: 'providers' });
    const ok = decisionOf(
      snap(c, {
        target: ready('rev-1'),
        results: { providers: { kind: 'providers', ok: true, message: '' } },
      }),
    );
    assert.equal(events(ok)[0], 'all the metrics providers are available!');
    const bad = decisionOf(
      snap(c, { results: { providers: { kind: 'providers', ok: false, message: 'timeout' } } }),
    );
    assert.equal(reasons(bad)[0], 'MetricProvidersUnavailable');
    assert.equal(bad.status.phase, 'Initialized', 'availability is reported, it does not block');
    const later = makeCanary({
      analysis: { metrics: [{ name: 'request-success-rate' }] },
      status: { phase: 'Initialized', lastAppliedSpec: 'rev-2', lastPromotedSpec: 'rev-2' },
    });
    assert.equal(decide(snap(later)).kind, 'decision', 'no provider check after initialization');
  });

  it('a primary past its progress deadline during initialization fails the canary', () => {
    const d = decisionOf(
      snap(fresh, {
        primary: notReady('rev-1', false, 'deployment "podinfo-primary" exceeded its progress deadline'),
        routes: undefined,
      }),
    );
    assert.equal(d.status.phase, 'Failed');
    assert.ok(reasons(d).includes('ProgressDeadlineExceeded'));
    assert.ok(!kinds(d).includes('setRoutes'), 'no router yet, nothing to reset');
  });

  it('initialization is not rate limited by the analysis interval', () => {
    const c = makeCanary({ status: { phase: 'Initializing', lastAnalysisTime: new Date(T0).toISOString() } });
    const d = decisionOf(snap(c, { now: T0 + MINUTE / 10, target: ready('rev-1') }));
    assert.equal(d.status.phase, 'Initialized');
  });
});

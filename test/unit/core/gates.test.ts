import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hook, initialized, makeCanary, progressing, snap } from './fixtures.js';
import { alertsOf, decisionOf, events, kinds, requestOf } from './helpers.js';
import { initializedWorld } from './world.js';

const refuse = { kind: 'webhook', ok: false, message: 'not approved' } as const;
const approve = { kind: 'webhook', ok: true, message: '' } as const;

describe('confirm-rollout', () => {
  const c = makeCanary({
    analysis: { webhooks: [hook('gate', 'confirm-rollout')] },
    status: initialized('rev-1'),
  });

  it('is asked with the current phase before a new revision is scaled up', () => {
    const req = requestOf(snap(c));
    assert.equal(req.id, 'webhook:confirm-rollout:gate');
    assert.equal(req.kind === 'webhook' ? req.phase : '', 'Initialized');
  });

  it('first refusal: Waiting, warning and alert once; failedChecks untouched', () => {
    const d = decisionOf(snap(c, { results: { 'webhook:confirm-rollout:gate': refuse } }));
    assert.equal(d.status.phase, 'Waiting');
    assert.deepEqual(events(d), ['Halt podinfo.test advancement waiting for approval gate']);
    assert.deepEqual(
      alertsOf(d).map((a) => [a.severity, a.message]),
      [['warn', 'Canary is waiting for approval.']],
    );
    assert.equal(d.status.failedChecks, 0);
    assert.ok(!kinds(d).includes('scaleTargetFromZero'));
    assert.equal(d.status.conditions?.[0]?.message, 'Waiting for approval.');
    // later refusals are silent
    const waiting = makeCanary({ analysis: c.spec.analysis, status: d.status });
    const again = decisionOf(
      snap(waiting, { now: snap(c).now + 60_000, results: { 'webhook:confirm-rollout:gate': refuse } }),
    );
    assert.deepEqual(events(again), []);
    assert.deepEqual(alertsOf(again), []);
    assert.equal(again.requeueAfterMs, 60_000);
  });

  it('muteAlert keeps the event but drops the alert', () => {
    const muted = makeCanary({
      analysis: { webhooks: [hook('gate', 'confirm-rollout', { muteAlert: true })] },
      status: initialized(),
    });
    const d = decisionOf(snap(muted, { results: { 'webhook:confirm-rollout:gate': refuse } }));
    assert.equal(events(d).length, 1);
    assert.deepEqual(alertsOf(d), []);
  });

  it('approval from Waiting starts the run', () => {
    const w = initializedWorld(makeCanary({ analysis: { webhooks: [hook('gate', 'confirm-rollout')] } }));
    let approved = false;
    w.hooks.set('gate', () => approved);
    w.deploy('rev-2');
    w.tick();
    w.tick();
    assert.equal(w.phase, 'Waiting');
    approved = true;
    w.tick();
    assert.equal(w.phase, 'Progressing');
    assert.equal(w.target?.replicas, 1);
  });
});

describe('pre-rollout', () => {
  const c = makeCanary({ analysis: { webhooks: [hook('smoke', 'pre-rollout')] }, status: progressing() });

  it('runs on the first analysis tick with phase Progressing', () => {
    const req = requestOf(snap(c));
    assert.deepEqual(
      [req.id, req.kind === 'webhook' ? req.phase : ''],
      ['webhook:pre-rollout:smoke', 'Progressing'],
    );
  });

  it('a failure adds a failed check and halts', () => {
    const d = decisionOf(snap(c, { results: { 'webhook:pre-rollout:smoke': refuse } }));
    assert.equal(d.status.failedChecks, 1);
    assert.deepEqual(events(d), [
      'Starting canary analysis for podinfo.test',
      'Halt podinfo.test advancement pre-rollout check smoke failed not approved',
    ]);
    assert.ok(!kinds(d).includes('setRoutes'));
  });

  it('is not asked once traffic has moved', () => {
    const moved = makeCanary({ analysis: c.spec.analysis, status: progressing({ canaryWeight: 10 }) });
    assert.equal(
      decisionOf(snap(moved, { routes: { primary: 90, canary: 10, mirrored: false } })).status.phase,
      'Progressing',
    );
  });
});

describe('confirm-traffic-increase', () => {
  const c = makeCanary({
    analysis: { webhooks: [hook('more', 'confirm-traffic-increase')] },
    status: progressing({ canaryWeight: 10 }),
  });
  const routes = { primary: 90, canary: 10, mirrored: false };

  it('refusal holds the weight, warns and alerts on every tick, keeps the phase', () => {
    const d = decisionOf(snap(c, { routes, results: { 'webhook:confirm-traffic-increase:more': refuse } }));
    assert.deepEqual(events(d), ['Halt podinfo.test advancement waiting for traffic increase approval more']);
    assert.equal(alertsOf(d)[0]?.message, 'Canary traffic increase is waiting for approval.');
    assert.equal(d.status.phase, 'Progressing');
    assert.ok(!kinds(d).includes('setRoutes'));
  });

  it('approval advances the weight', () => {
    const d = decisionOf(snap(c, { routes, results: { 'webhook:confirm-traffic-increase:more': approve } }));
    assert.deepEqual(events(d), [
      'Confirm-traffic-increase check more passed',
      'Advance podinfo.test canary weight 20',
    ]);
  });
});

describe('confirm-promotion', () => {
  const analysis = { webhooks: [hook('ship', 'confirm-promotion')] };
  const atMax = { primary: 50, canary: 50, mirrored: false };

  it('first refusal: WaitingPromotion, weight kept, routes untouched', () => {
    const c = makeCanary({ analysis, status: progressing({ canaryWeight: 50 }) });
    const d = decisionOf(snap(c, { routes: atMax, results: { 'webhook:confirm-promotion:ship': refuse } }));
    assert.equal(d.status.phase, 'WaitingPromotion');
    assert.equal(d.status.canaryWeight, 50);
    assert.deepEqual(events(d), ['Halt podinfo.test advancement waiting for promotion approval ship']);
    assert.equal(alertsOf(d)[0]?.message, 'Canary promotion is waiting for approval.');
    assert.ok(!kinds(d).includes('setRoutes'));
  });

  it('while waiting the analysis keeps running, and approval promotes', () => {
    const c = makeCanary({ analysis, status: progressing({ phase: 'WaitingPromotion', canaryWeight: 50 }) });
    const waiting = decisionOf(
      snap(c, { routes: atMax, results: { 'webhook:confirm-promotion:ship': refuse } }),
    );
    assert.deepEqual(events(waiting), [], 'no repeated warning');
    assert.equal(waiting.status.phase, 'WaitingPromotion');
    const go = decisionOf(snap(c, { routes: atMax, results: { 'webhook:confirm-promotion:ship': approve } }));
    assert.equal(go.status.phase, 'Promoting');
    assert.ok(kinds(go).includes('promote'));
  });

  it('pins iterations at N-1 for Blue/Green while waiting', () => {
    const c = makeCanary({
      analysis: { ...analysis, iterations: 3, stepWeight: undefined },
      status: progressing({ iterations: 3 }),
    });
    const d = decisionOf(
      snap(c, {
        routes: { primary: 100, canary: 0, mirrored: false },
        results: { 'webhook:confirm-promotion:ship': refuse },
      }),
    );
    assert.equal(d.status.phase, 'WaitingPromotion');
    assert.equal(d.status.iterations, 2);
  });
});

describe('request ids', () => {
  it('are deterministic and disambiguate repeated hook names', () => {
    const c = makeCanary({
      analysis: { webhooks: [hook('x', 'pre-rollout'), hook('x', 'pre-rollout')] },
      status: progressing(),
    });
    const first = requestOf(snap(c));
    assert.equal(first.id, 'webhook:pre-rollout:x');
    const second = requestOf(snap(c, { results: { [first.id]: approve } }));
    assert.equal(second.id, 'webhook:pre-rollout:x#1');
  });

  it('a result of the wrong kind is a shell bug and throws', () => {
    const c = makeCanary({ analysis: { webhooks: [hook('x', 'pre-rollout')] }, status: progressing() });
    assert.throws(() =>
      decisionOf(
        snap(c, { results: { 'webhook:pre-rollout:x': { kind: 'providers', ok: true, message: '' } } }),
      ),
    );
  });
});

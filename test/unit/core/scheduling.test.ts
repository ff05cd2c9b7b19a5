// Requeue-after instead of tickers: when the core asks to be called again, and how it
// keeps an active rollout to one step per analysis interval whatever triggers reconciles.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_CHECK_HISTORY } from '../../../src/api/status.js';
import { analysisWaitMs, decide } from '../../../src/core/decide.js';
import { T0, hook, initialized, makeCanary, progressing, snap } from './fixtures.js';
import { decisionOf, kinds } from './helpers.js';
import { initializedWorld } from './world.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('analysis interval', () => {
  it('a reconcile before the interval is up does nothing and asks to come back when due', () => {
    const c = makeCanary({ status: progressing({ canaryWeight: 10, lastAnalysisTime: iso(T0) }) });
    const d = decisionOf(snap(c, { now: T0 + 20_000, routes: { primary: 90, canary: 10, mirrored: false } }));
    assert.deepEqual(d.effects, []);
    assert.equal(d.status, c.status);
    assert.equal(d.requeueAfterMs, 40_000);
  });

  it('watch events between ticks do not speed up a rollout', () => {
    const w = initializedWorld(makeCanary());
    w.deploy('rev-2');
    w.tick();
    w.tick();
    assert.equal(w.canary.status?.canaryWeight, 10);
    for (let i = 0; i < 5; i++) w.tick(1_000);
    assert.equal(w.canary.status.canaryWeight, 10);
    w.tick(55_000);
    assert.equal(w.canary.status.canaryWeight, 20);
  });

  it('is taken from analysis.interval, floored at minIntervalMs', () => {
    const c = makeCanary({ analysis: { interval: '2s' }, status: progressing({ canaryWeight: 10 }) });
    const d = decisionOf(snap(c, { routes: { primary: 90, canary: 10, mirrored: false } }));
    assert.equal(d.requeueAfterMs, 10_000);
    assert.equal(d.status.lastAnalysisTime, '2025-01-01T00:00:00Z');
  });
});

describe('requeue by phase', () => {
  it('idle canaries wait for watch events', () => {
    assert.equal(decisionOf(snap(makeCanary({ status: initialized('rev-2') }))).requeueAfterMs, null);
    assert.equal(
      decisionOf(snap(makeCanary({ status: { ...initialized('rev-2'), phase: 'Succeeded' } })))
        .requeueAfterMs,
      null,
    );
  });
  it('an active rollout comes back every interval', () => {
    const d = decisionOf(
      snap(makeCanary({ status: progressing({ canaryWeight: 10 }) }), {
        routes: { primary: 90, canary: 10, mirrored: false },
      }),
    );
    assert.equal(d.requeueAfterMs, 60_000);
  });
});

describe('status bookkeeping', () => {
  it('lastTransitionTime moves only when the status changes', () => {
    const before = initialized('rev-2', { lastTransitionTime: '2024-12-31T00:00:00Z' });
    const idle = decisionOf(snap(makeCanary({ status: before })));
    assert.equal(idle.status.lastTransitionTime, '2024-12-31T00:00:00Z');
    const moved = decisionOf(
      snap(makeCanary({ status: initialized('rev-1', { lastTransitionTime: '2024-12-31T00:00:00Z' }) })),
    );
    assert.equal(moved.status.lastTransitionTime, '2025-01-01T00:00:00Z');
  });

  it('observedGeneration follows metadata.generation', () => {
    const d = decisionOf(snap(makeCanary({ generation: 7, status: initialized('rev-2') })));
    assert.equal(d.status.observedGeneration, 7);
  });

  it(`check history is bounded to ${MAX_CHECK_HISTORY}`, () => {
    const w = initializedWorld(
      makeCanary({ analysis: { stepWeight: 1, maxWeight: 100, metrics: [{ name: 'a' }, { name: 'b' }] } }),
    );
    w.deploy('rev-2');
    for (let i = 0; i < 15; i++) w.tick();
    assert.equal(w.canary.status?.checks?.length, MAX_CHECK_HISTORY);
    assert.equal(w.canary.status.checks.at(-1)?.name, 'b');
  });

  it('unknown status fields and router-owned cookies survive', () => {
    const c = makeCanary({
      status: initialized('rev-2', { sessionAffinityCookie: 'flagger-cookie=abc; Max-Age=60' }),
    });
    assert.equal(decisionOf(snap(c)).status.sessionAffinityCookie, 'flagger-cookie=abc; Max-Age=60');
  });
});

describe('purity', () => {
  it('the same snapshot gives the same step, and the input is not mutated', () => {
    const c = makeCanary({
      analysis: { webhooks: [hook('x', 'confirm-traffic-increase')] },
      status: progressing({ canaryWeight: 10 }),
    });
    const s = snap(c, {
      routes: { primary: 90, canary: 10, mirrored: false },
      results: { 'webhook:confirm-traffic-increase:x': { kind: 'webhook', ok: true, message: '' } },
    });
    const frozen = JSON.stringify(s);
    assert.deepEqual(decide(s), decide(s));
    assert.equal(JSON.stringify(s), frozen);
    assert.ok(kinds(decisionOf(s)).includes('setRoutes'));
  });
});

describe('analysisWaitMs (the shell skips reading routes when it is > 0)', () => {
  it('counts down the interval of an active canary and agrees with decide()', () => {
    const c = makeCanary({ status: progressing({ canaryWeight: 10, lastAnalysisTime: iso(T0) }) });
    assert.equal(analysisWaitMs(c, 10_000, T0 + 15_000), 45_000);
    const d = decisionOf(snap(c, { now: T0 + 15_000 }));
    assert.equal(d.requeueAfterMs, 45_000);
    assert.deepEqual(kinds(d), []);
  });

  it('is 0 when due (within the tolerance), and for idle or new canaries', () => {
    const c = makeCanary({ status: progressing({ lastAnalysisTime: iso(T0) }) });
    assert.equal(analysisWaitMs(c, 10_000, T0 + 59_600), 0);
    assert.equal(analysisWaitMs(makeCanary({ status: initialized() }), 10_000, T0), 0);
    assert.equal(analysisWaitMs(makeCanary(), 10_000, T0), 0);
  });
});

describe('drift between analysis ticks', () => {
  it('a changed generated object is put right at once, without advancing the analysis', () => {
    const w = initializedWorld(makeCanary({ analysis: { stepWeight: 20, maxWeight: 60 } }));
    w.deploy('rev-2');
    w.tick();
    w.tick();
    const status = w.canary.status;
    const quiet = decide({ ...w.snapshot(), now: w.now + 1000 });
    assert.ok(quiet.kind === 'decision');
    assert.deepEqual(quiet.decision.effects, []);
    const repair = decide({ ...w.snapshot(), now: w.now + 1000, repair: true });
    assert.ok(repair.kind === 'decision');
    assert.deepEqual(
      repair.decision.effects.map((e) => e.kind),
      ['ensureServices', 'reconcileRouter'],
    );
    assert.deepEqual(repair.decision.status, status, 'the status does not move');
    assert.ok((repair.decision.requeueAfterMs ?? 0) > 0, 'the next tick stays where it was');
  });
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hook, makeCanary } from './fixtures.js';
import { initializedWorld, type World } from './world.js';

const abTesting = (iterations: number) =>
  makeCanary({
    analysis: {
      stepWeight: undefined,
      maxWeight: undefined,
      iterations,
      match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
      webhooks: [hook('smoke', 'pre-rollout'), hook('load', 'rollout')],
    },
  });

const iterationsOf = (w: World): number => w.canary.status?.iterations ?? 0;
const primaryHash = (w: World): string | undefined => w.primary?.specHash;

describe('A/B testing', () => {
  it('routes matching traffic to the canary from the first analysis tick (TestScheduler_DeploymentABTesting)', () => {
    const w = initializedWorld(abTesting(10));
    w.deploy('rev-2');
    w.tick(); // Progressing
    w.tick();
    assert.deepEqual(w.routes, { primary: 0, canary: 100, mirrored: false });
    assert.equal(w.canary.status?.iterations, 1);
    assert.equal(w.eventMessages().at(-1), 'Advance podinfo.test canary iteration 1/10');
  });

  it('pre-rollout runs once, rollout hooks on every later tick, then promotion', () => {
    const w = initializedWorld(abTesting(3));
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Succeeded');
    const ids = w.requests.map((r) => r.id);
    assert.equal(ids.filter((id) => id === 'webhook:pre-rollout:smoke').length, 1);
    // iterations 2 and 3, plus the promote tick
    assert.equal(ids.filter((id) => id === 'webhook:rollout:load').length, 3);
    assert.deepEqual(
      w.transitions.slice(-4).map(([, to]) => to),
      ['Progressing', 'Promoting', 'Finalising', 'Succeeded'],
    );
    assert.equal(w.primary?.specHash, 'rev-2');
    assert.ok(
      w.effects.some(
        (e) =>
          e.kind === 'recordMetric' &&
          e.record.metric === 'successes' &&
          e.record.deploymentStrategy === 'ab-testing',
      ),
    );
  });

  it('the new-revision alert summarises the routing as A/B Testing', () => {
    const w = initializedWorld(abTesting(2));
    w.deploy('rev-2');
    w.tick();
    const alert = w.alerts.at(-1);
    assert.equal(alert?.message, 'New revision detected, progressing canary analysis.');
    assert.deepEqual(alert.fields.at(-1), { name: 'Traffic routing', value: 'A/B Testing' });
  });

  it('confirm-promotion after the iterations: WaitingPromotion with matching traffic still on the canary, then promotion', () => {
    const w = initializedWorld(abTesting(2));
    let open = false;
    w.hooks.set('approve', () => open);
    w.setCanary((c) => ({
      ...c,
      spec: {
        ...c.spec,
        analysis: { ...c.spec.analysis, webhooks: [hook('approve', 'confirm-promotion')] },
      },
    }));
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'WaitingPromotion');
    assert.equal(w.canary.status?.iterations, 1, 'pinned at N-1');
    assert.deepEqual(w.routes, { primary: 0, canary: 100, mirrored: false });
    for (let i = 0; i < 4; i++) w.tick();
    assert.equal(w.phase, 'WaitingPromotion');
    assert.equal(w.primary?.specHash, 'rev-1', 'not promoted while waiting');
    assert.ok(iterationsOf(w) <= 2, 'at most N while re-running the last iteration');
    open = true;
    w.runUntil((x) => x.phase === 'Succeeded');
    assert.equal(primaryHash(w), 'rev-2');
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
  });

  it('a rollback routes everything back to the primary (the router then drops the match rules)', () => {
    const c = abTesting(5);
    c.spec.analysis.metrics = [{ name: 'request-success-rate', thresholdRange: { min: 99 } }];
    const w = initializedWorld(c);
    w.metrics = (req) => req.metrics.map((m) => ({ name: m.name, value: 50, passed: false, message: 'bad' }));
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Failed');
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.equal(w.canary.status?.iterations, 0);
    assert.equal(w.primary?.specHash, 'rev-1');
  });
});

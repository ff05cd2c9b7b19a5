import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hook, makeCanary } from './fixtures.js';
import { initializedWorld } from './world.js';

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
});

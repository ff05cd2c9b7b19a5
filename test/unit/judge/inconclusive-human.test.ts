// Inconclusive → a human (issue 13): while the judge cannot decide, the canary holds its weight
// in Progressing with Inconclusive=True, and `flagger-ts promote` or `flagger-ts abort` decides
// at once (between analysis ticks); the alert names what waits and why. Through the real decide().
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CheckJudge } from '../../../src/api/judge.js';
import type { InputResult, MetricOutcome, Snapshot } from '../../../src/core/snapshot.js';
import type { UserAction, UserRequest } from '../../../src/core/user-request.js';
import { makeCanary } from '../core/fixtures.js';
import { initializedWorld, World } from '../core/world.js';

const evidence: CheckJudge = {
  verdict: 'inconclusive',
  against: 'baseline',
  windows: [
    {
      window: 'run',
      verdict: 'inconclusive',
      reason: 'location +7.0 % (MWU p=1e-6): significant, below the 10 % floor',
      baseline: { n: 300, median: 100, query: 'q-baseline' },
      canary: { n: 300, median: 107, query: 'q-canary' },
    },
  ],
};

const inconclusive: MetricOutcome = {
  name: 'latency',
  query: 'q-canary',
  passed: true,
  message: 'latency inconclusive against baseline over the run: location +7.0 %',
  judge: { verdict: 'inconclusive', dryRun: false, evidence },
};

class HumanWorld extends World {
  userRequest: UserRequest | undefined;

  override snapshot(results: Record<string, InputResult> = {}): Snapshot {
    const s = super.snapshot(results);
    return this.userRequest === undefined ? s : { ...s, userRequest: this.userRequest };
  }

  decide(action: UserAction): void {
    this.userRequest = { id: `req-${action}`, action, revision: this.canary.status?.lastAppliedSpec ?? '' };
    this.now += 1_000; // a watch event, far from the next 1m tick
    if (this.reconcile().userAck !== undefined) this.userRequest = undefined;
  }
}

/** Progressing at weight 10, then two inconclusive ticks: held with the condition. */
function waiting(): HumanWorld {
  const base = initializedWorld(
    makeCanary({
      analysis: {
        baseline: { enabled: true, inconclusiveTimeout: '2h' },
        metrics: [{ name: 'latency', query: 'q', judge: { kind: 'latency' } }],
      },
    }),
  );
  const w = new HumanWorld(base.canary);
  Object.assign(w, { now: base.now, primary: base.primary, routes: base.routes });
  w.metrics = () => [inconclusive];
  w.deploy('rev-2');
  w.tick(); // Progressing
  w.tick(); // pre-rollout, weight 10
  w.tick(); // inconclusive: hold
  w.tick(); // still holding
  assert.equal(w.phase, 'Progressing');
  assert.equal(w.canary.status?.canaryWeight, 10);
  const held = w.canary.status.conditions?.find((c) => c.type === 'Inconclusive');
  assert.equal(held?.status, 'True');
  assert.equal(held.reason, 'WaitingForDecision');
  const alert = w.alerts.find((a) => a.message.includes('inconclusive'));
  assert.match(
    alert?.message ?? '',
    /waiting for flagger-ts promote or abort: latency inconclusive .*\+7\.0 %/,
  );
  assert.equal(w.alerts.filter((a) => a.message.includes('inconclusive')).length, 1, 'alerted once');
  return w;
}

describe('inconclusive → a human', () => {
  it('flagger-ts promote ends the wait: the canary is promoted, the condition cleared', () => {
    const w = waiting();
    w.decide('promote');
    assert.equal(w.phase, 'Promoting');
    w.runUntil((x) => x.phase === 'Succeeded', 5);
    assert.equal(w.primary?.specHash, 'rev-2');
    assert.equal(
      w.canary.status?.conditions?.find((c) => c.type === 'Inconclusive'),
      undefined,
    );
  });

  it('flagger-ts abort ends the wait: rolled back to the primary, the condition cleared', () => {
    const w = waiting();
    w.decide('abort');
    assert.equal(w.phase, 'Failed');
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.equal(
      w.canary.status?.conditions?.find((c) => c.type === 'Inconclusive'),
      undefined,
    );
  });
});

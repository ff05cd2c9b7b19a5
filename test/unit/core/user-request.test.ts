// User requests (`flagger-ts promote|abort|retry`) through the real decide(): when each
// applies, what it does, and that an acknowledged request cannot act twice.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot } from '../../../src/core/snapshot.js';
import { judgeUserRequest, type UserAction, type UserRequest } from '../../../src/core/user-request.js';
import type { InputResult } from '../../../src/core/snapshot.js';
import { hook, makeCanary, progressing, snap } from './fixtures.js';
import { decisionOf, events, kinds, reasons, routesSet } from './helpers.js';
import { initializedWorld, World } from './world.js';

/** The test world plus a request slot, cleared when a decision acknowledges it (what the shell does). */
class GatedWorld extends World {
  userRequest: UserRequest | undefined;
  acks: NonNullable<World['last']>['userAck'][] = [];

  override snapshot(results: Record<string, InputResult> = {}): Snapshot {
    const s = super.snapshot(results);
    return this.userRequest === undefined ? s : { ...s, userRequest: this.userRequest };
  }

  ask(action: UserAction, revision = this.canary.status?.lastAppliedSpec ?? ''): void {
    this.userRequest = { id: `req-${this.acks.length + 1}`, action, revision };
  }

  /** Reconcile `ms` later (a watch event: not necessarily a due tick) and acknowledge. */
  poke(ms = 1_000): void {
    this.now += ms;
    const d = this.reconcile();
    if (d.userAck !== undefined) {
      this.acks.push(d.userAck);
      this.userRequest = undefined;
    }
  }
}

function progressingWorld(analysis = {}): GatedWorld {
  const base = initializedWorld(makeCanary({ analysis }));
  const w = new GatedWorld(base.canary);
  Object.assign(w, { now: base.now, primary: base.primary, routes: base.routes });
  if (w.target) w.target.replicas = 0;
  w.deploy('rev-2');
  w.tick(); // new revision → Progressing
  w.tick(); // pre-rollout, first step: weight 10
  w.tick(); // weight 20
  assert.equal(w.phase, 'Progressing');
  assert.equal(w.canary.status?.canaryWeight, 20);
  return w;
}

describe('user requests: abort', () => {
  it('rolls back a Progressing canary at once, between analysis ticks', () => {
    const w = progressingWorld();
    w.ask('abort');
    w.poke(1_000); // far from the next 1m interval
    const d = w.last;
    assert.ok(d);
    assert.equal(w.phase, 'Failed');
    assert.deepEqual(routesSet(d), [{ primary: 100, canary: 0, mirrored: false }]);
    assert.ok(kinds(d).includes('scaleTargetToZero'));
    assert.deepEqual(reasons(d), ['ManualRollback', 'CanaryFailed']);
    assert.equal(events(d)[0], 'Rolling back podinfo.test: aborted by a user');
    assert.deepEqual(
      w.acks.map((a) => [a?.action, a?.outcome]),
      [['abort', 'applied']],
    );
  });

  it('a replayed abort (acknowledgement lost) is rejected, not applied twice', () => {
    const w = progressingWorld();
    w.ask('abort');
    w.poke();
    const replay: UserRequest = { id: 'req-1', action: 'abort', revision: 'rev-2' };
    const d = decisionOf({ ...w.snapshot(), userRequest: replay, now: w.now + 1_000 });
    assert.equal(d.userAck?.outcome, 'rejected');
    assert.match(d.userAck.message, /canary is Failed/);
    assert.deepEqual(reasons(d), ['UserRequestRejected']);
    assert.ok(!kinds(d).includes('setRoutes'));
    assert.equal(d.status.phase, 'Failed');
  });

  it('is rejected once the canary is Succeeded, and the status is left alone', () => {
    const c = makeCanary({ status: { ...progressing(), phase: 'Succeeded', lastPromotedSpec: 'rev-2' } });
    const d = decisionOf(
      snap(c, { target: { ...snap(c).target!, specHash: 'rev-2' }, userRequest: req('abort', 'rev-2') }),
    );
    assert.equal(d.userAck?.outcome, 'rejected');
    assert.match(d.userAck.message, /only a rollout in Waiting, Progressing or WaitingPromotion/);
    assert.equal(d.status.phase, 'Succeeded');
  });
});

describe('user requests: promote', () => {
  it('skips the rest of the analysis: Promoting now, Succeeded before maxWeight', () => {
    const w = progressingWorld();
    w.ask('promote');
    w.poke();
    assert.equal(w.phase, 'Promoting');
    assert.ok(kinds(lastDecision(w)).includes('promote'));
    assert.equal(w.acks[0]?.outcome, 'applied');
    w.runUntil((x) => x.phase === 'Succeeded', 5);
    const peak = Math.max(...w.history.map((h) => h.weight));
    assert.equal(peak, 20, 'never went past the weight it had when promoted (maxWeight 50)');
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.equal(w.primary?.specHash, 'rev-2');
  });

  it('opens a closed confirm-promotion gate (WaitingPromotion → Promoting)', () => {
    const c = makeCanary({
      analysis: { webhooks: [hook('approve', 'confirm-promotion')] },
      status: progressing({ phase: 'WaitingPromotion', canaryWeight: 50 }),
    });
    const d = decisionOf(snap(c, { userRequest: req('promote', 'rev-2') }));
    assert.equal(d.status.phase, 'Promoting');
    assert.equal(d.userAck?.outcome, 'applied');
  });

  it('is rejected for a request made for another revision', () => {
    const c = makeCanary({ status: progressing({ canaryWeight: 10 }) });
    const d = decisionOf(snap(c, { userRequest: req('promote', 'rev-1') }));
    assert.equal(d.userAck?.outcome, 'rejected');
    assert.match(d.userAck.message, /request was for revision rev-1, the canary is now at rev-2/);
    assert.equal(d.status.phase, 'Progressing');
  });
});

describe('user requests: retry', () => {
  function failedWorld(analysis = {}): GatedWorld {
    const w = progressingWorld(analysis);
    w.ask('abort');
    w.poke();
    assert.equal(w.phase, 'Failed');
    return w;
  }

  it('re-runs the analysis of a Failed canary for the same revision', () => {
    const w = failedWorld();
    w.ask('retry');
    w.poke();
    assert.equal(w.phase, 'Progressing');
    const d = lastDecision(w);
    assert.ok(kinds(d).includes('scaleTargetFromZero'));
    assert.ok(reasons(d).includes('ManualRetry'));
    assert.equal(w.acks.at(-1)?.outcome, 'applied');
    assert.equal(w.canary.status?.lastAppliedSpec, 'rev-2');
    w.runUntil((x) => x.phase === 'Succeeded', 20);
  });

  it('goes through confirm-rollout: a closed gate parks it in Waiting (still applied)', () => {
    const w = failedWorld({ webhooks: [hook('gate', 'confirm-rollout')] });
    w.hooks.set('gate', false);
    w.ask('retry');
    w.poke();
    assert.equal(w.phase, 'Waiting');
    assert.equal(w.acks.at(-1)?.outcome, 'applied');
  });

  it('stays pending (no acknowledgement) while the primary is not ready', () => {
    const w = failedWorld();
    if (w.primary) w.primary.readiness = { ready: false, retriable: true, message: 'rolling' };
    w.ask('retry');
    w.poke();
    assert.equal(w.phase, 'Failed');
    assert.equal(w.last?.userAck, undefined);
    assert.equal(w.userRequest?.action, 'retry', 'the request is kept for the next reconcile');
    if (w.primary) w.primary.readiness = { ready: true };
    w.poke();
    assert.equal(w.phase, 'Progressing');
  });

  it('is rejected on a Progressing canary', () => {
    const w = progressingWorld();
    w.ask('retry');
    w.poke();
    assert.equal(w.acks[0]?.outcome, 'rejected');
    assert.equal(w.phase, 'Progressing');
  });
});

describe('judgeUserRequest', () => {
  const r = (action: UserAction): UserRequest => ({ id: 'x', action, revision: '' });
  it('acts only in the phases each action is for', () => {
    const table: [UserAction, string, string][] = [
      ['abort', 'Progressing', 'act'],
      ['abort', 'Waiting', 'act'],
      ['abort', 'Promoting', 'reject'],
      ['abort', 'Failed', 'reject'],
      ['promote', 'WaitingPromotion', 'act'],
      ['promote', 'Waiting', 'reject'],
      ['promote', 'Succeeded', 'reject'],
      ['retry', 'Failed', 'act'],
      ['retry', 'Succeeded', 'reject'],
      ['retry', '', 'reject'],
    ];
    for (const [action, phase, want] of table) {
      const v = judgeUserRequest(r(action), phase as 'Failed', 'rev', false);
      assert.equal(v.kind, want, `${action} in ${phase}`);
    }
  });

  it('rejects everything on a suspended canary and nothing without a request', () => {
    assert.equal(judgeUserRequest(r('abort'), 'Progressing', 'rev', true).kind, 'reject');
    assert.equal(judgeUserRequest(undefined, 'Progressing', 'rev', false).kind, 'none');
  });
});

function req(action: UserAction, revision: string): UserRequest {
  return { id: 'r1', action, revision };
}

function lastDecision(w: World): NonNullable<World['last']> {
  const d = w.last;
  if (d === undefined) throw new Error('no decision yet');
  return d;
}

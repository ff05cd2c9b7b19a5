import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Canary } from '../../../src/api/canary.js';
import type { SessionAffinity } from '../../../src/api/canary.js';
import { cookieValue } from '../../../src/core/strategies/session-affinity.js';
import { makeCanary } from './fixtures.js';
import { initializedWorld } from './world.js';

const sticky = (extra: Partial<SessionAffinity> = {}) =>
  makeCanary({
    analysis: { stepWeight: 50, maxWeight: 50, sessionAffinity: { cookieName: 'flagger-cookie', ...extra } },
  });

describe('session affinity cookies', () => {
  it('cookie values are 10 letters, stable for a seed and different across seeds', () => {
    assert.match(cookieValue('a'), /^[a-zA-Z]{10}$/);
    assert.equal(cookieValue('a'), cookieValue('a'));
    assert.notEqual(cookieValue('a'), cookieValue('b'));
  });

  it('a canary cookie is minted when weight first moves, kept for the run, and routed with the weights', () => {
    const w = initializedWorld(sticky({ primaryCookieName: 'primary-cookie' }));
    w.deploy('rev-2');
    w.tick(); // Progressing at weight 0: no cookie yet
    assert.equal(w.canary.status?.sessionAffinityCookie, undefined);
    w.tick(); // pre-rollout, then weight 50
    const status = w.canary.status;
    assert.match(status?.sessionAffinityCookie ?? '', /^flagger-cookie=[a-zA-Z]{10}$/);
    assert.match(status?.primarySessionAffinityCookie ?? '', /^primary-cookie=[a-zA-Z]{10}$/);
    assert.deepEqual(w.routes, {
      primary: 50,
      canary: 50,
      mirrored: false,
      cookies: { canary: status?.sessionAffinityCookie, primary: status?.primarySessionAffinityCookie },
    });
    const minted = status?.sessionAffinityCookie;
    w.tick(); // confirm-promotion passes, Promoting (routes unchanged)
    w.tick(); // all traffic to the primary
    assert.equal(w.canary.status?.sessionAffinityCookie, undefined);
    assert.equal(w.canary.status?.primarySessionAffinityCookie, undefined);
    assert.equal(w.canary.status?.previousSessionAffinityCookie, minted, 'the run cookie is expired next');
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false, cookies: { previous: minted } });
    w.runUntil((x) => x.phase === 'Succeeded');
  });

  it('a cookie already on the live routes is kept when the status write that recorded it was lost', () => {
    const w = initializedWorld(
      makeCanary({
        analysis: {
          stepWeight: 25,
          maxWeight: 75,
          sessionAffinity: { cookieName: 'flagger-cookie', primaryCookieName: 'primary-cookie' },
        },
      }),
    );
    w.deploy('rev-2');
    w.tick();
    const before = w.canary.status;
    w.tick(); // weight 25: cookies minted, routed, recorded
    const routed = w.routes?.cookies;
    assert.ok(routed?.canary !== undefined && routed.primary !== undefined);
    // The VirtualService was written but the status patch never landed; a later tick retries.
    w.canary = { ...w.canary, status: before };
    w.now += 120_000;
    w.tick(); // weight 50 on a status that never saw the cookies
    assert.equal(w.routes?.canary, 50);
    // Read through a function: TypeScript keeps the narrowing of the assignment above.
    const status = (): Canary['status'] => w.canary.status;
    assert.equal(status()?.sessionAffinityCookie, routed.canary);
    assert.equal(status()?.primarySessionAffinityCookie, routed.primary);
    assert.deepEqual(w.routes.cookies, routed);
  });

  it('the next run mints a new cookie and keeps the previous one recorded', () => {
    const w = initializedWorld(sticky());
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Succeeded');
    const first = w.canary.status?.previousSessionAffinityCookie;
    assert.ok(first !== undefined);
    w.deploy('rev-3');
    w.runUntil((x) => (x.routes?.canary ?? 0) > 0);
    const second = w.canary.status?.sessionAffinityCookie;
    assert.ok(second !== undefined && second !== first, `${second ?? ''} differs from ${first}`);
    assert.equal(w.canary.status?.previousSessionAffinityCookie, first);
    assert.deepEqual(w.routes?.cookies, { canary: second, previous: first });
  });

  it('a rollback expires the run cookie', () => {
    const c = sticky();
    c.spec.analysis.metrics = [{ name: 'request-success-rate', thresholdRange: { min: 99 } }];
    const w = initializedWorld(c);
    w.metrics = (req, world) =>
      req.metrics.map((m) => ({
        name: m.name,
        value: 50,
        passed: (world.routes?.canary ?? 0) === 0,
        message: 'bad',
      }));
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Failed');
    const cookie = w.canary.status?.previousSessionAffinityCookie;
    assert.match(cookie ?? '', /^flagger-cookie=/);
    assert.equal(w.canary.status?.sessionAffinityCookie, undefined);
    assert.deepEqual(w.routes?.cookies, { previous: cookie });
  });

  it('A/B testing routes by its match rules: no cookies', () => {
    const w = initializedWorld(
      makeCanary({
        analysis: {
          stepWeight: undefined,
          maxWeight: undefined,
          iterations: 2,
          match: [{ headers: { 'x-canary': { exact: 'insider' } } }],
          sessionAffinity: { cookieName: 'flagger-cookie' },
        },
      }),
    );
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Succeeded');
    assert.equal(w.canary.status?.sessionAffinityCookie, undefined);
    assert.equal(w.canary.status?.previousSessionAffinityCookie, undefined);
    assert.ok(!w.effects.some((e) => e.kind === 'setRoutes' && e.routes.cookies !== undefined));
  });

  it('without sessionAffinity routes carry no cookies field at all', () => {
    const w = initializedWorld(makeCanary({ analysis: { stepWeight: 50, maxWeight: 50 } }));
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Succeeded');
    assert.ok(w.effects.every((e) => e.kind !== 'setRoutes' || !('cookies' in e.routes)));
  });
});

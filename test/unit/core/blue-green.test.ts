import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeCanary } from './fixtures.js';
import { initializedWorld } from './world.js';

const blueGreen = (extra = {}) =>
  makeCanary({ analysis: { stepWeight: undefined, maxWeight: undefined, iterations: 1, ...extra } });

describe('Blue/Green', () => {
  it("iterations 1 gives Flagger's phase sequence with the extra switch tick", () => {
    const w = initializedWorld(blueGreen());
    const from = w.history.length;
    w.deploy('rev-2');
    for (let i = 0; i < 6; i++) w.tick();
    assert.deepEqual(
      w.history.slice(from).map((h) => h.phase),
      ['Progressing', 'Progressing', 'Progressing', 'Promoting', 'Finalising', 'Succeeded'],
    );
    assert.equal(w.primary?.specHash, 'rev-2');
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
  });

  it('switches all traffic to the canary before the primary rolls', () => {
    const w = initializedWorld(blueGreen());
    w.deploy('rev-2');
    w.tick(); // Progressing
    w.tick(); // iteration 1/1
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: false });
    assert.equal(w.eventMessages().at(-1), 'Advance podinfo.test canary iteration 1/1');
    w.tick(); // switch
    assert.deepEqual(w.routes, { primary: 0, canary: 100, mirrored: false });
    assert.equal(w.eventMessages().at(-1), 'Routing all traffic to canary');
    assert.equal(w.canary.status?.iterations, 2);
    w.tick(); // promote
    assert.equal(w.phase, 'Promoting');
    assert.equal(w.primary?.specHash, 'rev-2');
  });

  it('mirrors during the iterations when asked and supported', () => {
    const w = initializedWorld(blueGreen({ iterations: 2, mirror: true }));
    w.deploy('rev-2');
    w.tick();
    w.tick();
    assert.deepEqual(w.routes, { primary: 100, canary: 0, mirrored: true });
    assert.ok(w.eventMessages().includes('Start traffic mirroring'));
    w.runUntil((x) => x.routes?.canary === 100);
    assert.equal(w.eventMessages().at(-1), 'Stop traffic mirroring and route all traffic to canary');
  });

  it('mirror on a router that cannot mirror is an invalid spec, not a silent Blue/Green', () => {
    const w = initializedWorld(blueGreen(), { canMirror: false });
    w.canary = {
      ...w.canary,
      spec: { ...w.canary.spec, analysis: { ...w.canary.spec.analysis, mirror: true } },
    };
    w.deploy('rev-2');
    w.tick();
    const validated = w.canary.status?.conditions?.find((c) => c.type === 'Validated');
    assert.equal(validated?.status, 'False');
    assert.match(validated.message, /^spec\.analysis\.mirror: provider istio cannot mirror traffic/);
    assert.equal(w.phase, 'Initialized', 'nothing advances while the spec is invalid');
    assert.ok(!w.effects.some((e) => e.kind === 'setRoutes' && e.routes.mirrored));
  });

  it('provider kubernetes with mirror: invalid, naming the field', () => {
    const w = initializedWorld(blueGreen(), { provider: 'kubernetes', canMirror: false });
    w.canary = {
      ...w.canary,
      spec: { ...w.canary.spec, analysis: { ...w.canary.spec.analysis, mirror: true } },
    };
    w.tick();
    const validated = w.canary.status?.conditions?.find((c) => c.type === 'Validated');
    assert.match(
      validated?.message ?? '',
      /^spec\.analysis\.mirror: provider kubernetes cannot mirror traffic/,
    );
    assert.ok(w.events.some((e) => e.type === 'Warning' && e.reason === 'InvalidSpec'));
  });

  it('provider kubernetes: iterations forced to 10, no traffic shifting, straight to Finalising', () => {
    const w = initializedWorld(makeCanary({ analysis: { stepWeight: 10 } }), { provider: 'kubernetes' });
    assert.equal(w.routes, undefined, 'the kubernetes provider has no router');
    w.deploy('rev-2');
    w.runUntil((x) => x.phase === 'Promoting', 20);
    assert.equal(w.canary.status?.iterations, 11, '10 iterations plus the (traffic-less) switch tick');
    assert.ok(w.eventMessages().includes('Advance podinfo.test canary iteration 10/10'));
    assert.ok(
      w.eventMessages().includes('Progressive traffic is not supported when using the kubernetes provider'),
    );
    assert.ok(w.eventMessages().includes('Setting canaryAnalysis.iterations: 10'));
    w.tick();
    assert.equal(w.phase, 'Finalising');
    w.tick();
    assert.equal(w.phase, 'Succeeded');
    assert.ok(!w.effects.some((e) => e.kind === 'setRoutes'), 'nothing to route');
    assert.equal(w.primary?.specHash, 'rev-2');
  });
});

// Which canaries Flagger left behind are adopted without an analysis, and with what status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CanaryStatus } from '../../../src/api/status.js';
import { flaggerTakeover, isFlaggerHash } from '../../../src/controller/takeover.js';
import type { TargetObservation } from '../../../src/targets/target.js';
import { hashValue } from '../../../src/targets/hash.js';

const FLAGGER = '5d8f96bc4f'; // the shape of Flagger's hashes: decimal digits mapped to [456789bcdf]

function obs(matches: boolean, configs: Record<string, string> = {}): TargetObservation {
  return {
    kind: 'Deployment',
    target: { metadata: { name: 'app' } },
    primary: { metadata: { name: 'app-primary' } },
    primaryHash: 'h1',
    targetReplicas: 0,
    primaryReplicas: 1,
    selector: { label: 'app', value: 'app' },
    specHash: 'ours7ch',
    targetReadiness: { ready: true },
    primaryReadiness: { ready: true },
    ports: {},
    trackedConfigs: configs,
    primaryMatchesTarget: () => matches,
  };
}

const status = (phase: string, over: Partial<CanaryStatus> = {}): CanaryStatus =>
  ({ phase, lastAppliedSpec: FLAGGER, lastPromotedSpec: FLAGGER, ...over }) as CanaryStatus;

describe('taking canaries over from Flagger', () => {
  it("tells Flagger's hashes from ours", () => {
    assert.equal(isFlaggerHash(FLAGGER), true);
    assert.equal(isFlaggerHash('4444444'), false, 'short: could be ours');
    for (let i = 0; i < 2_000; i++) assert.equal(isFlaggerHash(hashValue({ i })), false);
  });

  it('adopts Succeeded and Initialized canaries whose primary runs the target', () => {
    for (const phase of ['Succeeded', 'Initialized']) {
      const t = flaggerTakeover(status(phase), obs(true));
      assert.deepEqual(t?.patch, {
        lastAppliedSpec: 'ours7ch',
        lastPromotedSpec: 'ours7ch',
        trackedConfigs: {},
      });
    }
  });

  it('leaves a target changed since the last promotion to a normal analysis', () => {
    assert.equal(flaggerTakeover(status('Succeeded'), obs(false)), undefined);
  });

  it('continues a canary in flight, keeping its weight and iterations', () => {
    const t = flaggerTakeover(status('Progressing', { canaryWeight: 20, iterations: 3 }), obs(false));
    assert.ok(t);
    assert.deepEqual(t.patch, { lastAppliedSpec: 'ours7ch', trackedConfigs: {} });
    assert.match(t.message, /Progressing \(weight 20, iterations 3\); the analysis continues/);
  });

  it('keeps a Failed canary failed and leaves our own hashes and Initializing alone', () => {
    assert.deepEqual(flaggerTakeover(status('Failed'), obs(false))?.patch, {
      lastAppliedSpec: 'ours7ch',
      trackedConfigs: {},
    });
    assert.equal(flaggerTakeover(status('Succeeded', { lastAppliedSpec: 'ours7ch' }), obs(true)), undefined);
    assert.equal(flaggerTakeover(status('Initializing'), obs(true)), undefined);
    assert.equal(flaggerTakeover(undefined, obs(true)), undefined);
  });

  it("replaces Flagger's config checksums, deleting keys we do not track", () => {
    const t = flaggerTakeover(
      status('Succeeded', { trackedConfigs: { 'configmap/a': 'x', 'secret/b': 'y' } }),
      obs(true, { 'configmap/a': 'ours' }),
    );
    assert.deepEqual(t?.patch['trackedConfigs'], { 'secret/b': null, 'configmap/a': 'ours' });
  });
});

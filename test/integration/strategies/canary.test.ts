// The canary strategy's gates and promotion shift on the real control plane with real
// Prometheus: a confirm-traffic-increase gate holding the weight, and stepWeightPromotion
// moving traffic back to the primary in steps after the primary has been promoted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import {
  canaryStatus,
  deploymentImage,
  setImage,
  virtualServiceWeights,
  waitForPhase,
  watchCanaryWeights,
} from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import { eventLines, withPhase, record } from './helpers.js';

const V2 = 'ghcr.io/stefanprodan/podinfo:6.0.1';

test('confirm-traffic-increase holds the weight until approved, then the run completes', async (t) => {
  const hooks = await startWebhookServer(t);
  hooks.setStatus('/traffic', 403);
  const s = await canaryScenario(t, 'cti', {
    canary: {
      analysis: {
        stepWeight: 20,
        maxWeight: 40,
        webhooks: [{ name: 'more', type: 'confirm-traffic-increase', url: hooks.url('/traffic') }],
      },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, V2);
  await waitForPhase(env, 'Progressing');
  // Asked again on later ticks: the operator kept deciding to hold.
  await eventually('the gate asked again', () => (hooks.count('/traffic') >= 3 ? true : undefined), 30_000);
  const held = await canaryStatus(env);
  assert.equal(held.phase, 'Progressing', 'the phase stays while the gate is closed');
  assert.equal(held.failedChecks, 0, 'a closed gate is not a failed check');
  assert.deepEqual(await virtualServiceWeights(env), { primary: 100, canary: 0, mirror: false });
  assert.ok(hooks.count('/traffic') >= 2, 'asked on every tick');
  assert.equal(hooks.received.find((r) => r.path === '/traffic')?.body.phase, 'Progressing');
  const lines = await eventLines(env);
  assert.ok(
    lines.some((l) => l.startsWith('WaitingForTrafficIncreaseApproval: ') && l.includes('more')),
    lines.join('\n'),
  );

  const weights = await watchCanaryWeights(t, env);
  hooks.setStatus('/traffic', 200);
  await waitForPhase(env, 'Succeeded', 60_000);
  weights.stop();
  assert.ok(weights.values.includes(20) && weights.values.includes(40), weights.values.join(','));
  assert.ok(
    (await eventLines(env)).some(
      (l) => l === 'ConfirmTrafficIncreasePassed: Confirm-traffic-increase check more passed',
    ),
  );
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V2);
});

test('stepWeightPromotion shifts traffic back to the promoted primary in steps', async (t) => {
  const s = await canaryScenario(t, 'swp', {
    canary: { analysis: { stepWeight: 25, maxWeight: 50, stepWeightPromotion: 20 } },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  const timeline = record(
    t,
    withPhase(env, async () => (await virtualServiceWeights(env))?.canary),
    100,
  );
  const watched = await watchCanaryWeights(t, env);
  await setImage(env, V2);
  await waitForPhase(env, 'Succeeded', 60_000);
  await timeline.stop();
  watched.stop();

  // Every weight from the watch (polling can miss a 1 s step on a loaded machine); phases from polling.
  const canaryWeights = watched.values;
  const order = [25, 50, 30, 10, 0].map((w) => canaryWeights.lastIndexOf(w));
  assert.ok(
    order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? 0))),
    `canary weights 25, 50, then back 30, 10, 0: ${canaryWeights.join(',')}`,
  );
  const shifting = timeline.values.filter((v) => v.value === 30 || v.value === 10);
  assert.ok(
    shifting.every((v) => v.phase === 'Promoting'),
    `intermediate weights happen while Promoting: ${JSON.stringify(shifting)}`,
  );
  const lines = await eventLines(env);
  for (const p of [70, 90, 100]) {
    assert.ok(
      lines.includes(`PrimaryWeightAdvanced: Advance podinfo.${env.namespace} primary weight ${p}`),
      `primary weight ${p} in\n${lines.join('\n')}`,
    );
  }
  assert.equal(await deploymentImage(env, 'podinfo-primary'), V2, 'promoted before the shift back');
});

// Webhooks driving a real rollout: a confirm-rollout gate that holds the canary in
// Waiting until it opens, and a failing pre-rollout hook that counts as failed checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import { canaryStatus, deploymentReplicas, setImage, waitForPhase } from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';
import { startWebhookServer } from '../../harness/webhook-server.js';

test('a closed confirm-rollout gate holds the canary in Waiting until it opens', async (t) => {
  const hooks = await startWebhookServer(t);
  hooks.setStatus('/gate', 403);
  const s = await canaryScenario(t, 'gate', {
    canary: {
      analysis: { webhooks: [{ name: 'approval', type: 'confirm-rollout', url: hooks.url('/gate') }] },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  const waiting = await waitForPhase(env, 'Waiting');
  assert.equal(waiting.conditions.find((c) => c.type === 'Promoted')?.message, 'Waiting for approval.');
  // The gate asked again on later intervals is the evidence the operator kept deciding to hold.
  await eventually('the gate asked again', () => (hooks.count('/gate') >= 3 ? true : undefined), 30_000);
  assert.equal((await canaryStatus(env)).phase, 'Waiting', 'still held while the gate is closed');
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0, 'canary not scaled up while waiting');
  const first = hooks.received.find((r) => r.path === '/gate');
  assert.equal(first?.body.name, 'podinfo');
  assert.equal(first.body.namespace, env.namespace);

  hooks.setStatus('/gate', 200);
  await waitForPhase(env, 'Succeeded', 90_000);
});

test('a failing pre-rollout hook counts as failed checks and rolls back', async (t) => {
  const hooks = await startWebhookServer(t);
  hooks.setStatus('/pre', 500);
  const s = await canaryScenario(t, 'prehook', {
    canary: {
      analysis: {
        threshold: 2,
        webhooks: [
          { name: 'smoke', type: 'pre-rollout', url: hooks.url('/pre'), metadata: { cmd: 'smoke-test' } },
        ],
      },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await waitForPhase(env, 'Failed', 90_000);
  const calls = hooks.received.filter((r) => r.path === '/pre');
  assert.equal(calls.length, 2, 'called once per analysis tick until the threshold (2) is reached');
  assert.equal(calls[0]?.body.phase, 'Progressing');
  assert.deepEqual(calls[0].body.metadata, { cmd: 'smoke-test' });
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  assert.ok(
    events.items.some(
      (e) => e.reason === 'PreRolloutFailed' && (e.message ?? '').includes('pre-rollout check smoke failed'),
    ),
    'warning event names the hook',
  );
});

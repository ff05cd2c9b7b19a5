// Lifecycle on the real cluster: a new revision mid-analysis restarts it; the
// operator killed mid-rollout resumes at the same weight; revertOnDeletion hands
// traffic back to the target; an invalid Canary gets a condition and an Event.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../harness/cluster.js';
import {
  canaryStatus,
  deploymentImage,
  deploymentReplicas,
  readCanary,
  recordWhile,
  setImage,
  virtualServiceWeights,
  waitForPhase,
} from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';

const weightIs = (env: Parameters<typeof virtualServiceWeights>[0], w: number) => async () =>
  (await virtualServiceWeights(env))?.canary === w ? true : undefined;

test('a new revision mid-analysis restarts the analysis and promotes the newest', async (t) => {
  const s = await canaryScenario(t, 'restart-rev', { canary: { analysis: { interval: '2s' } } });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually('weight 20', weightIs(env, 20), 60_000);
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.2');
  await eventually('routes reset to 100/0', weightIs(env, 0), 30_000);
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  assert.ok(
    events.items.some((e) =>
      (e.message ?? '').startsWith('New revision detected! Restarting analysis for podinfo.'),
    ),
  );
  await waitForPhase(env, 'Succeeded', 90_000);
  assert.equal(await deploymentImage(env, 'podinfo-primary'), 'ghcr.io/stefanprodan/podinfo:6.0.2');
});

test('the operator killed mid-rollout resumes at the same weight without repeating the pre-rollout hook', async (t) => {
  const { startWebhookServer } = await import('../../harness/webhook-server.js');
  const hooks = await startWebhookServer(t);
  const s = await canaryScenario(t, 'resume', {
    canary: {
      analysis: { interval: '3s', webhooks: [{ name: 'pre', type: 'pre-rollout', url: hooks.url('/pre') }] },
    },
  });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually('weight 20', weightIs(env, 20), 60_000);
  await s.operator?.stop();
  const atStop = await canaryStatus(env);
  assert.equal(atStop.phase, 'Progressing');
  // The status the stopped operator left agrees with the routes it wrote (no step half-recorded).
  assert.equal(
    (await virtualServiceWeights(env))?.canary,
    atStop.canaryWeight,
    'routes match the stored weight',
  );

  const weights = recordWhile(async () => (await virtualServiceWeights(env))?.canary, 50);
  await s.startOperator();
  const next = atStop.canaryWeight + 10;
  await eventually(`weight ${next} after restart`, weightIs(env, next), 30_000);
  // The recorder polls on its own clock: stop it only once it has seen the step too.
  await eventually(`recorder saw ${next}`, () => (weights.values.includes(next) ? true : undefined), 10_000);
  await weights.stop();
  const seen = weights.values.filter((w): w is number => w !== undefined);
  // Under load the next step may already have come before the recorder stopped: what matters is
  // that the restarted operator went on from the stored weight and never back to 0 or 10.
  assert.deepEqual(
    seen.slice(0, 2),
    [atStop.canaryWeight, next],
    `continued from the stored step: ${JSON.stringify(seen)}`,
  );
  assert.ok(
    seen.every((w, i) => i === 0 || w > (seen[i - 1] ?? 0)),
    `never back to a lower weight: ${JSON.stringify(seen)}`,
  );
  await waitForPhase(env, 'Succeeded', 90_000);
  assert.equal(hooks.count('/pre'), 1, 'the pre-rollout hook that passed is not called again');
});

test('revertOnDeletion: deleting the Canary scales the target back and releases the finalizer', async (t) => {
  const s = await canaryScenario(t, 'revert', { canary: { spec: { revertOnDeletion: true } } });
  const { env } = s;
  await waitForPhase(env, 'Initialized');
  const c = await readCanary(env);
  assert.ok(c.metadata.finalizers?.includes('finalizer.flagger.app'), 'finalizer added');
  assert.equal(await deploymentReplicas(env, 'podinfo'), 0);

  await env.custom.deleteNamespacedCustomObject({
    group: 'flagger.app',
    version: 'v1beta1',
    namespace: env.namespace,
    plural: 'canaries',
    name: 'podinfo',
  });
  await eventually(
    'canary gone',
    async () => ((await readCanary(env).catch(() => undefined)) === undefined ? true : undefined),
    60_000,
  );
  assert.equal(await deploymentReplicas(env, 'podinfo'), 2, 'target has the primary replicas again');
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  const msgs = events.items.map((e) => e.message ?? '');
  assert.ok(
    msgs.includes(`Terminating canary podinfo.${env.namespace}`) &&
      msgs.includes(`Terminated canary podinfo.${env.namespace}`),
    msgs.join('\n'),
  );
});

test('an invalid Canary gets Validated=False naming the field and a Warning event, and no rollout', async (t) => {
  const s = await canaryScenario(t, 'invalid', { canary: { provider: 'istio-typo' } });
  const { env } = s;
  const cond = await eventually('Validated=False condition', async () => {
    const st = await canaryStatus(env);
    return st.conditions.find((x) => x.type === 'Validated' && x.status === 'False');
  });
  assert.match(cond.message, /spec\.provider/);
  assert.match(cond.message, /istio-typo/);
  // The Event is written beside the status, not before it: wait for it, then it must be the only one.
  const warn = await eventually('the InvalidSpec Warning event', async () => {
    const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
    const w = events.items.filter((e) => e.reason === 'InvalidSpec' && e.type === 'Warning');
    return w.length > 0 ? w : undefined;
  });
  assert.equal(warn.length, 1, 'one Warning event, not one per reconcile');
  assert.equal(await deploymentReplicas(env, 'podinfo'), 2, 'the target is left alone');
  await assert.rejects(
    env.apps.readNamespacedDeployment({ name: 'podinfo-primary', namespace: env.namespace }),
  );

  // Fixing the spec lets the canary initialize.
  await env.kube.mergePatch(
    { apiVersion: 'flagger.app/v1beta1', kind: 'Canary', namespace: env.namespace, name: 'podinfo' },
    { spec: { provider: 'istio' } },
  );
  await waitForPhase(env, 'Initialized');
  assert.equal(
    (await canaryStatus(env)).conditions.some((x) => x.type === 'Validated' && x.status === 'False'),
    false,
  );
});

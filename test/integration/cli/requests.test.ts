// `flagger-ts abort|retry|promote` against the real operator: the request travels
// through the `<canary>-flagger-ts-gate` ConfigMap, the operator acts through the core
// and acknowledges it, and the CLI reports the outcome.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRequest } from '../../../src/cli/request-command.js';
import { BufferWriter } from '../../../src/cli/common/output.js';
import { readUserRequest, userRequestRef } from '../../../src/controller/user-requests.js';
import { eventually } from '../../harness/cluster.js';
import {
  canaryStatus,
  deploymentReplicas,
  recordWhile,
  setImage,
  virtualServiceWeights,
  waitForPhase,
} from '../../harness/canary.js';
import { canaryScenario } from '../../harness/scenario.js';

// Slow enough steps that a person (here, the test) can act mid-rollout: 10% every 3s up to 50%.
const SLOW = { canary: { analysis: { interval: '3s', stepWeight: 10, maxWeight: 50 } } };

test('abort during Progressing → Failed; retry → Progressing again for the same revision', async (t) => {
  const s = await canaryScenario(t, 'cli-abort', SLOW);
  const { env } = s;
  const flags = { kubeconfig: env.cluster.kubeconfig, namespace: env.namespace, timeout: '30s' };
  await waitForPhase(env, 'Initialized');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually(
    'canary weight 10',
    async () => ((await virtualServiceWeights(env))?.canary === 10 ? true : undefined),
    60_000,
  );
  const revision = (await canaryStatus(env)).raw['lastAppliedSpec'];

  const out = new BufferWriter();
  await runRequest('abort', 'podinfo', flags, out);
  assert.match(out.text, /abort requested for canary podinfo/);
  assert.match(out.text, /rolled back podinfo; all traffic is on the primary/);
  const failed = await canaryStatus(env);
  assert.equal(failed.phase, 'Failed', 'Failed as soon as the CLI returns');
  assert.deepEqual(await virtualServiceWeights(env), { primary: 100, canary: 0, mirror: false });
  await eventually('canary scaled to zero', async () =>
    (await deploymentReplicas(env, 'podinfo')) === 0 ? true : undefined,
  );
  const cm = readUserRequest(await env.kube.get(userRequestRef(env.namespace, 'podinfo')));
  assert.equal(cm?.ack?.outcome, 'applied');
  assert.equal(cm.ack.action, 'abort');
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  assert.ok(
    events.items.some(
      (e) =>
        e.reason === 'ManualRollback' &&
        e.message === `Rolling back podinfo.${env.namespace}: aborted by a user`,
    ),
  );

  // A second abort is refused by the CLI itself (same rule as the operator), nothing written.
  await assert.rejects(
    runRequest('abort', 'podinfo', flags, new BufferWriter()),
    /canary is Failed; only a rollout/,
  );

  const retryOut = new BufferWriter();
  await runRequest('retry', 'podinfo', flags, retryOut);
  assert.match(retryOut.text, /analysis restarted; the canary is Progressing/);
  const again = await waitForPhase(env, 'Progressing', 10_000);
  assert.equal(again.raw['lastAppliedSpec'], revision, 'the same revision is analysed again');
  await eventually(
    'canary weight 10 again',
    async () => ((await virtualServiceWeights(env))?.canary === 10 ? true : undefined),
    60_000,
  );
});

test('promote during Progressing → Succeeded before maxWeight is reached', async (t) => {
  const s = await canaryScenario(t, 'cli-promote', SLOW);
  const { env } = s;
  const flags = { kubeconfig: env.cluster.kubeconfig, namespace: env.namespace, timeout: '30s' };
  await waitForPhase(env, 'Initialized');
  const weights = recordWhile(async () => (await virtualServiceWeights(env))?.canary);
  t.after(() => weights.stop());
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  await eventually(
    'canary weight 10',
    async () => ((await virtualServiceWeights(env))?.canary === 10 ? true : undefined),
    60_000,
  );

  const out = new BufferWriter();
  await runRequest('promote', 'podinfo', flags, out);
  assert.match(out.text, /promoting podinfo: copying the canary spec to the primary/);
  await waitForPhase(env, 'Succeeded', 60_000);
  await weights.stop();
  const peak = Math.max(...weights.values.filter((v): v is number => v !== undefined));
  assert.ok(peak < 50, `never reached maxWeight 50 (weights seen: ${weights.values.join(', ')})`);
  const primary = await env.apps.readNamespacedDeployment({
    name: 'podinfo-primary',
    namespace: env.namespace,
  });
  assert.equal(primary.spec?.template.spec?.containers[0]?.image, 'ghcr.io/stefanprodan/podinfo:6.0.1');
  const events = await env.core.listNamespacedEvent({ namespace: env.namespace });
  assert.ok(events.items.some((e) => e.reason === 'ManualPromotion'));
});

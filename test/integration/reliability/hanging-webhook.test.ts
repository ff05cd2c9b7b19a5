// One canary's hanging webhook must not hold any other canary (issue: two canaries whose
// rollout webhook hung froze the healthy ones for the whole webhook timeout). Two canaries
// hang on a 60 s webhook — as many as Flagger's default threadiness — while a bystander
// must keep its 2 s analysis interval and finish its rollout.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually, testEnv } from '../../harness/cluster.js';
import { readCanary, setImage, waitForPhase } from '../../harness/canary.js';
import { FLAGGER_CRDS, installCrds } from '../../harness/kubectl.js';
import { startTestOperator } from '../../harness/operator.js';
import { applyThirdPartyCrds } from '../../harness/third-party-crds.js';
import { startWebhookServer } from '../../harness/webhook-server.js';
import { namedCanary, namedDeployment } from './named-workload.js';

const INTERVAL_S = 2;

test('a bystander canary keeps its interval while two others hang on their webhooks', async (t) => {
  const env = await testEnv(t, 'hang');
  installCrds(env.cluster, FLAGGER_CRDS);
  await applyThirdPartyCrds(env.cluster, 'istio');
  const hooks = await startWebhookServer(t);
  hooks.hang('/hang');
  const ns = env.namespace;
  const analysis = { interval: `${String(INTERVAL_S)}s`, stepWeight: 20, maxWeight: 60, metrics: [] };
  for (const name of ['stuck-a', 'stuck-b']) {
    await env.kube.create(namedDeployment(ns, name));
    const webhooks = [{ name: 'load', type: 'rollout', url: hooks.url('/hang'), timeout: '60s' }];
    await env.kube.create(namedCanary(ns, name, { analysis: { ...analysis, webhooks } }));
  }
  await env.kube.create(namedDeployment(ns, 'bystander'));
  await env.kube.create(namedCanary(ns, 'bystander', { analysis }));
  await startTestOperator(t, env);

  const phase = async (name: string): Promise<unknown> =>
    ((await readCanary(env, name))['status'] as { phase?: string } | undefined)?.phase;
  for (const name of ['stuck-a', 'stuck-b', 'bystander'])
    await waitForPhase(env, 'Initialized', 60_000, name);

  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1', 'stuck-a');
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1', 'stuck-b');
  await eventually('both stuck canaries are calling the hanging webhook', () =>
    hooks.count('/hang') >= 2 ? true : undefined,
  );

  // The bystander's every analysis time, as the operator stamps them.
  const stamps = new Set<string>();
  const started = Date.now();
  await setImage(env, 'ghcr.io/stefanprodan/podinfo:6.0.1', 'bystander');
  await eventually(
    'bystander Succeeded',
    async () => {
      const status = (await readCanary(env, 'bystander'))['status'] as
        { phase?: string; lastAnalysisTime?: string } | undefined;
      if (status?.lastAnalysisTime !== undefined) stamps.add(status.lastAnalysisTime);
      return status?.phase === 'Succeeded' ? true : undefined;
    },
    45_000,
  );
  const took = (Date.now() - started) / 1000;
  assert.notEqual(await phase('stuck-a'), 'Succeeded', 'the stuck canaries are still waiting on the webhook');

  const times = [...stamps].map((s) => Date.parse(s)).sort((a, b) => a - b);
  const gaps = times.slice(1).map((x, i) => (x - (times[i] ?? x)) / 1000);
  t.diagnostic(
    `bystander Succeeded in ${took.toFixed(1)} s; analysis gaps ${gaps.map((g) => g.toFixed(1)).join(', ')} s`,
  );
  // Status times have second precision: a gap within the interval + 1 s, plus 1 s of rounding.
  assert.ok(gaps.length >= 3, `saw ${String(gaps.length)} analysis steps`);
  for (const gap of gaps) assert.ok(gap <= INTERVAL_S + 2, `an analysis gap of ${gap.toFixed(1)} s`);
});
